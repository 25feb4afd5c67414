/** A worker-member was shown the co-op's admin tabs, each a 403 page. */
import { describe, expect, it } from 'vitest';
import { managesCoop } from './coop-access';

const coop = (coopId: string, role: 'admin' | 'worker', coopStatus = 'approved') =>
  ({ coopId, coopName: `Coop ${coopId}`, coopSlug: coopId, role, coopStatus }) as const;

describe('a co-op’s dashboard pages', () => {
  it('are all open to its admins, and to no one else', () => {
    const user = { coops: [coop('a', 'admin'), coop('b', 'worker')] } as never;
    expect(managesCoop(user, 'a')).toBe(true);
    expect(managesCoop(user, 'b')).toBe(false);
    expect(managesCoop(user, 'c')).toBe(false);
    expect(managesCoop(null, 'a')).toBe(false);
  });
});
