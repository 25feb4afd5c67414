/**
 * The signed-in pages people waited on (issue 11: over a second in the browser), timed as the web
 * server answers them on the demo data: a co-op's overview, its earnings, its booking page, the
 * language switch, and the return from Stripe (the receipt). One request at a time, so each figure
 * is the server time of that page (SvelteKit's load functions, their API calls, the render).
 *
 *   pnpm bench pages   (builds the web first, unless `pnpm bench web pages` just did)
 */
import { oneAtATime, type Measured } from './measure.js';
import type { BenchServer } from './scratch-db.js';
import { target, type Figure } from './table.js';
import { benchStack } from './web.js';

const DEMO_PASSWORD = 'tissu-demo-2026';

export interface PageTime {
  page: string;
  measured: Measured;
}

/** Cookies a sign-in through the web's form sets, as a Cookie header. */
async function signIn(webUrl: string, email: string): Promise<string> {
  const res = await fetch(`${webUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: webUrl },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (res.status !== 303 || cookies.length === 0) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
  return cookies.join('; ');
}

function timePage(webUrl: string, pagePath: string, cookie: string, runs: number): Promise<Measured> {
  return oneAtATime(runs, 2, pagePath, async () => {
    const res = await fetch(webUrl + pagePath, { headers: { cookie, origin: webUrl }, redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  });
}

export async function benchPages(server: BenchServer, opts: { runs?: number; build?: boolean } = {}): Promise<PageTime[]> {
  const runs = opts.runs ?? 20;
  const { stack, scratch } = await benchStack(server, { build: opts.build ?? true, dataDir: 'bench-pages' });
  try {
    const sql = scratch.database.sql;
    const [coop] = await sql<{ id: string }[]>`
      SELECT m.coop_id AS id FROM coop_members m JOIN users u ON u.id = m.user_id
      WHERE u.email = 'admin@tissu.demo' AND m.role = 'admin' LIMIT 1`;
    const [booking] = await sql<{ id: string }[]>`SELECT id FROM bookings WHERE coop_id = ${coop!.id} ORDER BY starts_at DESC LIMIT 1`;
    const [paid] = await sql<{ id: string }[]>`
      SELECT b.id FROM bookings b JOIN users u ON u.id = b.client_id
      WHERE u.email = 'client@tissu.demo' AND b.state IN ('paid', 'completed') ORDER BY b.starts_at DESC LIMIT 1`;
    const admin = await signIn(stack.webUrl, 'admin@tissu.demo');
    const client = await signIn(stack.webUrl, 'client@tissu.demo');
    const pages: [string, string, string][] = [
      ['co-op overview', `/dashboard/coops/${coop!.id}`, admin],
      ['co-op earnings', `/dashboard/coops/${coop!.id}/earnings`, admin],
      ['co-op booking page', `/bookings/${booking!.id}`, admin],
      ['language switch (to en, back to the overview)', `/lang?to=en&redirect=${encodeURIComponent(`/dashboard/coops/${coop!.id}`)}`, admin],
      ['return from Stripe (receipt)', `/bookings/${paid!.id}/receipt?paid=1`, client],
    ];
    const out: PageTime[] = [];
    for (const [page, pagePath, cookie] of pages) out.push({ page, measured: await timePage(stack.webUrl, pagePath, cookie, runs) });
    return out;
  } finally {
    await stack.stop();
    await scratch.drop();
  }
}

export function pagesFigures(times: PageTime[]): Figure[] {
  return times.map((p) => ({ scenario: `${p.page}, demo data`, via: 'web' as const, ...p.measured, target: target('p50 <= 200 ms', p.measured.p50 <= 200) }));
}
