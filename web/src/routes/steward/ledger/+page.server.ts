import { loadFailure, requireSteward } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { PageServerLoad } from './$types';

const DAY_CHOICES = [30, 90, 365] as const;

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  const asked = Number(event.url.searchParams.get('days'));
  const days = (DAY_CHOICES as readonly number[]).includes(asked) ? asked : 90;
  try {
    const [check, reconciliation, toReturn] = await Promise.all([
      ok(event.locals.api.GET('/steward/ledger/check')),
      ok(event.locals.api.GET('/steward/reconciliation', { params: { query: { days } } })),
      ok(event.locals.api.GET('/steward/money-to-return')),
    ]);
    return { check, reconciliation, toReturn: toReturn.payments, days, dayChoices: DAY_CHOICES };
  } catch (e) {
    loadFailure(event, e);
  }
};
