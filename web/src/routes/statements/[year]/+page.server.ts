import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok, type Schemas } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

const startYear = (startsOn: string) => Number(startsOn.slice(0, 4));

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  if (!/^\d{4}$/.test(event.params.year)) error(404, { message: m.error_not_found_title() });
  const year = Number(event.params.year);
  const api = event.locals.api;
  let loaded;
  try {
    // All of the person's statements at once: this year's, and the other years to move between.
    loaded = await Promise.all([ok(api.GET('/patronage/statements')), ok(api.GET('/membership'))]);
  } catch (e) {
    loadFailure(event, e);
  }
  const [{ statements: all }, { memberships }] = loaded;
  const statements = all.filter((s) => startYear(s.fiscalYear.startsOn) === year);
  if (statements.length === 0) error(404, { message: m.patronage_no_statement_for({ year: String(year) }) });

  // The plan's frozen figures say where the refund came from (surplus, reserve, class pools).
  const plans: Record<string, Schemas['PlanView']> = {};
  await Promise.all(
    [...new Set(statements.map((s) => s.planId))].map(async (planId) => {
      try {
        plans[planId] = await ok(api.GET('/plans/{id}', { params: { path: { id: planId } } }));
      } catch (e) {
        console.error('[statements] plan not readable', planId, e);
      }
    }),
  );
  const years = [...new Set(all.map((s) => startYear(s.fiscalYear.startsOn)))].sort((a, b) => b - a);
  return { year, statements, plans, memberships, years };
};
