import type { User } from '@tissu/shared';

/**
 * Where a person lands after signing in when no page asked for them: where their work is.
 * A steward decides co-op applications and runs the year; a co-op admin answers booking requests
 * (in their co-op's inbox, or the list of their co-ops when they run several); a worker-member
 * finds the visits she is assigned to (Mes visites); a client follows their bookings. The first that applies wins.
 */
export function landingPage(user: Pick<User, 'isSteward' | 'coops'>): string {
  if (user.isSteward) return '/steward';
  const adminOf = user.coops.filter((c) => c.role === 'admin' && c.coopStatus === 'approved');
  if (adminOf.length === 1) return `/dashboard/coops/${adminOf[0]!.coopId}/bookings`;
  if (adminOf.length > 1) return '/dashboard#my-coops';
  if (user.coops.some((c) => c.role === 'worker' && c.coopStatus === 'approved')) return '/visits';
  // A client, or someone whose co-op application waits: their bookings (the dashboard shows the application).
  return user.coops.length > 0 ? '/dashboard' : '/bookings';
}
