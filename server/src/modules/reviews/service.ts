import type { Review } from '@tissu/shared';
import type { Db } from '@tissu/db';
import { requireActor, type Actor } from '../../actor.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import { toReview, viewerOf } from '../bookings/index.js';
import { roleIn } from '../coops/index.js';
import * as repo from './repository.js';

export function createReviewsService(db: Db) {
  return {
    /** Only the client of a completed booking may review it, once. */
    async review(actor: Actor | null, bookingId: string, body: { rating: number; body: string }): Promise<Review> {
      const a = requireActor(actor);
      const b = await repo.findBookingForReview(db, bookingId);
      const v = b && (await viewerOf(db, a, b));
      if (!v || (!v.isClient && !v.coopRole && !v.isSteward)) throw notFound('Booking');
      if (!v.isClient) throw forbidden('Only the client who booked can review');
      if (b.state !== 'completed') throw conflict('Only a completed booking can be reviewed', 'not_completed');
      const row = await repo.insertReview(db, {
        bookingId, listingId: b.listingId, coopId: b.coopId, clientId: a.userId, rating: body.rating, body: body.body,
      });
      if (!row) throw conflict('You have already reviewed this booking', 'already_reviewed');
      return toReview(row, await repo.authorName(db, a.userId));
    },

    /** The co-op answers publicly, once. */
    async reply(actor: Actor | null, reviewId: string, reply: string): Promise<Review> {
      const a = requireActor(actor);
      const r = await repo.findReview(db, reviewId);
      if (!r) throw notFound('Review');
      if ((await roleIn(db, r.coopId, a.userId)) !== 'admin') throw forbidden("Only the co-op's admins can answer");
      const row = await repo.setReplyOnce(db, reviewId, reply);
      if (!row) throw conflict('This review already has an answer', 'already_replied');
      return toReview(row, await repo.authorName(db, row.clientId));
    },

    async list(by: { listingId?: string; coopId?: string }) {
      const { items, count, average } = await repo.listReviews(db, by);
      if (count === 0 && !(await repo.subjectExists(db, by))) throw notFound(by.listingId ? 'Listing' : 'Co-op');
      return { count, average, items: items.map((i) => toReview(i.review, i.authorName)) };
    },
  };
}
