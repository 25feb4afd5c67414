import type { Db } from '@tissu/db';
import { booksDate, yearBounds } from '../lib/calendar.js';
import { feeRates } from '../modules/fees/index.js';
import * as fiscal from '../modules/fiscal/index.js';

/**
 * The public page the members and everyone else can check: for each past year and the current
 * one, the fee, the business done, the result and what went back to the members.
 */
export function createTransparencyService(deps: { db: Db; now: () => Date }) {
  const { db } = deps;
  return {
    async report() {
      const today = booksDate(deps.now());
      const years = (await fiscal.listYears(db)).filter((y) => y.startsOn <= today);
      const rates = await feeRates(db);
      return {
        years: await Promise.all(years.map(async (y) => {
          const { from, to } = yearBounds(y);
          // The rate in force when the year started, and every change during it.
          const before = rates.filter((r) => r.effectiveFrom <= from).at(-1);
          const during = rates.filter((r) => r.effectiveFrom > from && r.effectiveFrom < to);
          const plan = await fiscal.adoptedPlanOfYear(db, y.id);
          const adopted = plan && plan.status !== 'proposed' ? plan.result : null;
          return {
            label: y.label, startsOn: y.startsOn, endsOn: y.endsOn, status: y.status,
            feeRates: [...(before ? [before] : []), ...during].map((r) => ({ rateBps: r.rateBps, effectiveFrom: r.effectiveFrom.toISOString() })),
            bookings: await fiscal.bookingVolume(db, from, to),
            ...(await fiscal.membersDuring(db, y.startsOn, y.endsOn)),
            figures: await fiscal.yearFigures(db, y),
            reserveCents: adopted?.allocation.reserveCents ?? null,
            returnedToMembersCents: adopted?.allocation.patronagePoolCents ?? null,
            planStatus: plan?.status ?? null,
          };
        })),
      };
    },
  };
}
