import { and, eq } from 'drizzle-orm';
import type { AppLocale } from '@tissu/shared';
import { schema, type Tx } from '@tissu/db';
import type { OutgoingMail } from '../../plugins/mailer.js';
import { bookingCalendar, bookingUid } from './ics.js';
import { bookingSequences } from './event-sequence.js';
import { calendarMethod, onItsRule, seriesIcsOf, seriesRules } from './series-calendar.js';

type Attachment = NonNullable<OutgoingMail['attachments']>[number];
type Booking = typeof schema.bookings.$inferSelect;

/** Messages that put a booking in a calendar, or take it out. */
const SHOWS = new Set(['confirmed', 'assigned', 'reminder', 'rescheduled']);
const ENDS = new Set(['cancelled', 'expired', 'unpaid', 'unpaid_coop', 'unassigned']);

/**
 * The calendar attachments of a booking's email.
 *
 * A single booking has one event of its own (reservation.ics): sent when it is confirmed, assigned,
 * recalled or moved, and cancelled with it.
 *
 * A visit of a series is an occurrence of the series' repeating event while it is at its rule's
 * time. When one visit ends on its own (cancelled by either side, or lapsed unpaid) or is moved, the
 * client and the co-op's admins (the people the series' emails give the event to) get that event
 * again at once (visites.ics, higher SEQUENCE, the date in EXDATE: see series-calendar.ts for why
 * not a CANCEL of one occurrence). A visit away from its rule's time (moved, or placed elsewhere for
 * a gap) has an event of its own, for everyone told of it, workers included: published while it
 * stands there, cancelled when it ends or goes back to the rule's time (the series shows it again).
 * One email carries each event once: when visites.ics already holds the visit's own event (moved
 * and still live, in the listing's zone), reservation.ics is not attached beside it, or a calendar
 * would get the same UID twice, in two time forms, and file it twice or refuse the second.
 */
export async function bookingCalendars(
  tx: Tx, p: { message: string }, b: Booking, recipientId: string,
  e: { title: string; coop: string; url: string; see: string; locale: AppLocale; webOrigin: string; organizer: string },
): Promise<Attachment[]> {
  const uid = bookingUid(b.id);
  const sequence = (await bookingSequences(tx, [b.id])).get(b.id) ?? 0;
  const own = (cancelled: boolean): Attachment => {
    const ics = bookingCalendar({
      uid, start: b.startsAt, end: b.endsAt, summary: `${e.title} — ${e.coop}`,
      description: `${e.see} : ${e.url}`, location: b.address, url: e.url, sequence, organizer: e.organizer, cancelled,
    });
    return { filename: 'reservation.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${calendarMethod(ics)}` };
  };
  if (!b.seriesId || !b.seriesDate) {
    if (p.message === 'cancelled' && b.state !== 'requested') return [own(true)];
    // Taken off it: the event her assignment sent is taken back.
    if (p.message === 'unassigned') return [own(true)];
    // Lapsed unpaid: the team holds the event their assignment sent, taken back; no one else had one.
    if (p.message === 'unpaid_coop') return (await isAssigned(tx, b, recipientId)) ? [own(true)] : [];
    return SHOWS.has(p.message) ? [own(false)] : [];
  }
  if (!SHOWS.has(p.message) && !ENDS.has(p.message)) return [];
  const rules = await seriesRules(tx, b.seriesId);
  const onRule = onItsRule(rules, b.timeZone, { date: b.seriesDate, startsAt: b.startsAt });
  const out: Attachment[] = [];
  if ((ENDS.has(p.message) || p.message === 'rescheduled') && (await isParty(tx, b, recipientId))) {
    const series = await seriesIcsOf(tx, b.seriesId, { title: e.title, coop: e.coop, locale: e.locale, webOrigin: e.webOrigin, organizer: e.organizer });
    if (series) out.push({ filename: 'visites.ics', content: series.ics, contentType: `text/calendar; charset=utf-8; method=${calendarMethod(series.ics)}` });
  }
  const inSeriesFile = out.some((a) => a.content.replace(/\r\n[ \t]/g, '').includes(`\r\nUID:${uid}\r\n`));
  if (inSeriesFile) return out;
  if (p.message === 'rescheduled') out.push(own(onRule));
  else if (!onRule) out.push(own(ENDS.has(p.message)));
  return out;
}

/** The client or an admin of the co-op: those the series' emails give its repeating event to. */
async function isParty(tx: Tx, b: Booking, userId: string): Promise<boolean> {
  if (userId === b.clientId) return true;
  const [m] = await tx.select({ role: schema.coopMembers.role }).from(schema.coopMembers)
    .where(and(eq(schema.coopMembers.coopId, b.coopId), eq(schema.coopMembers.userId, userId)));
  return m?.role === 'admin';
}

/** A worker assigned to the booking (sent its event with the assignment). */
async function isAssigned(tx: Tx, b: Booking, userId: string): Promise<boolean> {
  const [w] = await tx.select({ userId: schema.bookingWorkers.userId }).from(schema.bookingWorkers)
    .where(and(eq(schema.bookingWorkers.bookingId, b.id), eq(schema.bookingWorkers.userId, userId)));
  return w !== undefined;
}
