import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ConversationList, ConversationListQuery, ConversationView, ErrorBody, HideMessageBody, IdParams, Message, OkBody,
  PostMessageBody, ReportMessageBody, StartConversationBody,
} from '@tissu/shared';
import { createConversationsService } from './service.js';
import type { Config } from '../../plugins/env.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const tags = ['conversations'];
const security = [{ bearer: [] }];

/** Per person, not per address: people behind one address (an office, a phone network) do not share them. */
const perPerson = (max: number) => ({
  rateLimit: { max, timeWindow: '1 minute', keyGenerator: (req: { actor?: { userId: string } | null; ip: string }) => req.actor?.userId ?? req.ip },
});

/** Posting is limited per person (config: 20 a minute); starting conversations and reporting, half as often. */
export const conversationsRoutes: FastifyPluginAsyncZod<{ config: Config; wake?: () => void }> = async (app, opts) => {
  const conversations = createConversationsService({ db: app.db, wake: opts.wake });
  const POST_MESSAGES_PER_MINUTE = opts.config.messageRateLimitPerMinute;
  const START_CONVERSATIONS_PER_MINUTE = Math.floor(POST_MESSAGES_PER_MINUTE / 2);
  const REPORTS_PER_MINUTE = START_CONVERSATIONS_PER_MINUTE;

  app.post('/conversations', {
    config: perPerson(START_CONVERSATIONS_PER_MINUTE),
    schema: { tags, security, summary: "Write to a co-op (\"Écrire à la coop\"): the client's open inquiry with it about this listing is reused, or made", body: StartConversationBody, response: { 201: ConversationView, ...errors } },
  }, async (req, reply) => reply.code(201).send(await conversations.start(req.actor, req.body)));

  app.get('/conversations', {
    schema: { tags, security, summary: "The person's conversations (a co-op's, with coopId; reported ones for stewards, with reported=true), latest first", querystring: ConversationListQuery, response: { 200: ConversationList, ...errors } },
  }, async (req) => conversations.list(req.actor, req.query));

  app.get('/conversations/:id', {
    schema: { tags, security, summary: 'A conversation: its messages and its booking\'s or series\' state changes in one feed', params: IdParams, response: { 200: ConversationView, ...errors } },
  }, async (req) => conversations.get(req.actor, req.params.id));

  app.post('/conversations/:id/messages', {
    config: perPerson(POST_MESSAGES_PER_MINUTE),
    schema: { tags, security, summary: 'Write in a conversation; a co-op admin may suggest a time in an inquiry', params: IdParams, body: PostMessageBody, response: { 201: Message, ...errors } },
  }, async (req, reply) => reply.code(201).send(await conversations.post(req.actor, req.params.id, req.body)));

  app.post('/conversations/:id/read', {
    schema: { tags, security, summary: 'Mark every message of the conversation read, for the person asking', params: IdParams, response: { 200: OkBody, ...errors } },
  }, async (req) => conversations.read(req.actor, req.params.id));

  app.get('/bookings/:id/conversation', {
    schema: { tags, security, summary: "The booking's conversation (a visit's is its series'), made on the first ask", params: IdParams, response: { 200: ConversationView, ...errors } },
  }, async (req) => conversations.forBooking(req.actor, req.params.id));

  app.get('/series/:id/conversation', {
    schema: { tags, security, summary: "The series' conversation, made on the first ask", params: IdParams, response: { 200: ConversationView, ...errors } },
  }, async (req) => conversations.forSeries(req.actor, req.params.id));

  app.post('/messages/:id/report', {
    config: perPerson(REPORTS_PER_MINUTE),
    schema: { tags, security, summary: 'Report a message to the stewards (once per person)', params: IdParams, body: ReportMessageBody, response: { 200: OkBody, ...errors } },
  }, async (req) => conversations.report(req.actor, req.params.id, req.body.reason));

  app.post('/messages/:id/hide', {
    schema: { tags, security, summary: 'Stewards: hide a message of a reported conversation (its reports are resolved)', params: IdParams, body: HideMessageBody, response: { 200: Message, ...errors } },
  }, async (req) => conversations.hide(req.actor, req.params.id, req.body.reason));
};
