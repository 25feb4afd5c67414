import { SetFeeRateBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { isLocalDate, startOfLocalDay } from '$lib/time';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

/** Fee rates start at midnight in Montréal, the platform's home. */
const ZONE = 'America/Toronto';

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  try {
    return { fee: await ok(event.locals.api.GET('/platform/fee')), idempotencyKey: newIdempotencyKey() };
  } catch (e) {
    loadFailure(event, e);
  }
};

/** "5" or "4,5" (per cent) → 500 or 450 basis points; null when it is not a percentage. */
function percentToBps(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

export const actions: Actions = {
  default: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const rateText = str(data, 'rate').trim();
    const date = str(data, 'effectiveFrom').trim();
    const rateBps = rateText ? percentToBps(rateText) : null;
    const checked = check(
      SetFeeRateBody,
      {
        rateBps: rateBps ?? undefined,
        effectiveFrom: isLocalDate(date) ? startOfLocalDay(date, ZONE).toISOString() : undefined,
        reason: str(data, 'reason'),
      },
      { rateBps: 'rate' },
    );
    const errors = checked.ok ? {} : { ...checked.errors };
    if (!rateText) errors.rate = [m.err_required()];
    else if (rateBps === null) errors.rate = [m.err_rate_format()];
    if (!isLocalDate(date)) errors.effectiveFrom = [m.err_choose_date()];
    if (!checked.ok || Object.keys(errors).length) return invalid(errors, values);
    try {
      await event.locals.api.POST('/platform/fee-rates', { params: { header: { 'idempotency-key': idempotencyKeyOf(data) } }, body: checked.data });
    } catch (e) {
      return apiFailure(event, e, values, { rename: { rateBps: 'rate' } });
    }
    return { success: m.fees_scheduled() } satisfies FormState;
  },
};
