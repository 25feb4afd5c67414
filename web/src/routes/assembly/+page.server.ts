import { fail } from '@sveltejs/kit';
import { VOTE_CHOICES, type VoteChoice } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { isApiError } from '$lib/server/api-error';
import { apiFailure, formValues, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const [proposals, { memberships }] = await Promise.all([
      ok(event.locals.api.GET('/proposals')),
      ok(event.locals.api.GET('/membership')),
    ]);
    // Who each of the person's ballots was cast for (themselves, or a co-op they run).
    const holders = Object.fromEntries(memberships.map((ms) => [ms.id, ms.holder.name]));
    return { proposals, holders, membersOnly: false };
  } catch (e) {
    // Not a member (yet): the page says who takes part and how to join, rather than an error.
    if (isApiError(e) && e.status === 403) return { proposals: null, holders: {} as Record<string, string>, membersOnly: true };
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  vote: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const proposalId = str(data, 'proposalId');
    const membershipId = str(data, 'membershipId');
    const choice = str(data, 'choice');
    const form = `vote-${proposalId}-${membershipId}`;
    if (!UUID.test(proposalId) || (membershipId && !UUID.test(membershipId))) {
      return fail(400, { form, values, message: m.err_bad_request() } satisfies FormState);
    }
    if (!VOTE_CHOICES.includes(choice as VoteChoice)) {
      return fail(400, { form, values, errors: { choice: [m.assembly_err_choose()] }, message: m.assembly_err_choose() } satisfies FormState);
    }
    try {
      await event.locals.api.POST('/proposals/{id}/votes', {
        params: { path: { id: proposalId } },
        body: { choice: choice as VoteChoice, membershipId: membershipId || undefined },
      });
    } catch (e) {
      // Refused here means this person holds no membership that may vote.
      return apiFailure(event, e, values, { form, own: { forbidden: m.assembly_err_not_eligible } });
    }
    return { form, success: m.assembly_vote_recorded() } satisfies FormState;
  },
};
