/**
 * Who takes a new booking when the co-op assigns automatically (round-robin, Cal.com style):
 * among the members free then, the one with the fewest assigned minutes this month; ties go to
 * whoever was assigned longest ago (never assigned counts as longest), then to the smallest id so
 * the choice is the same on every run.
 *
 * Invariants (checked by fast-check in pick.test.ts): the pick is one of the candidates; no
 * candidate has fewer minutes; among those with as few, none was assigned earlier; the order of
 * the input changes nothing.
 */
export interface AssignCandidate {
  userId: string;
  /** Minutes of live and completed bookings assigned to her that start this month (the co-op's clock). */
  minutesThisMonth: number;
  /** When she was last assigned anything at this co-op (ms), or null if never. */
  lastAssignedAt: number | null;
}

export function rankCandidates<T extends AssignCandidate>(candidates: readonly T[]): T[] {
  return [...candidates].sort((a, b) =>
    a.minutesThisMonth - b.minutesThisMonth
    || (a.lastAssignedAt ?? -Infinity) - (b.lastAssignedAt ?? -Infinity)
    || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

export function pickWorker<T extends AssignCandidate>(candidates: readonly T[]): T | null {
  return rankCandidates(candidates)[0] ?? null;
}
