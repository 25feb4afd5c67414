import { redirect } from '@sveltejs/kit';
import { AddressBody, IdParams, UpdateAddressBody } from '@tissu/shared';
import { apiFailure, check, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/**
 * "Mes adresses" (also /compte/adresses): her saved addresses with their entry notes, one to edit
 * (`?edit=<id>`, a page state so it works without JavaScript), and the form to add one.
 */
export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const list = await ok(event.locals.api.GET('/me/addresses'));
    const editing = list.items.find((a) => a.id === event.url.searchParams.get('edit')) ?? null;
    return { addresses: list.items, max: list.max, editing, done: event.url.searchParams.get('done') };
  } catch (e) {
    loadFailure(event, e);
  }
};

const fieldsOf = (data: FormData) => ({
  label: str(data, 'label'), street: str(data, 'street'), unit: str(data, 'unit'), city: str(data, 'city'),
  postalCode: str(data, 'postalCode'), entryNotes: str(data, 'entryNotes'),
});

export const actions: Actions = {
  add: async (event) => {
    requireUser(event);
    const values = fieldsOf(await event.request.formData());
    const checked = check(AddressBody, values);
    if (!checked.ok) return invalid(checked.errors, values, 'add');
    try {
      await ok(event.locals.api.POST('/me/addresses', { body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, values, { form: 'add' });
    }
    return { form: 'add', success: m.addresses_saved() } satisfies FormState;
  },

  update: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const id = IdParams.safeParse({ id: str(data, 'id') });
    const values = fieldsOf(data);
    if (!id.success) return invalid({}, values, 'update');
    const checked = check(UpdateAddressBody, values);
    if (!checked.ok) return invalid(checked.errors, { ...values, id: id.data.id }, 'update');
    try {
      await ok(event.locals.api.PATCH('/me/addresses/{id}', { params: { path: { id: id.data.id } }, body: checked.data }));
    } catch (e) {
      return apiFailure(event, e, { ...values, id: id.data.id }, { form: 'update' });
    }
    redirect(303, '/account/addresses?done=updated');
  },

  remove: async (event) => {
    requireUser(event);
    const id = IdParams.safeParse({ id: str(await event.request.formData(), 'id') });
    if (!id.success) return invalid({}, {}, 'remove');
    try {
      await ok(event.locals.api.DELETE('/me/addresses/{id}', { params: { path: { id: id.data.id } } }));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'remove' });
    }
    redirect(303, '/account/addresses?done=removed');
  },
};
