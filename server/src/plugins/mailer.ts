import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fp from 'fastify-plugin';
import nodemailer from 'nodemailer';
import type { Config } from './env.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: string; contentType: string }[];
  /** A stable Message-ID makes a retried send recognisable as the same message. */
  messageId?: string;
}

export interface StoredMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  sentAt: string;
  attachments?: { filename: string; contentType: string; content: string }[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  /** Messages written to the local folder, newest first (only without SMTP). */
  list(): Promise<StoredMail[]>;
  readonly local: boolean;
  /** The address mail goes out from ("Tissu <bonjour@tissu.coop>"): also the ORGANIZER of the calendar events it carries. */
  readonly from: string;
}

/**
 * SMTP when SMTP_URL is set. Otherwise nodemailer still builds the real MIME message, which is
 * kept as .eml in the mail folder with a JSON summary the development mailbox page reads.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailDir'>): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      local: false,
      from: config.mailFrom,
      async send(mail) {
        await transport.sendMail({ from: config.mailFrom, ...mail });
      },
      async list() {
        return [];
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const dir = config.mailDir;
  return {
    local: true,
    from: config.mailFrom,
    async send(mail) {
      const info = await transport.sendMail({ from: config.mailFrom, ...mail });
      await mkdir(dir, { recursive: true });
      const sentAt = new Date().toISOString();
      // Keyed by Message-ID when there is one: sending the same message again replaces it.
      const id = mail.messageId
        ? mail.messageId.replace(/[^\w.-]/g, '_')
        : `${sentAt.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
      const stored: StoredMail = {
        id, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, sentAt,
        attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      };
      await writeFile(path.join(dir, `${id}.eml`), info.message as Buffer);
      await writeFile(path.join(dir, `${id}.json`), JSON.stringify(stored));
    },
    async list() {
      const names = await readdir(dir).catch(() => [] as string[]);
      const jsons = names.filter((n) => n.endsWith('.json'));
      const all = await Promise.all(jsons.map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8')) as StoredMail));
      return all.sort((a, b) => b.sentAt.localeCompare(a.sentAt)).slice(0, 200);
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

export default fp<{ mailer: Mailer }>(
  async (app, { mailer }) => {
    app.decorate('mailer', mailer);
  },
  { name: 'mailer' },
);
