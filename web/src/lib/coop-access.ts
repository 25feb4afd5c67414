/**
 * Which pages of a co-op's dashboard a person may open. The overview, payments and earnings are
 * its admins' (the API answers 403 to anyone else); a worker-member, or a steward who is not an
 * admin of it, opens its bookings only (a worker sees the visits she is assigned to).
 */
import type { User } from '@tissu/shared';

export function managesCoop(user: Pick<User, 'coops'> | null | undefined, coopId: string): boolean {
  return Boolean(user?.coops.some((c) => c.coopId === coopId && c.role === 'admin'));
}

