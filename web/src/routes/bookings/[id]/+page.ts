import type { PageLoad } from './$types';

/**
 * The week of free slots (WeekSlots.svelte) is imported only when she asked to move the booking
 * (?reschedule): the booking page's scripts on arrival stay without it (issue 11 caps every page at
 * 80 KB gzipped). Opening the move is a navigation, so the import happens on that click.
 */
export const load: PageLoad = async ({ data }) => ({
  ...data,
  WeekSlots: data.rescheduling && data.week ? (await import('$lib/components/WeekSlots.svelte')).default : null,
});
