/**
 * How many bookings one client may hold open (requested, or accepted and not paid yet) at once.
 * An open booking holds its slot and its co-op's attention until it is answered, paid or expires
 * (48 hours by default): without a cap, one person could take a listing's whole calendar and fill
 * its admins' inboxes. Paid bookings do not count: the client has committed to them.
 */
export const OPEN_BOOKINGS_PER_LISTING = 3;
export const OPEN_BOOKINGS_PER_CLIENT = 10;
/** The states of a booking that is open in that sense. */
export const OPEN_BOOKING_STATES = ['requested', 'accepted'] as const;
