/** Regular visits: the words of the contract (no date library here, so schemas stay light for the web). */

/** How often a regular visit comes back; a listing offers some of them. */
export const SERIES_FREQUENCIES = ['weekly', 'every_2_weeks', 'every_4_weeks', 'weekdays'] as const;
export type SeriesFrequency = (typeof SERIES_FREQUENCIES)[number];

/**
 * A series: requested (the co-op has not answered) -> active -> paused <-> active -> ended;
 * requested -> declined. Its visits follow the booking lifecycle one by one.
 */
export const SERIES_STATES = ['requested', 'active', 'paused', 'ended', 'declined'] as const;
export type SeriesState = (typeof SERIES_STATES)[number];

/**
 * What the series' history records: who asked for it or booked it, the co-op's answer, the team,
 * changes from a date, gaps settled by the client, a single visit cancelled (skipped) or moved by
 * either side (its own history has the details too), and the end.
 */
export const SERIES_EVENT_KINDS = [
  'requested', 'booked', 'accepted', 'declined', 'team', 'changed', 'paused', 'resumed', 'ended', 'lapsed', 'gap_skipped', 'gap_moved', 'visit_cancelled', 'visit_moved', 'visit_closed',
] as const;
export type SeriesEventKind = (typeof SERIES_EVENT_KINDS)[number];
export interface SeriesEventDetail {
  time?: string;
  frequency?: SeriesFrequency;
  team?: string[];
  /** A moved visit's new start; a cancelled visit's start when it was cancelled. */
  startsAt?: string;
  /** A moved visit's start before the move. */
  movedFrom?: string;
  /** The booking a line about one visit is about (a date may hold several, after a pause and a resume). */
  bookingId?: string;
  /** Rules this change replaced before they began: their calendar events are sent again as cancelled. */
  replaced?: { startsOn: string; time: string }[];
}

/** The usual days between two visits of a frequency (weekday visits: the next weekday, a day at the least). */
export const FREQUENCY_DAYS: Record<SeriesFrequency, number> = { weekly: 7, every_2_weeks: 14, every_4_weeks: 28, weekdays: 1 };

/** A series never runs longer than this many visits, nor further than this many days ahead. */
export const MAX_SERIES_VISITS = 520;
export const MAX_SERIES_DAYS = 3 * 366;

/** Visits exist this many days ahead; a job keeps the horizon rolling. */
export const SERIES_HORIZON_DAYS = 56;
/** The client sees at least this many coming visits before confirming. */
export const SERIES_PREVIEW_VISITS = 8;

/** Series a client may have running (asked for, active or paused): on one listing, and in all. */
export const SERIES_PER_LISTING = 2;
export const SERIES_PER_CLIENT = 5;
/** A visit that cannot be at its rule's time moves at most this far from it, either way. */
export const SERIES_MOVE_HOURS = 24;
