import { describe, expect, it } from 'vitest';
import { BOOKING_STATES, canTransition, isFinal, nextStates, TRANSITIONS } from './lifecycle.js';
import { cancellationDeadline, cancellationOutcome } from './cancellation.js';

describe('booking lifecycle table', () => {
  it('lets only the co-op answer a request, and only the system expire it', () => {
    expect(canTransition('requested', 'accepted', 'coop_admin')).toBe(true);
    expect(canTransition('requested', 'accepted', 'client')).toBe(false);
    expect(canTransition('requested', 'expired', 'coop_admin')).toBe(false);
    expect(canTransition('requested', 'expired', 'system')).toBe(true);
  });
  it('never leaves a final state', () => {
    for (const s of ['completed', 'declined', 'expired', 'cancelled_by_client', 'cancelled_by_coop', 'no_show'] as const) {
      expect(isFinal(s)).toBe(true);
      for (const to of BOOKING_STATES) expect(canTransition(s, to, 'coop_admin')).toBe(false);
    }
  });
  it('offers each role its buttons', () => {
    expect(nextStates('accepted', 'client')).toEqual(['cancelled_by_client']);
    expect(nextStates('requested', 'coop_admin').sort()).toEqual(['accepted', 'declined']);
  });
  it('has no duplicate transitions', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}>${t.to}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('cancellation policy', () => {
  const policy = { freeCancellationHours: 24, lateCancellationPercent: 50 };
  const startsAt = new Date('2026-03-10T14:00:00Z');
  it('is free until the deadline', () => {
    const o = cancellationOutcome(policy, { startsAt, cancelledAt: new Date('2026-03-09T13:59:59Z'), priceCents: 12345, by: 'client' });
    expect(o).toMatchObject({ late: false, chargeCents: 0, refundCents: 12345 });
    expect(o.deadline.toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });
  it('charges the late share from the deadline on, rounded half up, the parts adding up', () => {
    const o = cancellationOutcome(policy, { startsAt, cancelledAt: new Date('2026-03-09T14:00:00Z'), priceCents: 12345, by: 'client' });
    expect(o).toMatchObject({ late: true, chargeCents: 6173, refundCents: 6172 });
  });
  it('refunds everything when the co-op cancels, even late', () => {
    const o = cancellationOutcome(policy, { startsAt, cancelledAt: new Date('2026-03-10T13:00:00Z'), priceCents: 9999, by: 'coop' });
    expect(o).toMatchObject({ late: false, chargeCents: 0, refundCents: 9999 });
  });
});

describe('free cancellation while the co-op answers', () => {
  // The reported case: a request moved to Saturday 10:30 (Toronto, 15:30 UTC), 24 h of free
  // cancellation (so until Friday 10:30), and the co-op had until Friday 11:15 to answer.
  const policy = { freeCancellationHours: 24, lateCancellationPercent: 50 };
  const startsAt = new Date('2026-12-12T15:30:00Z');
  const requestedAt = new Date('2026-12-09T14:00:00Z');
  const acceptedAt = new Date('2026-12-11T16:14:00Z'); // Friday 11:14, past the cutoff
  it('stays free for a day after a late acceptance, never beyond the start', () => {
    expect(cancellationDeadline(policy, startsAt, { requestedAt, acceptedAt }).toISOString()).toBe('2026-12-12T15:30:00.000Z');
    const o = cancellationOutcome(policy, { startsAt, cancelledAt: new Date('2026-12-11T17:00:00Z'), priceCents: 8000, by: 'client', answer: { requestedAt, acceptedAt } });
    expect(o).toMatchObject({ late: false, chargeCents: 0, refundCents: 8000 });
  });
  it('gives a day after an acceptance that came just before the cutoff', () => {
    const early = new Date('2026-12-11T14:30:00Z'); // Friday 9:30, one hour before the cutoff
    const later = new Date('2026-12-16T15:30:00Z');
    expect(cancellationDeadline(policy, later, { requestedAt, acceptedAt: early }).toISOString()).toBe('2026-12-15T15:30:00.000Z'); // the cutoff is later
    expect(cancellationDeadline(policy, startsAt, { requestedAt, acceptedAt: early }).toISOString()).toBe('2026-12-12T14:30:00.000Z');
  });
  it('keeps the policy for a request sent after the cutoff, an instant booking, and an unanswered request', () => {
    const lateRequest = new Date('2026-12-11T20:00:00Z');
    expect(cancellationDeadline(policy, startsAt, { requestedAt: lateRequest, acceptedAt: new Date('2026-12-11T21:00:00Z') }).toISOString()).toBe('2026-12-11T15:30:00.000Z');
    expect(cancellationDeadline(policy, startsAt, { requestedAt, acceptedAt: null }).toISOString()).toBe('2026-12-11T15:30:00.000Z');
    expect(cancellationDeadline(policy, startsAt).toISOString()).toBe('2026-12-11T15:30:00.000Z');
    const o = cancellationOutcome(policy, { startsAt, cancelledAt: new Date('2026-12-11T21:30:00Z'), priceCents: 8001, by: 'client', answer: { requestedAt: lateRequest, acceptedAt: new Date('2026-12-11T21:00:00Z') } });
    expect(o).toMatchObject({ late: true, chargeCents: 4001, refundCents: 4000 });
  });
});
