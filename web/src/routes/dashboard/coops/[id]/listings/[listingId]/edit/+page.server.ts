import { error, redirect } from '@sveltejs/kit';
import { MAX_LISTING_PHOTOS, MAX_PHOTO_BYTES, MAX_QUESTIONS, type UpdateListingBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { LISTING_FIELD_NAMES, readListing } from '$lib/server/listing-form';
import { movedPhotoOrder, readPhotoUpload } from '$lib/server/photo-forms';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';
import { questionActions } from './question-actions';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  let listing;
  try {
    listing = await ok(event.locals.api.GET('/listings/{id}', { params: { path: { id: event.params.listingId } } }));
  } catch (e) {
    loadFailure(event, e);
  }
  if (listing.coop.id !== event.params.id) error(404, { message: m.error_not_found_title() });
  // "Supprimer" asks first, on a page of its own so it works without JavaScript.
  const deleting = event.url.searchParams.get('deletePhoto');
  return {
    listing,
    confirmDelete: listing.photos.some((p) => p.id === deleting) ? deleting : null,
    flash: event.url.searchParams.get('done'),
    photoLimits: { photos: MAX_LISTING_PHOTOS, bytes: MAX_PHOTO_BYTES },
    maxQuestions: MAX_QUESTIONS,
  };
};

export const actions: Actions = {
  ...questionActions,
  save: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data, ['boroughs']);
    const checked = readListing(data, 'update');
    if (!checked.ok) return invalid(checked.errors, values);
    try {
      await event.locals.api.PATCH('/listings/{id}', { params: { path: { id: event.params.listingId } }, body: checked.data as UpdateListingBody });
    } catch (e) {
      return apiFailure(event, e, values, { rename: LISTING_FIELD_NAMES });
    }
    redirect(303, `/dashboard/coops/${event.params.id}?done=listing-saved#listings`);
  },

  photoAdd: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const upload = readPhotoUpload(data, { altRequired: true });
    if (!upload.ok) return invalid(upload.errors, values, 'photoAdd');
    try {
      await ok(
        event.locals.api.POST('/listings/{id}/photos', {
          params: { path: { id: event.params.listingId } },
          body: upload.body as never,
          bodySerializer: (b: unknown) => b as FormData,
        }),
      );
    } catch (e) {
      return apiFailure(event, e, values, { form: 'photoAdd' });
    }
    return { form: 'photoAdd', success: m.photo_added() } satisfies FormState;
  },

  photoAlt: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const photoId = str(data, 'photoId');
    const form = `photoAlt-${photoId}`;
    const values = formValues(data);
    try {
      await ok(
        event.locals.api.PATCH('/listings/{id}/photos/{photoId}', {
          params: { path: { id: event.params.listingId, photoId } },
          body: { altFr: str(data, 'altFr').trim(), altEn: str(data, 'altEn').trim() },
        }),
      );
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    return { form, success: m.photo_alt_saved() } satisfies FormState;
  },

  photoMove: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const photoId = str(data, 'photoId');
    const direction = str(data, 'direction') === 'up' ? 'up' : 'down';
    const form = 'photos';
    try {
      const listing = await ok(event.locals.api.GET('/listings/{id}', { params: { path: { id: event.params.listingId } } }));
      const photoIds = movedPhotoOrder(listing.photos.map((p) => p.id), photoId, direction);
      await ok(event.locals.api.PUT('/listings/{id}/photos/order', { params: { path: { id: event.params.listingId } }, body: { photoIds } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form });
    }
    return { form, success: m.photo_moved(), moved: photoId } satisfies FormState & { moved: string };
  },

  photoDelete: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const photoId = str(data, 'photoId');
    try {
      await ok(event.locals.api.DELETE('/listings/{id}/photos/{photoId}', { params: { path: { id: event.params.listingId, photoId } } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'photos' });
    }
    redirect(303, `/dashboard/coops/${event.params.id}/listings/${event.params.listingId}/edit?done=photo-deleted#photos`);
  },
};
