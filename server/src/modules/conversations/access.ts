import type { Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { roleIn } from '../coops/index.js';
import * as repo from './repository.js';

/**
 * Who the person is in a conversation: its client, an admin of its co-op, a worker assigned to its
 * booking or series (still a member), a steward reading it because someone reported a message, or
 * nobody (null: the conversation answers 404). Inquiries are between the client and the admins.
 */
export type Part = 'client' | 'coop_admin' | 'worker' | 'steward' | null;

type Subject = Pick<repo.ConversationRow, 'coopId' | 'clientId' | 'bookingId' | 'seriesId'> & { id?: string };

export async function partOf(db: Tx, actor: Actor, c: Subject): Promise<Part> {
  if (c.clientId === actor.userId) return 'client';
  const role = await roleIn(db, c.coopId, actor.userId);
  if (role === 'admin') return 'coop_admin';
  if (role && (c.bookingId || c.seriesId) && (await repo.isWorkerIn(db, c as repo.ConversationRow, actor.userId))) return 'worker';
  if (actor.isSteward && c.id && (await repo.hasReports(db, c.id))) return 'steward';
  return null;
}

/** Everyone in the conversation (not stewards): the client, the admins, the assigned workers. */
export async function peopleIn(db: Tx, c: repo.ConversationRow): Promise<string[]> {
  const [admins, workers] = await Promise.all([repo.adminIds(db, c.coopId), repo.workerIds(db, c)]);
  return [...new Set([c.clientId, ...admins, ...workers])];
}
