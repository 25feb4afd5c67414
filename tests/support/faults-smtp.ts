/**
 * A minimal SMTP server that records what it accepts. A message counts as delivered only once the
 * server has answered 250 to its DATA, as a real mail server would; `beforeAccept` runs before that
 * answer (the fault tests kill the sending API process there), and a message whose sender is gone
 * by then is dropped, never recorded.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface Delivered {
  messageId: string | null;
  to: string[];
  /** Which sink (which API instance) received it. */
  sink: string;
  at: number;
}

export interface SmtpSink {
  url: string;
  name: string;
  /** DATA transfers received, accepted or not. */
  received: number;
  /** Holds new connections before the greeting until `open()`: mail waits, as behind a slow server. */
  hold(): void;
  open(): void;
  close(): Promise<void>;
}

export async function startSmtpSink(
  name: string,
  log: Delivered[],
  beforeAccept?: (n: number, messageId: string | null) => Promise<'accept' | 'drop'> | 'accept' | 'drop',
): Promise<SmtpSink> {
  let held: Array<() => void> | null = null;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const greet = () => socket.writable && socket.write('220 sink.faults.test ESMTP\r\n');
    if (held) held.push(greet);
    else greet();
    let buffer = '';
    let inData = false;
    let rcpt: string[] = [];
    let busy = false;
    const reply = (line: string) => socket.writable && socket.write(`${line}\r\n`);
    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        for (;;) {
          if (inData) {
            const end = buffer.indexOf('\r\n.\r\n');
            if (end < 0) return;
            const data = buffer.slice(0, end);
            buffer = buffer.slice(end + 5);
            inData = false;
            const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(data)?.[1] ?? null;
            sink.received += 1;
            const verdict = beforeAccept ? await beforeAccept(sink.received, messageId) : 'accept';
            if (verdict === 'drop' || socket.destroyed || !socket.writable) {
              socket.destroy();
              return;
            }
            log.push({ messageId, to: rcpt, sink: name, at: Date.now() });
            rcpt = [];
            reply('250 2.0.0 queued');
            continue;
          }
          const eol = buffer.indexOf('\r\n');
          if (eol < 0) return;
          const line = buffer.slice(0, eol);
          buffer = buffer.slice(eol + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') reply('250 sink.faults.test');
          else if (verb === 'MAIL') { rcpt = []; reply('250 2.1.0 ok'); }
          else if (verb === 'RCPT') { rcpt.push(line.replace(/^RCPT TO:\s*/i, '')); reply('250 2.1.5 ok'); }
          else if (verb === 'DATA') { inData = true; reply('354 end with <CRLF>.<CRLF>'); }
          else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
          else if (verb === 'QUIT') { reply('221 bye'); socket.end(); return; }
          else reply('502 5.5.2 Command not recognized');
        }
      } finally {
        busy = false;
      }
    };
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      void pump().then(() => (buffer.includes('\r\n') && !busy ? pump() : undefined));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const sink: SmtpSink = {
    url: `smtp://127.0.0.1:${port}`,
    name,
    received: 0,
    hold() {
      held ??= [];
    },
    open() {
      const waiting = held ?? [];
      held = null;
      for (const greet of waiting) greet();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sink;
}
