import { HttpError, unauthorized, forbidden } from './errors.js';

/** Who is making a request, as proven by a verified token and a live session. */
export interface Actor {
  userId: string;
  sessionId: string;
  isSteward: boolean;
  /** Whether the account's address was confirmed with the link sent at sign-up. */
  emailVerified: boolean;
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthorized();
  return actor;
}

export function requireSteward(actor: Actor | null): Actor {
  const a = requireActor(actor);
  if (!a.isSteward) throw forbidden('Only platform stewards can do this');
  return a;
}

/**
 * Booking, paying and voting need a confirmed address: an account is cheap to make, and these
 * reach other people (a co-op's calendar, a payment, the assembly).
 */
export function requireVerifiedEmail(actor: Actor | null): Actor {
  const a = requireActor(actor);
  if (!a.emailVerified) {
    throw new HttpError(403, 'email_not_verified', 'Confirm your email address first: open the link we sent you, or ask for a new one');
  }
  return a;
}
