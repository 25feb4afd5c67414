import { m } from '$lib/paraglide/messages';
import { apiFailure, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import type { RequestEvent } from '@sveltejs/kit';

/**
 * The form actions of time off, shared by a worker's own page and the co-op's members section:
 * the API judges the dates (in the co-op's zone) and answers field by field.
 */
export async function addTimeOff(event: RequestEvent, form = 'time-off') {
  requireUser(event);
  const data = await event.request.formData();
  const values = formValues(data);
  const coopId = str(data, 'coopId');
  const allDay = str(data, 'allDay') === 'yes';
  values.allDay = allDay ? 'yes' : 'no';
  const startDate = str(data, 'startDate');
  const endDate = str(data, 'endDate') || startDate;
  if (!startDate) return invalid({ startDate: [m.err_choose_date()] }, values, form);
  const userId = str(data, 'userId') || undefined;
  try {
    await event.locals.api.POST('/coops/{id}/time-off', {
      params: { path: { id: coopId } },
      body: {
        allDay, startDate, endDate, userId, note: str(data, 'note'),
        ...(allDay ? {} : { startTime: str(data, 'startTime') || undefined, endTime: str(data, 'endTime') || undefined }),
      },
    });
  } catch (e) {
    return apiFailure(event, e, values, { form });
  }
  return { form, success: m.timeoff_added() } satisfies FormState;
}

export async function removeTimeOff(event: RequestEvent, form = 'time-off') {
  requireUser(event);
  const data = await event.request.formData();
  try {
    await event.locals.api.DELETE('/coops/{id}/time-off/{timeOffId}', { params: { path: { id: str(data, 'coopId'), timeOffId: str(data, 'id') } } });
  } catch (e) {
    return apiFailure(event, e, {}, { form });
  }
  return { form, success: m.timeoff_removed() } satisfies FormState;
}
