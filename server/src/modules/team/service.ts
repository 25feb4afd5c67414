import type { Db } from '@tissu/db';
import { absenceInstants, fieldError, skippedTimes, type TeamSettings, type TimeOff, type TimeOffBody, type TimeOffList } from '@tissu/shared';
import type { Actor } from '../../actor.js';
import { HttpError, badRequest, conflict, notFound, pgErrorCode } from '../../errors.js';
import { requireCoopRole } from '../coops/index.js';
import * as repo from './repository.js';

const DAY = 86_400_000;
/** The longest absence entered at once (the table's check says the same). */
export const MAX_TIME_OFF_DAYS = 366;

/**
 * Absences of a co-op's members. A worker lists, adds and removes her own; the co-op's admins see
 * everyone's, their notes included, and may enter one for a member. Outsiders learn nothing (404);
 * nothing is unassigned when an absence is entered: the visits it covers are listed with it, for
 * the admins to reassign.
 */
export function createTeamService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  function toDto(r: repo.TimeOffRow, name: string, clashes: Awaited<ReturnType<typeof repo.clashes>>, removable: boolean): TimeOff {
    return {
      id: r.id, userId: r.userId, name, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(), allDay: r.allDay, note: r.note,
      clashes: clashes.filter((c) => c.timeOffId === r.id)
        .map((c) => ({ bookingId: c.bookingId, startsAt: c.startsAt.toISOString(), endsAt: c.endsAt.toISOString(), listingTitleFr: c.titleFr, listingTitleEn: c.titleEn })),
      removable,
    };
  }

  return {
    async list(actor: Actor | null, coopId: string, scope: 'coming' | 'past'): Promise<TimeOffList> {
      const { actor: a, role } = await requireCoopRole(db, actor, coopId, 'member');
      const asAdmin = role === 'admin';
      const at = now();
      const rows = await repo.listTimeOff(db, { coopId, userId: asAdmin ? undefined : a.userId, now: at, scope });
      const [clashes, timeZone, members] = await Promise.all([
        repo.clashes(db, coopId, rows.map((r) => r.t)),
        repo.coopTimeZone(db, coopId),
        asAdmin ? repo.members(db, coopId) : Promise.resolve([]),
      ]);
      return {
        timeZone, asAdmin,
        items: rows.map((r) => toDto(r.t, r.name, clashes, r.t.endsAt > at)),
        members: members.map((m) => ({ userId: m.userId, name: m.name })),
      };
    },

    async add(actor: Actor | null, coopId: string, body: TimeOffBody): Promise<TimeOff> {
      const { actor: a, role } = await requireCoopRole(db, actor, coopId, 'member');
      const userId = body.userId ?? a.userId;
      // Only an admin enters someone else's absence; to a worker, another person's id is just not hers.
      if (userId !== a.userId && role !== 'admin') throw badRequest('You can only enter your own time off', { userId: [fieldError('not_coop_member')] });
      return db.transaction(async (tx) => {
        const person = (await repo.members(tx, coopId)).find((m) => m.userId === userId);
        if (!person) throw badRequest('Only members of this co-op can be away from it', { userId: [fieldError('not_coop_member')] });
        const zone = await repo.coopTimeZone(tx, coopId);
        const skipped = skippedTimes(body, zone);
        if (skipped.length) throw badRequest('This time does not exist that day: the clocks go forward', Object.fromEntries(skipped.map((f) => [f, [fieldError('time_skipped')]])));
        const { startsAt, endsAt } = absenceInstants(body, zone);
        if (!(endsAt > startsAt)) throw badRequest('Must end after it starts', { [body.allDay ? 'endDate' : 'endTime']: [fieldError('end_before_start')] });
        if (endsAt <= now()) throw badRequest('Must end in the future', { endDate: [fieldError('ends_in_past')] });
        if (endsAt.getTime() - startsAt.getTime() > MAX_TIME_OFF_DAYS * DAY) {
          throw badRequest(`At most ${MAX_TIME_OFF_DAYS} days at a time`, { endDate: [fieldError('time_off_too_long', { maximum: MAX_TIME_OFF_DAYS })] });
        }
        const row = await repo.insertTimeOff(tx, { coopId, userId, startsAt, endsAt, allDay: body.allDay, note: body.note, createdBy: a.userId })
          .catch((err: unknown) => {
            // The exclusion constraint decides: two overlapping absences of one person are refused, even entered at once.
            throw pgErrorCode(err) === '23P01'
              ? new HttpError(409, 'time_off_overlap', 'This overlaps time off already entered for this person', { startDate: [fieldError('invalid_value')] })
              : err;
          });
        return toDto(row, person.name, await repo.clashes(tx, coopId, [row]), true);
      });
    },

    async remove(actor: Actor | null, coopId: string, id: string): Promise<void> {
      const { actor: a, role } = await requireCoopRole(db, actor, coopId, 'member');
      const row = await repo.findTimeOff(db, coopId, id);
      // Another worker's absence is not hers to know of: the same answer as none.
      if (!row || (role !== 'admin' && row.userId !== a.userId)) throw notFound('Time off');
      if (row.endsAt <= now()) throw conflict('This time off is over: it stays in the history', 'time_off_over');
      await repo.deleteTimeOff(db, id);
    },

    async settings(actor: Actor | null, coopId: string): Promise<TeamSettings> {
      await requireCoopRole(db, actor, coopId, 'admin');
      const [autoAssign, timeZone] = await Promise.all([repo.autoAssignOf(db, coopId), repo.coopTimeZone(db, coopId)]);
      return { autoAssign: Boolean(autoAssign), timeZone };
    },

    async setSettings(actor: Actor | null, coopId: string, body: { autoAssign: boolean }): Promise<TeamSettings> {
      await requireCoopRole(db, actor, coopId, 'admin');
      await repo.setAutoAssign(db, coopId, body.autoAssign);
      return { autoAssign: body.autoAssign, timeZone: await repo.coopTimeZone(db, coopId) };
    },
  };
}
