import { fail, redirect } from '@sveltejs/kit';
import { MembershipCheckoutBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import type { OwnWords } from '$lib/server/error-text';
import { apiFailure, formValues, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  try {
    const { memberships, qualifyingShareCents } = await ok(event.locals.api.GET('/membership'));
    // Open memberships first, then the ended ones, most recent first within each.
    memberships.sort((a, b) => Number(b.open) - Number(a.open) || b.startedOn.localeCompare(a.startedOn));
    const openHolders = new Set(memberships.filter((ms) => ms.open).map((ms) => ms.holder.id));
    // Co-ops the person runs that could join as producer members (the API has the last word).
    const joinableCoops = user.coops
      .filter((c) => c.role === 'admin' && c.coopStatus === 'approved' && !openHolders.has(c.coopId))
      .map((c) => ({ id: c.coopId, name: c.coopName }));
    return {
      memberships,
      qualifyingShareCents,
      personIsMember: openHolders.has(user.id),
      joinableCoops,
      worksInCoop: user.coops.some((c) => c.coopStatus === 'approved'),
      joined: event.url.searchParams.get('joined') === '1',
      cancelled: event.url.searchParams.get('cancelled') === '1',
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

/** Here these codes are about joining the platform co-op, not a co-op's team. */
const OWN_WORDS: OwnWords = {
  already_member: m.membership_err_already,
  not_eligible: m.membership_err_not_eligible,
  coop_not_approved: m.membership_err_coop_not_approved,
  forbidden: m.membership_err_not_admin,
};

export const actions: Actions = {
  /** Opens Stripe Checkout for the qualifying share (the local emulator in development) and sends the person there. */
  join: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const memberClass = str(data, 'class');
    const coopId = memberClass === 'producer' ? str(data, 'coopId') : '';
    const parsed = MembershipCheckoutBody.safeParse({ class: memberClass, coopId: coopId || undefined });
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'class');
        errors[field] = [field === 'coopId' ? m.membership_err_choose_coop() : m.membership_err_choose_class()];
      }
      return fail(400, { form: 'join', values, errors, message: m.form_has_errors() } satisfies FormState);
    }
    let url: string;
    try {
      url = (await ok(event.locals.api.POST('/membership/checkout', { body: parsed.data }))).url;
    } catch (e) {
      return apiFailure(event, e, values, { form: 'join', own: OWN_WORDS });
    }
    redirect(303, url);
  },
};
