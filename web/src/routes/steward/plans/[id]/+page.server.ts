import { error, redirect } from '@sveltejs/kit';
import { PlanVariationBody, UpdatePlanBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FieldMessages, type FormState } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { HOME_ZONE, addDays, isLocalDate, localDate, startOfLocalDay } from '$lib/time';
import { PLAN_RENAME, planErrors, planFieldsText, readPlanFields } from '../../patronage-forms.server';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

/** Up to three variations next to the plan in the what-if table. */
const VARIATIONS = 3;

function planId(raw: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(raw)) error(404, { message: m.error_not_found_title() });
  return raw;
}

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  const { api } = event.locals;
  const id = planId(event.params.id);
  const q = event.url.searchParams;
  try {
    const [plan, settings] = await Promise.all([
      ok(api.GET('/plans/{id}', { params: { path: { id } } })),
      ok(api.GET('/steward/settings')),
    ]);
    const proposal = plan.proposal
      ? await ok(api.GET('/proposals')).then((l) => [...l.open, ...l.past].find((p) => p.id === plan.proposal!.id) ?? null)
      : null;

    // The what-if table: variations come in the address (a GET form), so a comparison can be shared.
    const simFields: Record<string, string> = {};
    const simErrors: FieldMessages = {};
    const variations: (ReturnType<typeof readPlanFields>['params'] & { label: string })[] = [];
    for (let i = 1; i <= VARIATIONS; i++) {
      const prefix = `v${i}_`;
      for (const k of ['label', 'reserve', 'weightProducer', 'weightWorker', 'weightUser', 'cash', 'threshold']) {
        simFields[prefix + k] = (q.get(prefix + k) ?? '').trim();
      }
      const { params, errors, empty } = readPlanFields(q, prefix);
      if (empty) continue;
      const label = simFields[`${prefix}label`] || m.steward_patronage_sim_variation({ n: i });
      const checked = check(PlanVariationBody, { ...params, label }, Object.fromEntries(Object.entries(PLAN_RENAME).map(([k, v]) => [k, prefix + v])));
      Object.assign(simErrors, planErrors(checked.ok ? {} : checked.errors, errors));
      if (checked.ok && !Object.keys(errors).length) variations.push({ ...params, label });
    }
    const asked = q.has('simulate');
    const simulation =
      plan.status === 'draft' && variations.length && !Object.keys(simErrors).length
        ? await ok(api.POST('/steward/plans/{id}/simulate', { params: { path: { id } }, body: { variations } }))
        : null;

    const now = new Date();
    return {
      plan,
      proposal,
      simulation,
      simFields,
      simErrors,
      simAsked: asked,
      variations: VARIATIONS,
      planFields: planFieldsText(plan.params, event.locals.locale),
      votingDays: settings.votingDays,
      defaultCloses: localDate(new Date(now.getTime() + settings.votingDays * 86_400_000), HOME_ZONE),
      today: localDate(now, HOME_ZONE),
      confirm: q.get('confirm'),
      voteOver: Boolean(proposal && proposal.status === 'open' && Date.parse(proposal.closesAt) <= now.getTime()),
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  update: async (event) => {
    requireSteward(event);
    const id = planId(event.params.id);
    const data = await event.request.formData();
    const values = formValues(data);
    const { params, errors } = readPlanFields(data, '', { required: true });
    const checked = check(UpdatePlanBody, params, PLAN_RENAME);
    const all = planErrors(checked.ok ? {} : checked.errors, errors);
    if (!checked.ok || Object.keys(all).length) return invalid(all, values, 'update');
    try {
      await event.locals.api.PATCH('/steward/plans/{id}', { params: { path: { id } }, body: checked.data });
    } catch (e) {
      return apiFailure(event, e, values, { form: 'update', rename: PLAN_RENAME });
    }
    return { form: 'update', success: m.steward_patronage_saved() } satisfies FormState;
  },

  propose: async (event) => {
    requireSteward(event);
    const id = planId(event.params.id);
    const data = await event.request.formData();
    const values = formValues(data);
    const closesOn = str(data, 'closesOn').trim();
    if (closesOn && !isLocalDate(closesOn)) return invalid({ closesOn: [m.err_choose_date()] }, values, 'propose');
    // The vote closes at midnight at the end of the chosen day, Montréal time.
    const closesAt = closesOn ? startOfLocalDay(addDays(closesOn, 1), HOME_ZONE).toISOString() : undefined;
    try {
      await event.locals.api.POST('/steward/plans/{id}/propose', { params: { path: { id } }, body: closesAt ? { closesAt } : {} });
    } catch (e) {
      return apiFailure(event, e, values, { form: 'propose', rename: { closesAt: 'closesOn' } });
    }
    redirect(303, `/steward/plans/${id}`);
  },

  closeVote: async (event) => {
    requireSteward(event);
    const id = planId(event.params.id);
    const data = await event.request.formData();
    try {
      await event.locals.api.POST('/steward/proposals/{id}/close', { params: { path: { id: str(data, 'proposalId') } } });
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'closeVote' });
    }
    redirect(303, `/steward/plans/${id}`);
  },

  pay: async (event) => {
    requireSteward(event);
    const id = planId(event.params.id);
    try {
      const paid = await ok(event.locals.api.POST('/steward/plans/{id}/pay', { params: { path: { id } } }));
      return {
        form: 'pay',
        success: m.steward_patronage_paid_done(),
        payment: {
          transfers: paid.transfers,
          recordedAsPaid: paid.recordedAsPaid,
          netPaidCents: paid.netPaidCents,
          withholdingCents: paid.withholdingCents,
          retainedCents: paid.retainedCents,
          carriedForwardCents: paid.carriedForwardCents,
        },
      };
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'pay' });
    }
  },
};
