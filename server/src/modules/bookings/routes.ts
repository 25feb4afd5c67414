import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AcceptBody,
  AssignmentChoices,
  AssignWorkersBody,
  Booking,
  BookingList,
  BookingListQuery,
  CompleteBody,
  ConfirmMinutesBody,
  CreateBookingBody,
  ErrorBody,
  IdParams,
  IdempotencyHeaders,
  OptionalReasonBody,
  ReasonBody,
  ReportMinutesBody,
  RescheduleBody,
  Schedule,
  ScheduleBody,
  ScheduleSaved,
  SlotsQuery,
  SlotsResult,
  Visit,
  VisitList,
  VisitsQuery,
} from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import { createBookingsService } from './service.js';
import { createBookingPayments } from '../../flows/booking-payments.js';
import { createScheduleChanges } from '../../flows/schedule-changes.js';
import { createCompletion } from '../../flows/quote-balance.js';
import { outsidersAnswer404 } from './relation.js';
import { createMinutesService } from './minutes.js';
import { fromInquiry, withUnreadMessages } from '../../flows/conversation-links.js';
import type { Config } from '../../plugins/env.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['bookings'];
const security = [{ bearer: [] }];

export const bookingsRoutes: FastifyPluginAsyncZod<{ config: Config; wake?: () => void }> = async (app, opts) => {
  const deps = { db: app.db, paymentWindowHours: opts.config.paymentWindowHours, wake: opts.wake };
  const bookings = createBookingsService(deps);
  const withPayments = createBookingPayments({ ...deps, gateway: app.payments });
  const schedules = createScheduleChanges(app.db, app.payments);
  const outsidersFirst = outsidersAnswer404(app.db);
  const minutes = createMinutesService({ db: app.db });
  const completion = createCompletion({ ...deps, gateway: app.payments, webOrigin: opts.config.webOrigin, log: app.log });

  app.get('/listings/:id/schedule', {
    schema: { tags, params: IdParams, response: { 200: Schedule, ...errors } },
  }, async (req) => schedules.get(req.params.id));

  app.put('/listings/:id/schedule', {
    schema: { tags, security, params: IdParams, body: ScheduleBody, response: { 200: ScheduleSaved, ...errors } },
  }, async (req) => schedules.put(req.actor, req.params.id, req.body));

  app.get('/listings/:id/slots', {
    schema: { tags, params: IdParams, querystring: SlotsQuery, response: { 200: SlotsResult, ...errors } },
  }, async (req) => schedules.slots(req.params.id, new Date(req.query.from), new Date(req.query.to)));

  app.post('/bookings', {
    schema: { tags, security, headers: IdempotencyHeaders, body: CreateBookingBody, response: { 201: Booking, ...errors } },
  }, async (req, reply) => idempotent(app.db, req, reply, 201, () => bookings.create(req.actor, req.body, fromInquiry(req.body.conversationId, 'booking'))));

  app.get('/bookings', {
    schema: { tags, security, querystring: BookingListQuery, response: { 200: BookingList, ...errors } },
  }, async (req) => withUnreadMessages(app.db, req.actor, await bookings.list(req.actor, req.query)));

  app.get('/bookings/:id', {
    schema: { tags, security, params: IdParams, response: { 200: Booking, ...errors } },
  }, async (req) => bookings.get(req.actor, req.params.id));

  app.post('/bookings/:id/accept', {
    preValidation: outsidersFirst,
    schema: { tags, security, params: IdParams, body: AcceptBody, response: { 200: Booking, ...errors } },
  }, async (req) => withPayments.accept(req.actor, req.params.id, req.body?.acceptSolidarity));

  app.post('/bookings/:id/decline', {
    preValidation: outsidersFirst,
    schema: { tags, security, params: IdParams, body: ReasonBody, response: { 200: Booking, ...errors } },
  }, async (req) => bookings.decline(req.actor, req.params.id, req.body.reason));

  app.post('/bookings/:id/cancel', {
    preValidation: outsidersFirst,
    schema: { tags, security, params: IdParams, body: OptionalReasonBody, response: { 200: Booking, ...errors } },
  }, async (req) => withPayments.cancel(req.actor, req.params.id, req.body?.reason));

  app.post('/bookings/:id/complete', {
    preValidation: outsidersFirst,
    schema: { tags, security, params: IdParams, body: CompleteBody, response: { 200: Booking, ...errors } },
  }, async (req) => completion.complete(req.actor, req.params.id, req.body.hours, req.body.reason));

  app.post('/bookings/:id/no-show', {
    preValidation: outsidersFirst,
    schema: { tags, security, params: IdParams, body: OptionalReasonBody, response: { 200: Booking, ...errors } },
  }, async (req) => bookings.noShow(req.actor, req.params.id, req.body?.reason));

  app.put('/bookings/:id/workers', {
    preValidation: outsidersFirst,
    schema: { tags, security, params: IdParams, body: AssignWorkersBody, response: { 200: Booking, ...errors } },
  }, async (req) => bookings.assign(req.actor, req.params.id, req.body.userIds, req.body.reason));

  app.get('/bookings/:id/assignment-choices', {
    preValidation: outsidersFirst,
    schema: { tags, security, summary: "Who the co-op's admins may assign, and who is away or busy at the booking's time", params: IdParams, response: { 200: AssignmentChoices, ...errors } },
  }, async (req) => bookings.assignmentChoices(req.actor, req.params.id));

  app.post('/bookings/:id/reschedule', {
    preValidation: outsidersFirst,
    schema: { tags, security, params: IdParams, body: RescheduleBody, response: { 200: Booking, ...errors } },
  }, async (req) => withPayments.reschedule(req.actor, req.params.id, req.body.startsAt));

  app.get('/me/visits', {
    schema: { tags, security, summary: 'The visits the person is assigned to, across her co-ops ("Mes visites")', querystring: VisitsQuery, response: { 200: VisitList, ...errors } },
  }, async (req) => minutes.myVisits(req.actor, req.query));

  app.post('/bookings/:id/minutes', {
    preValidation: outsidersFirst,
    schema: { tags, security, summary: 'An assigned worker reports the minutes she delivered (until the co-op confirms them)', params: IdParams, body: ReportMinutesBody, response: { 200: Visit, ...errors } },
  }, async (req) => minutes.report(req.actor, req.params.id, req.body.minutes));

  app.put('/bookings/:id/minutes', {
    preValidation: outsidersFirst,
    schema: { tags, security, summary: "The co-op's admin confirms or corrects a worker's minutes on a completed booking", params: IdParams, body: ConfirmMinutesBody, response: { 200: Booking, ...errors } },
  }, async (req) => minutes.confirm(req.actor, req.params.id, req.body));
};
