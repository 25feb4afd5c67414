import { z } from 'zod';
import { Id, Timestamp, isoDate, text } from './common.js';

/**
 * The team's day (team module): absences of worker-members, the co-op's choice to assign new
 * bookings automatically, and who is free for one booking.
 */

/** "HH:MM", 24-hour, on the co-op's clock. */
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'invalid_time' });

/**
 * An absence as a person enters it, on the co-op's clock: whole days (from the first day's start
 * to the end of the last day) or from a day and time to a day and time.
 */
export const TimeOffBody = z
  .object({
    /** Whose absence: an admin may enter one for a worker; by default the person asking. */
    userId: Id.optional(),
    allDay: z.boolean().default(true),
    startDate: isoDate(),
    endDate: isoDate(),
    startTime: LocalTime.optional(),
    endTime: LocalTime.optional(),
    note: text(0, 200).default(''),
  })
  .superRefine((b, ctx) => {
    if (b.allDay) return;
    if (!b.startTime) ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'required' });
    if (!b.endTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'required' });
  });
export type TimeOffBody = z.infer<typeof TimeOffBody>;

/** A booking of hers that falls in the absence: the admins reassign it (nothing is unassigned silently). */
export const TimeOffClash = z.object({ bookingId: Id, startsAt: Timestamp, endsAt: Timestamp, listingTitleFr: z.string(), listingTitleEn: z.string() });

export const TimeOff = z.object({
  id: Id,
  userId: Id,
  name: z.string(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  allDay: z.boolean(),
  /** Only for the co-op's admins and the person herself. */
  note: z.string(),
  clashes: z.array(TimeOffClash),
  /** Whether the person asking may remove it now (hers or an admin's, not over). */
  removable: z.boolean(),
});
export type TimeOff = z.infer<typeof TimeOff>;

export const TimeOffList = z.object({
  /** The co-op's clock, the one the dates and times are entered on. */
  timeZone: z.string(),
  /** Whether the person asking is an admin (she sees everyone's, and may add for a worker). */
  asAdmin: z.boolean(),
  items: z.array(TimeOff),
  /** For an admin: the members an absence may be entered for. */
  members: z.array(z.object({ userId: Id, name: z.string() })),
});
export type TimeOffList = z.infer<typeof TimeOffList>;

export const TimeOffQuery = z.object({ scope: z.enum(['coming', 'past']).default('coming') });
export const TimeOffParams = z.object({ id: Id, timeOffId: Id });

export const TeamSettings = z.object({ autoAssign: z.boolean(), timeZone: z.string() });
export type TeamSettings = z.infer<typeof TeamSettings>;
export const TeamSettingsBody = z.object({ autoAssign: z.boolean() });

/** Why a member cannot take a booking at its time. */
export const Unavailability = z.object({
  kind: z.enum(['away', 'busy']),
  /** Null for a visit at another co-op: its times are not this co-op's to know. */
  startsAt: Timestamp.nullable(),
  endsAt: Timestamp.nullable(),
  /** For `busy`: the other booking, when it is this co-op's (null for another co-op's). */
  bookingId: Id.nullable(),
});
export type Unavailability = z.infer<typeof Unavailability>;

/** The co-op's members for the assignment form of one booking: who is assigned, who is away or busy then. */
export const AssignmentChoices = z.object({
  members: z.array(z.object({
    userId: Id,
    name: z.string(),
    role: z.enum(['admin', 'worker']),
    assigned: z.boolean(),
    unavailable: Unavailability.nullable(),
  })),
});
export type AssignmentChoices = z.infer<typeof AssignmentChoices>;
