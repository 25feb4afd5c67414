/**
 * The floor under the API's search figures: the statements the listings service sends, served
 * by node:http and postgres.js alone (no Fastify, validation, drizzle or DTO mapping), the rows
 * answered as JSON. Its throughput against the SQL's says what an HTTP process in front of the
 * database costs on this machine, whatever the framework.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { forkServer, type ApiProcess, type Ready } from './api-process.js';
import type { Statement } from './search-queries.js';

interface FloorOptions {
  databaseUrl: string;
  poolSize: number;
  /** Served at /0, /1, … in this order: each search is one statement. */
  statements: Statement[];
}

export function startFloorProcess(options: FloorOptions): Promise<ApiProcess> {
  return forkServer(fileURLToPath(import.meta.url), options);
}

async function serve(options: FloorOptions): Promise<void> {
  const sql = postgres(options.databaseUrl, { max: options.poolSize, onnotice: () => {} });
  const server = http.createServer((req, res) => {
    const st = options.statements[Number(req.url?.slice(1))];
    if (!st) return void res.writeHead(404).end();
    sql
      .unsafe(st.text, st.params as postgres.ParameterOrJSON<never>[], { prepare: false })
      .then((rows) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ items: rows }));
      })
      .catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.close();
    server.closeAllConnections();
    void sql.end({ timeout: 5 }).finally(() => process.exit(0));
  };
  process.on('message', (m) => m === 'close' && close());
  process.on('disconnect', close);
  process.send!({ base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } satisfies Ready);
}

if (process.argv[2] === '--serve') {
  serve(JSON.parse(process.argv[3]!) as FloorOptions).catch((e: unknown) => {
    process.send?.({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies Ready);
    process.exit(1);
  });
}
