import { z } from 'zod';
import { Id } from './common.js';

/**
 * Private calendar feeds (iCalendar subscriptions). Each person has one per view of visits they may
 * see: `client` her own bookings; `worker` the visits she is assigned to at one co-op; `coop` all of
 * one co-op's bookings (its admins, each with an address of their own).
 */
export const CALENDAR_FEED_KINDS = ['client', 'worker', 'coop'] as const;
export const CalendarFeedKind = z.enum(CALENDAR_FEED_KINDS);
export type CalendarFeedKind = z.infer<typeof CalendarFeedKind>;

export const CalendarFeed = z.object({
  kind: CalendarFeedKind,
  /** The co-op of a worker's or a co-op's feed; null for a client's. */
  coopId: Id.nullable(),
  coopName: z.string().nullable(),
  /** The subscription address (a secret: whoever holds it reads the feed); null until one is made. */
  url: z.url().nullable(),
});
export type CalendarFeed = z.infer<typeof CalendarFeed>;
export const CalendarFeedList = z.object({ feeds: z.array(CalendarFeed) });
export type CalendarFeedList = z.infer<typeof CalendarFeedList>;

/** Makes the feed's address, or replaces it: the old one answers 404 from then on. */
export const ResetCalendarFeedBody = z
  .object({ kind: CalendarFeedKind, coopId: Id.nullable().optional() })
  .superRefine((b, ctx) => {
    if (b.kind === 'client' ? b.coopId : !b.coopId) ctx.addIssue({ code: 'custom', path: ['coopId'], message: b.kind === 'client' ? 'invalid_value' : 'required' });
  });

/**
 * The file name in a feed's address: its token, 43 URL-safe characters (256 bits), then `.ics`
 * (calendar apps like the suffix). The web and the API look up nothing else: any other name is 404.
 */
export const CALENDAR_FEED_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;

/** The token of a feed's address, with `.ics` (calendar apps like the suffix); anything else answers 404. */
export const CalendarFeedParams = z.object({ file: z.string().max(200) });
