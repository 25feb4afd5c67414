import { describe, expect, it } from 'vitest';
import { landingPage } from './landing';

const coop = (role: 'admin' | 'worker', coopStatus = 'approved', coopId = 'c1') => ({ coopId, role, coopStatus }) as never;

describe('where a person lands after signing in', () => {
  it('a worker-member lands on her visits (Mes visites), not on her patronage statements', () => {
    expect(landingPage({ isSteward: false, coops: [coop('worker')] })).toBe('/visits');
  });
  it('an admin lands in her co-op’s inbox, a steward on the steward’s page, a client on her bookings', () => {
    expect(landingPage({ isSteward: false, coops: [coop('admin'), coop('worker', 'approved', 'c2')] })).toBe('/dashboard/coops/c1/bookings');
    expect(landingPage({ isSteward: true, coops: [coop('worker')] })).toBe('/steward');
    expect(landingPage({ isSteward: false, coops: [] })).toBe('/bookings');
  });
});
