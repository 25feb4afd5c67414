import { error } from '@sveltejs/kit';
import { InviteBody, ListingStatus, UpdateCoopBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { readCoopProfile } from '$lib/server/coop-form';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  try {
    const { api } = event.locals;
    const [coop, members, listings] = await Promise.all([
      api.coops.get(id),
      api.coops.members(id),
      api.coops.listings(id),
    ]);
    return { coop, members, listings: listings.items, me: user.id, flash: event.url.searchParams.get('done'), idempotencyKey: newIdempotencyKey() };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  profile: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data, ['languages']);
    const checked = check(UpdateCoopBody, readCoopProfile(data));
    if (!checked.ok) return invalid(checked.errors, values, 'profile');
    try {
      // An emptied NEQ field removes the number.
      await event.locals.api.coops.update(event.params.id, { ...checked.data, neq: checked.data.neq ?? null });
    } catch (e) {
      return apiFailure(event, e, values, { form: 'profile' });
    }
    return { form: 'profile', success: m.dashboard_profile_saved() } satisfies FormState;
  },

  invite: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const checked = check(InviteBody, { email: str(data, 'email'), role: str(data, 'role') || undefined });
    if (!checked.ok) return invalid(checked.errors, values, 'invite');
    try {
      await event.locals.api.coops.invite(event.params.id, checked.data, idempotencyKeyOf(data));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'invite' });
    }
    return { form: 'invite', success: m.invite_sent({ email: checked.data.email }) } satisfies FormState;
  },

  revokeInvitation: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    try {
      await event.locals.api.coops.revokeInvitation(event.params.id, str(data, 'invitationId'));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'members' });
    }
    return { form: 'members', success: m.invitation_revoked() } satisfies FormState;
  },

  removeMember: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    try {
      await event.locals.api.coops.removeMember(event.params.id, str(data, 'userId'));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'members' });
    }
    return { form: 'members', success: m.member_removed({ name: str(data, 'name') }) } satisfies FormState;
  },

  listingStatus: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const status = ListingStatus.safeParse(str(data, 'status'));
    if (!status.success) return invalid({}, {}, 'listings');
    try {
      await event.locals.api.listings.update(str(data, 'listingId'), { status: status.data });
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'listings' });
    }
    const success = {
      active: m.listing_resumed,
      paused: m.listing_paused,
      archived: m.listing_archived,
    }[status.data]();
    return { form: 'listings', success } satisfies FormState;
  },
};
