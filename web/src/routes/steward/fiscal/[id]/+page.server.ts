import { error, redirect } from '@sveltejs/kit';
import { FiscalRecordBody, PlanBody, parseMoneyToCents } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState, amountFormatText } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { HOME_ZONE, localDate } from '$lib/time';
import { PLAN_RENAME, merge, planErrors, planFieldsText, readPlanFields } from '../../patronage-forms.server';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

function yearId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) error(404, { message: m.error_not_found_title() });
  return id;
}

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  const { api } = event.locals;
  const id = yearId(event.params.id);
  try {
    const [year, { records }, settings] = await Promise.all([
      ok(api.GET('/steward/fiscal-years/{id}', { params: { path: { id } } })),
      ok(api.GET('/steward/fiscal-records', { params: { query: { yearId: id } } })),
      ok(api.GET('/steward/settings')),
    ]);
    // A new draft starts from the year's latest plan, else from the settings' minimums.
    const latest = year.plans.at(-1);
    const base = latest ? (await ok(api.GET('/plans/{id}', { params: { path: { id: latest.id } } }))).params : null;
    const planDefaults = planFieldsText(
      base ?? {
        reserveBps: settings.legalMinimumReserveApplies ? settings.legalMinimumReserveBps : 0,
        weights: { producer: 0, worker: 0, user: 0 },
        cashBps: settings.minimumCashBps,
        thresholdCents: settings.paymentThresholdCents,
      },
      event.locals.locale,
    );
    if (!base) Object.assign(planDefaults, { weightProducer: '', weightWorker: '', weightUser: '' });
    const today = localDate(new Date(), HOME_ZONE);
    return {
      year,
      records,
      planDefaults,
      confirmClose: event.url.searchParams.get('close') === 'confirm' && year.status === 'open',
      canClose: year.status === 'open' && today > year.endsOn,
      today,
      recordMax: today < year.endsOn ? today : year.endsOn,
      // One key per create form: each of them may be sent while the page is shown.
      recordKey: newIdempotencyKey(),
      draftKey: newIdempotencyKey(),
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  record: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const amountText = str(data, 'amount').trim();
    const amountCents = amountText ? parseMoneyToCents(amountText) : null;
    const checked = check(
      FiscalRecordBody,
      {
        kind: str(data, 'kind') || undefined,
        occurredOn: str(data, 'occurredOn') || undefined,
        category: str(data, 'category'),
        amountCents: amountCents ?? undefined,
        note: str(data, 'note'),
      },
      { amountCents: 'amount' },
    );
    let errors = checked.ok ? {} : checked.errors;
    if (!amountText) errors = merge(errors, { amount: [m.err_required()] });
    else if (amountCents === null) errors = merge(errors, { amount: [amountFormatText(amountText)] });
    if (!checked.ok || Object.keys(errors).length) return invalid(errors, values, 'record');
    try {
      const r = await ok(event.locals.api.POST('/steward/fiscal-records', { params: { header: { 'idempotency-key': idempotencyKeyOf(data) } }, body: checked.data }));
      return {
        form: 'record',
        success: r.kind === 'expense' ? m.steward_fiscal_expense_recorded() : m.steward_fiscal_income_recorded(),
      } satisfies FormState;
    } catch (e) {
      return apiFailure(event, e, values, { form: 'record', rename: { amountCents: 'amount' } });
    }
  },

  close: async (event) => {
    requireSteward(event);
    const id = yearId(event.params.id);
    try {
      await event.locals.api.POST('/steward/fiscal-years/{id}/close', { params: { path: { id } } });
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'close' });
    }
    redirect(303, `/steward/fiscal/${id}`);
  },

  draft: async (event) => {
    requireSteward(event);
    const id = yearId(event.params.id);
    const data = await event.request.formData();
    const values = formValues(data);
    const { params, errors } = readPlanFields(data, '', { required: true });
    const checked = check(PlanBody, params, PLAN_RENAME);
    const all = planErrors(checked.ok ? {} : checked.errors, errors);
    if (!checked.ok || Object.keys(all).length) return invalid(all, values, 'draft');
    let planId: string;
    try {
      const created = event.locals.api.POST('/steward/fiscal-years/{id}/plans', {
        params: { path: { id }, header: { 'idempotency-key': idempotencyKeyOf(data) } },
        body: checked.data,
      });
      planId = (await ok(created)).id;
    } catch (e) {
      return apiFailure(event, e, values, { form: 'draft', rename: PLAN_RENAME });
    }
    redirect(303, `/steward/plans/${planId}`);
  },
};
