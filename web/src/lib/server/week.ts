import { ok, type Api } from './api/client';
import { addDays, instantsAround, isLocalDate, localDate, mondayOf } from '$lib/time';

export interface FreeSlot {
  start: string;
  end: string;
  remaining: number;
}

export interface WeekDay {
  date: string;
  past: boolean;
  slots: FreeSlot[];
}

export interface WeekView {
  timeZone: string;
  durationMinutes: number;
  weekStart: string;
  days: WeekDay[];
  prevWeek: string | null;
  nextWeek: string | null;
  /** When the shown week has no free slot: the first one after it (within the weeks fetched). */
  nextAvailable: { date: string; week: string } | null;
  /** Every free start fetched (this week and the following ones), to check a chosen slot. */
  starts: Set<string>;
}

/** Weeks fetched when the week shown has no free slot, to find the next one: the API answers up to 62 days per call. */
const WEEKS_AHEAD = 8;

/**
 * A Monday-to-Sunday week of free slots in the listing's zone. Without a `week` asked for, it
 * opens on the first week that has a free slot, so people do not land on an empty week.
 */
export async function loadWeek(
  api: Api,
  listingId: string,
  schedule: { timeZone: string; horizonDays: number },
  weekParam: string | null,
  now = new Date(),
  /** The add-ons chosen: the slots are those where the visit they lengthen fits. */
  addons: readonly string[] = [],
): Promise<WeekView> {
  const today = localDate(now, schedule.timeZone);
  const thisWeek = mondayOf(today);
  const lastBookable = addDays(today, schedule.horizonDays);
  // A week asked for is shown as asked, but for a past one or one past the horizon (an old link, an
  // edited one): those open on the first week with a free slot, as if none had been asked for.
  const named = isLocalDate(weekParam) ? mondayOf(weekParam) : null;
  const asked = named && named >= thisWeek && named <= lastBookable ? named : null;
  let weekStart = asked && asked > thisWeek ? asked : thisWeek;

  const fetchWeeks = (weeks: number) => {
    const span = instantsAround(weekStart, weeks * 7);
    const query = addons.length ? { ...span, addons: addons.join(',') } : span;
    return ok(api.GET('/listings/{id}/slots', { params: { path: { id: listingId }, query } }));
  };
  // Most pages open on a week with free slots: one week of slots is all they need. Only an empty
  // week looks further ahead (the first week with a slot, or the next free day).
  let result = await fetchWeeks(1);
  const inWeek = (r: typeof result) => r.slots.filter((s) => localDate(s.start, r.timeZone) >= weekStart);
  let slots = inWeek(result);
  if (!slots.some((s) => localDate(s.start, result.timeZone) < addDays(weekStart, 7))) {
    result = await fetchWeeks(WEEKS_AHEAD);
    slots = inWeek(result);
  }
  const timeZone = result.timeZone;

  if (!asked && slots[0]) weekStart = mondayOf(localDate(slots[0].start, timeZone));
  const weekEnd = addDays(weekStart, 7);

  const byDay = new Map<string, FreeSlot[]>();
  for (const s of slots) {
    const date = localDate(s.start, timeZone);
    if (date < weekStart || date >= weekEnd) continue;
    const list = byDay.get(date) ?? [];
    list.push(s);
    byDay.set(date, list);
  }
  const days = Array.from({ length: 7 }, (_, i) => {
    const date = addDays(weekStart, i);
    return { date, past: date < today, slots: byDay.get(date) ?? [] };
  });

  const later = byDay.size ? undefined : slots.find((s) => localDate(s.start, timeZone) >= weekEnd);
  const laterDate = later ? localDate(later.start, timeZone) : null;

  return {
    timeZone,
    durationMinutes: result.durationMinutes,
    weekStart,
    days,
    prevWeek: weekStart > thisWeek ? addDays(weekStart, -7) : null,
    nextWeek: weekEnd <= lastBookable ? weekEnd : null,
    nextAvailable: laterDate ? { date: laterDate, week: mondayOf(laterDate) } : null,
    starts: new Set(result.slots.map((s) => s.start)),
  };
}

/** Whether one start is free for the visit (with these add-ons), asked on its own; the start as the API writes it, or null. */
async function freeStart(api: Api, listingId: string, start: string, addons: readonly string[] = []): Promise<string | null> {
  const at = Date.parse(start);
  // Past what a Date can hold, a minute later would not be a date.
  if (Number.isNaN(at) || Math.abs(at) > 8.6e15) return null;
  const span = { from: new Date(at).toISOString(), to: new Date(at + 60_000).toISOString() };
  const query = addons.length ? { ...span, addons: addons.join(',') } : span;
  const result = await ok(api.GET('/listings/{id}/slots', { params: { path: { id: listingId }, query } })).catch(() => null);
  return result?.slots.find((s) => Date.parse(s.start) === at)?.start ?? null;
}

/**
 * The start a link asks for, if free: the same instant however it is written (an offer's time may
 * carry milliseconds), found among the weeks fetched, or asked on its own (chosen, then another week
 * browsed). Not free: `too_long` when only the add-ons stop it (free for the service alone), else
 * `taken` (taken, past or unknown).
 */
export async function chosenStart(api: Api, listingId: string, week: WeekView, asked: string, addons: readonly string[]): Promise<{ chosen: string | null; gone: 'too_long' | 'taken' | null }> {
  const chosen = week.starts.has(asked) ? asked : ([...week.starts].find((s) => Date.parse(s) === Date.parse(asked)) ?? (await freeStart(api, listingId, asked, addons)));
  if (chosen) return { chosen, gone: null };
  return { chosen: null, gone: addons.length && (await freeStart(api, listingId, asked)) ? 'too_long' : 'taken' };
}

/** No time at all in the weeks ahead with the add-ons, though the service alone has some: the add-ons are why. */
export async function tooLongWithAddons(api: Api, listingId: string, schedule: { timeZone: string; horizonDays: number }, week: WeekView, addons: readonly string[]): Promise<boolean> {
  if (!addons.length || week.nextAvailable || week.days.some((d) => d.slots.length > 0)) return false;
  const alone = await loadWeek(api, listingId, schedule, null).catch(() => null);
  return Boolean(alone?.days.some((d) => d.slots.length > 0));
}
