import { CreateProposalBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FieldMessages, type FormState } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { HOME_ZONE, addDays, isLocalDate, localDate, startOfLocalDay } from '$lib/time';
import { percentToBps } from '../patronage-forms.server';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  try {
    const [proposals, settings] = await Promise.all([ok(event.locals.api.GET('/proposals')), ok(event.locals.api.GET('/steward/settings'))]);
    const now = Date.now();
    const today = localDate(new Date(now), HOME_ZONE);
    return {
      open: proposals.open.map((p) => ({ ...p, over: Date.parse(p.closesAt) <= now })),
      past: proposals.past,
      today,
      defaultCloses: addDays(today, settings.votingDays),
      quorumBps: settings.quorumBps,
      idempotencyKey: newIdempotencyKey(),
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

const RENAME = { feeRateBps: 'feeRate', feeEffectiveFrom: 'feeEffectiveOn', opensAt: 'opensOn', closesAt: 'closesOn' };

export const actions: Actions = {
  propose: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const kind = str(data, 'kind');
    const errors: FieldMessages = {};
    const today = localDate(new Date(), HOME_ZONE);
    const opensOn = str(data, 'opensOn').trim() || today;
    const closesOn = str(data, 'closesOn').trim();
    if (!isLocalDate(opensOn)) errors.opensOn = [m.err_choose_date()];
    if (!isLocalDate(closesOn)) errors.closesOn = [m.err_choose_date()];
    let feeRateBps: number | undefined;
    let feeEffectiveFrom: string | undefined;
    if (kind === 'fee_rate') {
      const rate = str(data, 'feeRate').trim();
      const bps = rate ? percentToBps(rate) : null;
      if (bps === null) errors.feeRate = [rate ? m.err_rate_format() : m.err_required()];
      else feeRateBps = bps;
      const on = str(data, 'feeEffectiveOn').trim();
      if (!isLocalDate(on)) errors.feeEffectiveOn = [m.err_choose_date()];
      else feeEffectiveFrom = startOfLocalDay(on, HOME_ZONE).toISOString();
    }
    const checked = check(
      CreateProposalBody,
      {
        kind: kind || undefined,
        title: str(data, 'title'),
        body: str(data, 'body'),
        feeRateBps,
        feeEffectiveFrom,
        // Opening today means now; another day opens at its first minute, Montréal time.
        opensAt: isLocalDate(opensOn) ? (opensOn === today ? new Date().toISOString() : startOfLocalDay(opensOn, HOME_ZONE).toISOString()) : undefined,
        // The vote closes at midnight at the end of the chosen day.
        closesAt: isLocalDate(closesOn) ? startOfLocalDay(addDays(closesOn, 1), HOME_ZONE).toISOString() : undefined,
      },
      RENAME,
    );
    const all = { ...(checked.ok ? {} : checked.errors), ...errors };
    if (!checked.ok || Object.keys(all).length) return invalid(all, values, 'propose');
    try {
      const p = await ok(event.locals.api.POST('/steward/proposals', { params: { header: { 'idempotency-key': idempotencyKeyOf(data) } }, body: checked.data }));
      return { form: 'propose', success: m.steward_assembly_proposed({ title: p.title }) } satisfies FormState;
    } catch (e) {
      return apiFailure(event, e, values, { form: 'propose', rename: RENAME });
    }
  },

  close: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const id = str(data, 'proposalId');
    try {
      const p = await ok(event.locals.api.POST('/steward/proposals/{id}/close', { params: { path: { id } } }));
      return { form: 'close', success: m.steward_assembly_closed({ title: p.title }) } satisfies FormState;
    } catch (e) {
      return apiFailure(event, e, {}, { form: `close-${id}` });
    }
  },
};
