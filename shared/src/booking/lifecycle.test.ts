import { describe, expect, it } from 'vitest';
import { BOOKING_STATES, canTransition, isFinal, nextStates, TRANSITIONS } from './lifecycle.js';
import { cancellationOutcome } from './cancellation.js';

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
