import { RejectBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

const RECENT = 12;

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  const { api } = event.locals;
  try {
    const [pending, approved, rejected] = await Promise.all([
      ok(api.GET('/coops', { params: { query: { status: 'pending' } } })),
      ok(api.GET('/coops', { params: { query: { status: 'approved' } } })),
      ok(api.GET('/coops', { params: { query: { status: 'rejected' } } })),
    ]);
    const decided = [...approved.items, ...rejected.items]
      .filter((c) => c.decidedAt)
      .sort((a, b) => Date.parse(b.decidedAt!) - Date.parse(a.decidedAt!))
      .slice(0, RECENT);
    const queue = [...pending.items].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    return { pending: queue, decided };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  approve: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const coopId = str(data, 'coopId');
    try {
      const coop = await ok(event.locals.api.POST('/coops/{id}/approve', { params: { path: { id: coopId } } }));
      return { form: 'decision', success: m.steward_approved({ name: coop.legalName }) } satisfies FormState;
    } catch (e) {
      return apiFailure(event, e, {}, { form: `reject-${coopId}` });
    }
  },

  reject: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const coopId = str(data, 'coopId');
    const values = formValues(data);
    const form = `reject-${coopId}`;
    const checked = check(RejectBody, { reason: str(data, 'reason') });
    if (!checked.ok) return invalid(checked.errors, values, form);
    try {
      const coop = await ok(event.locals.api.POST('/coops/{id}/reject', { params: { path: { id: coopId } }, body: { reason: checked.data.reason } }));
      return { form: 'decision', success: m.steward_rejected({ name: coop.legalName }) } satisfies FormState;
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
  },
};
