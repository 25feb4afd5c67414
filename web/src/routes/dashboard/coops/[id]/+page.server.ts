import { error, redirect } from '@sveltejs/kit';
import { InviteBody, ListingStatus, MAX_PHOTO_BYTES, UpdateCoopBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { readCoopProfile } from '$lib/server/coop-form';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { readPhotoUpload } from '$lib/server/photo-forms';
import { ok } from '$lib/server/api/client';
import { addTimeOff, removeTimeOff } from '$lib/server/time-off';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const { id } = event.params;
  if (!UUID.test(id)) error(404, { message: m.error_not_found_title() });
  try {
    const { api } = event.locals;
    const [coop, members, listings, team, timeOff] = await Promise.all([
      ok(api.GET('/coops/{idOrSlug}', { params: { path: { idOrSlug: id } } })),
      ok(api.GET('/coops/{id}/members', { params: { path: { id } } })),
      ok(api.GET('/coops/{id}/listings', { params: { path: { id } } })),
      ok(api.GET('/coops/{id}/team-settings', { params: { path: { id } } })),
      ok(api.GET('/coops/{id}/time-off', { params: { path: { id }, query: { scope: 'coming' } } })),
    ]);
    const removing = event.url.searchParams.get('removeImage');
    return {
      coop,
      members,
      listings: listings.items,
      team,
      timeOff,
      me: user.id,
      flash: event.url.searchParams.get('done'),
      idempotencyKey: newIdempotencyKey(),
      // "Retirer" asks first, on a page of its own so it works without JavaScript.
      confirmRemove: removing === 'logo' || removing === 'cover' ? removing : null,
      maxPhotoBytes: MAX_PHOTO_BYTES,
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  teamSettings: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    try {
      await event.locals.api.PUT('/coops/{id}/team-settings', { params: { path: { id: event.params.id } }, body: { autoAssign: str(data, 'autoAssign') === 'yes' } });
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'team' });
    }
    return { form: 'team', success: m.team_auto_saved() } satisfies FormState;
  },
  addTimeOff: (event) => addTimeOff(event, 'team-time-off'),
  removeTimeOff: (event) => removeTimeOff(event, 'team-time-off'),

  profile: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data, ['languages']);
    const checked = check(UpdateCoopBody, readCoopProfile(data));
    if (!checked.ok) return invalid(checked.errors, values, 'profile');
    try {
      // An emptied NEQ field removes the number.
      await event.locals.api.PATCH('/coops/{id}', { params: { path: { id: event.params.id } }, body: { ...checked.data, neq: checked.data.neq ?? null } });
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
      await event.locals.api.POST('/coops/{id}/invitations', {
        params: { path: { id: event.params.id }, header: { 'idempotency-key': idempotencyKeyOf(data) } },
        body: checked.data,
      });
    } catch (e) {
      // Invited too often is a 429 like "too many attempts", but waiting a minute would not help.
      return apiFailure(event, e, values, { form: 'invite', own: { rate_limited: () => m.err_invited_too_often_long() } });
    }
    return { form: 'invite', success: m.invite_sent({ email: checked.data.email }) } satisfies FormState;
  },

  revokeInvitation: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    try {
      await event.locals.api.DELETE('/coops/{id}/invitations/{invitationId}', { params: { path: { id: event.params.id, invitationId: str(data, 'invitationId') } } });
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'members' });
    }
    return { form: 'members', success: m.invitation_revoked() } satisfies FormState;
  },

  removeMember: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    try {
      await event.locals.api.DELETE('/coops/{id}/members/{userId}', { params: { path: { id: event.params.id, userId: str(data, 'userId') } } });
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
      await event.locals.api.PATCH('/listings/{id}', { params: { path: { id: str(data, 'listingId') } }, body: { status: status.data } });
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

  coopImage: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const kind = str(data, 'kind') === 'cover' ? 'cover' : 'logo';
    const form = `image-${kind}`;
    const values = formValues(data);
    const upload = readPhotoUpload(data, { altRequired: false });
    if (!upload.ok) return invalid(upload.errors, values, form);
    try {
      const path = kind === 'logo' ? '/coops/{id}/logo' : '/coops/{id}/cover';
      await ok(event.locals.api.PUT(path, { params: { path: { id: event.params.id } }, body: upload.body as never, bodySerializer: (b: unknown) => b as FormData }));
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    return { form, success: kind === 'logo' ? m.coop_logo_saved() : m.coop_cover_saved() } satisfies FormState;
  },

  coopImageRemove: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const kind = str(data, 'kind') === 'cover' ? 'cover' : 'logo';
    try {
      await ok(event.locals.api.DELETE(kind === 'logo' ? '/coops/{id}/logo' : '/coops/{id}/cover', { params: { path: { id: event.params.id } } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: `image-${kind}` });
    }
    redirect(303, `/dashboard/coops/${event.params.id}?done=${kind}-removed#images`);
  },
};
