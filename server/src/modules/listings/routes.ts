import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CoopListingsQuery,
  CreateListingBody,
  ErrorBody,
  IdempotencyHeaders,
  IdParams,
  Listing,
  ListingList,
  SearchQuery,
  SEARCH_TOTAL_CAP,
  SearchResult,
  UpdateListingBody,
} from '@tissu/shared';
import type { Config } from '../../plugins/env.js';
import { idempotent } from '../../idempotency.js';
import { createListingsService } from './service.js';
import { createListingPhotosService } from './photos.js';
import { listingPhotoRoutes } from './photo-routes.js';
import { createListingQuestionsService } from './questions.js';
import { listingQuestionRoutes } from './question-routes.js';

const tags = ['listings'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const listingsRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  const mediaBase = config.media.publicUrl;
  const listings = createListingsService({ db: app.db, cursorSecret: config.jwtSecret, mediaBase });
  const photos = createListingPhotosService({ db: app.db, storage: app.storage, mediaBase, log: app.log });
  await app.register(listingPhotoRoutes, { photos, perMinute: config.uploadRateLimitPerMinute });
  await app.register(listingQuestionRoutes, { questions: createListingQuestionsService({ db: app.db }) });

  app.get('/listings', {
    schema: {
      tags,
      summary: 'Search the active listings of approved co-ops',
      description:
        'Full-text in French and English, accents ignored, last word matched as a prefix. `borough` keeps listings served at the ' +
        "client's place in that borough and listings held at a co-op located there (not remote ones). Pages with the opaque " +
        `\`nextCursor\`; \`total\` counts the matches up to ${SEARCH_TOTAL_CAP.toLocaleString('en')}, \`totalCapped\` says there are more.`,
      querystring: SearchQuery,
      response: { 200: SearchResult, 400: ErrorBody },
    },
  }, async (req) => listings.search(req.query));

  app.get('/listings/:id', {
    schema: { tags, summary: 'One listing', params: IdParams, response: { 200: Listing, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => listings.get(req.actor, req.params.id));

  app.patch('/listings/:id', {
    schema: {
      tags, security, summary: 'Edit, pause, resume or archive a listing (co-op admins)',
      params: IdParams, body: UpdateListingBody, response: { 200: Listing, ...errors },
    },
  }, async (req) => listings.update(req.actor, req.params.id, req.body));

  app.get('/coops/:id/listings', {
    schema: {
      tags, summary: "A co-op's listings: active ones for everyone, all of them for its admins",
      params: IdParams, querystring: CoopListingsQuery, response: { 200: ListingList, ...errors },
    },
  }, async (req) => ({ items: await listings.ofCoop(req.actor, req.params.id, req.query.status) }));

  app.post('/coops/:id/listings', {
    schema: {
      tags, security, summary: 'Publish a listing (admins of an approved co-op)',
      params: IdParams, headers: IdempotencyHeaders, body: CreateListingBody, response: { 201: Listing, ...errors },
    },
  }, async (req, reply) => idempotent(app.db, req, reply, 201, () => listings.create(req.actor, req.params.id, req.body)));
};
