import { CreateFiscalYearBody } from '@tissu/shared';
import { redirect } from '@sveltejs/kit';
import { formValues, str } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { checkInput, invalid, stewardFailure } from '../patronage-forms.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  try {
    const [{ years }, settings] = await Promise.all([event.locals.api.steward.fiscal.years(), event.locals.api.steward.coopSettings.get()]);
    return { years, fiscalYearStart: settings.fiscalYearStart };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  create: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const checked = checkInput(CreateFiscalYearBody, { startsOn: str(data, 'startsOn') || undefined });
    if (!checked.ok) return invalid(checked.errors, values, 'create');
    let yearId: number;
    try {
      yearId = (await event.locals.api.steward.fiscal.createYear(checked.data.startsOn)).id;
    } catch (e) {
      return stewardFailure(event, e, values, { form: 'create' });
    }
    redirect(303, `/steward/fiscal/${yearId}`);
  },
};
