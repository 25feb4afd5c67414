import { fieldError, type ListingQuestion, type ListingQuestionsBody } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import type { Actor } from '../../actor.js';
import { badRequest } from '../../errors.js';
import * as rows from './questions-repository.js';
import { listingForAdmins } from './admin-access.js';
import { toQuestion } from './dto.js';

/** A listing's questions in order, for its page and for checking a booking's answers (shared/booking/questions.ts). */
export async function questionsOfListing(db: Tx, listingId: string): Promise<ListingQuestion[]> {
  return (await rows.questionsOfListing(db, listingId)).map(toQuestion);
}

/**
 * A listing's booking questions, replaced as a whole by its co-op's admins (anyone else who can see
 * the listing gets 403, anyone who cannot the 404 of a listing that does not exist), under the
 * listing's row lock. An id in the list must be one of this listing's questions: it keeps it.
 */
export function createListingQuestionsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    async replace(actor: Actor | null, listingId: string, body: ListingQuestionsBody): Promise<ListingQuestion[]> {
      return db.transaction(async (tx) => {
        await listingForAdmins(tx, actor, listingId, 'questions', true);
        const mine = new Set((await rows.questionsOfListing(tx, listingId)).map((q) => q.id));
        const strangers = body.questions.flatMap((q, i) => (q.id && !mine.has(q.id) ? [i] : []));
        if (strangers.length > 0) {
          throw badRequest('Some fields are not valid', Object.fromEntries(strangers.map((i) => [`questions.${i}.id`, [fieldError('invalid_id')]])));
        }
        await rows.replaceQuestions(tx, listingId, body.questions.map((q, position) => ({
          id: q.id, position, kind: q.kind, labelFr: q.labelFr, labelEn: q.labelEn, helpFr: q.helpFr, helpEn: q.helpEn,
          required: q.required, choices: q.choices, min: q.min, max: q.max,
        })));
        return questionsOfListing(tx, listingId);
      });
    },
  };
}
export type ListingQuestionsService = ReturnType<typeof createListingQuestionsService>;
