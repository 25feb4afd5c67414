import { eq } from 'drizzle-orm';
import { schema, type Db } from '@tissu/db';
import type { PaymentGateway } from '../../server/src/plugins/stripe.js';
import { DEMO_COOPS } from './data.js';

/**
 * Development with the Stripe emulator: it keeps its state in memory, so at every start the demo
 * co-ops get fresh connected accounts there, onboarded the way they were before (new co-ops,
 * onboarded by hand on the test page, keep their status too). Ménage Éclat is registered for
 * GST/QST so the tax lines show up. Never runs against real Stripe.
 */
export async function syncEmulatorAccounts(db: Db, gateway: PaymentGateway, emulatorUrl: string): Promise<number> {
  const coops = await db
    .select({ id: schema.coops.id, name: schema.coops.legalName, slug: schema.coops.slug, account: schema.coopPaymentAccounts })
    .from(schema.coops)
    .leftJoin(schema.coopPaymentAccounts, eq(schema.coopPaymentAccounts.coopId, schema.coops.id))
    .where(eq(schema.coops.status, 'approved'));
  let n = 0;
  for (const c of coops) {
    const demo = !c.account && DEMO_COOPS.some((d) => d.slug === c.slug); // first start: demo co-ops are set up
    const wasReady = c.account?.chargesEnabled ?? false;
    if (!demo && !c.account?.stripeAccountId) continue;
    const created = await gateway.createAccount({ coopId: `${c.id}:${Date.now()}`, email: `${c.slug}@tissu.demo`, name: c.name });
    if (demo || wasReady) {
      const res = await fetch(`${emulatorUrl}/_emulator/accounts/${created.id}/onboard`, { method: 'POST' });
      if (!res.ok) throw new Error(`emulator onboarding failed: ${await res.text()}`);
    }
    const ready = demo || wasReady;
    const taxes = c.slug.startsWith('menage-eclat') ? { gstRegistered: true, gstNumber: '123456789RT0001', qstRegistered: true, qstNumber: '1234567890TQ0001' } : {};
    await db
      .insert(schema.coopPaymentAccounts)
      .values({ coopId: c.id, stripeAccountId: created.id, chargesEnabled: ready, payoutsEnabled: ready, detailsSubmitted: ready, requirementsDue: [], ...(demo ? taxes : {}) })
      .onConflictDoUpdate({ target: schema.coopPaymentAccounts.coopId, set: { stripeAccountId: created.id, chargesEnabled: ready, payoutsEnabled: ready, detailsSubmitted: ready, requirementsDue: [] } });
    n++;
  }
  return n;
}
