import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { schema, type Db } from '@tissu/db';
import type { CreateSeriesBody } from '@tissu/shared';
import { createSeriesService } from '../../server/src/modules/series/index.js';
import { HttpError } from '../../server/src/errors.js';
import { DEMO_CLIENT, DEMO_COOPS } from './data.js';

const ZONE = 'America/Toronto';
const LISTING = 'Ménage régulier de logement';

/**
 * The demo client's weekly cleaning with Ménage Éclat, booked through the series service as a
 * client would and accepted by the co-op's admin, with Amina on the team, so the client's list,
 * the co-op's inbox and the series page have a series to show. It runs once the co-ops can take
 * payments (after the emulator's onboarding); without that the series stays a request.
 */
export async function seedDemoSeries(db: Db, now = new Date()): Promise<string | null> {
  const coop = DEMO_COOPS[0]!;
  const [listing] = await db
    .select({ id: schema.listings.id, coopId: schema.listings.coopId })
    .from(schema.listings)
    .innerJoin(schema.coops, eq(schema.coops.id, schema.listings.coopId))
    .where(and(eq(schema.listings.titleFr, LISTING), eq(schema.coops.slug, coop.slug)));
  const people = await db.select({ id: schema.users.id, email: schema.users.email }).from(schema.users);
  const idOf = (email: string) => people.find((p) => p.email === email)?.id;
  const clientId = idOf(DEMO_CLIENT.email);
  const adminId = idOf(coop.admin.email);
  const workerId = coop.workers?.[0] && idOf(coop.workers[0].email);
  if (!listing || !clientId || !adminId) return null;

  const actor = (userId: string) => ({ userId, sessionId: 'demo-seed', isSteward: false, emailVerified: true });
  const series = createSeriesService({ db, now: () => now });
  // Tuesdays at 9:00, from the first Tuesday at least three days ahead (past the listing's notice).
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  let day = today.plus({ days: 3 });
  while (day.weekday !== 2) day = day.plus({ days: 1 });
  for (let attempt = 0; attempt < 6; attempt++) {
    const startsAt = day.plus({ weeks: Math.floor(attempt / 2) }).set({ hour: attempt % 2 ? 13 : 9 }).toUTC().toISO()!;
    try {
      const preview = await series.preview(listing.id, { startsAt, frequency: 'weekly' });
      const choices: CreateSeriesBody['choices'] = preview.visits.filter((v) => v.status !== 'free').map((v) => ({ date: v.date, action: 'skip' as const }));
      const created = await series.create(actor(clientId), {
        listingId: listing.id, startsAt, frequency: 'weekly', choices,
        address: '4321, rue Saint-Denis, app. 2\nMontréal (Québec) H2J 2K9', notes: 'Le chat Minou reste dans la chambre. Merci !',
        contactName: DEMO_CLIENT.name, contactPhone: '514 555-0199', contactEmail: DEMO_CLIENT.email,
      });
      try {
        await series.accept(actor(adminId), created.id);
        if (workerId) await series.assign(actor(adminId), created.id, [workerId]);
      } catch (e) {
        // The co-op cannot take payments yet: the series waits for its answer, as a request.
        if (!(e instanceof HttpError)) throw e;
      }
      return created.id;
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
    }
  }
  return null;
}
