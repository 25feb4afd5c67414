import { unauthorized, forbidden } from './errors.js';

/** Who is making a request, as proven by a verified token and a live session. */
export interface Actor {
  userId: string;
  sessionId: string;
  isSteward: boolean;
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
