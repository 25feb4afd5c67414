import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  Coop,
  CoopApplicationBody,
  CoopList,
  CoopListQuery,
  CoopMemberList,
  CoopParams,
  ErrorBody,
  IdParams,
  Invitation,
  InvitationIdParams,
  InvitationParams,
  InvitationPreview,
  InviteBody,
  MemberParams,
  OkBody,
  RejectBody,
  UpdateCoopBody,
  User,
  IdempotencyHeaders,
} from '@tissu/shared';
import { idempotent } from '../../idempotency.js';
import type { Config } from '../../plugins/env.js';
import { createMembershipService } from './invitations.js';
import { createCoopsService } from './service.js';
import { createCoopImagesService } from './images.js';
import { coopImageRoutes } from './image-routes.js';
import { updateCoop } from '../../flows/coop-move.js';
import { removeMember } from '../../flows/member-leaves.js';

const tags = ['coops'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const coopsRoutes: FastifyPluginAsyncZod<{ config: Config; now: () => Date; wake?: () => void }> = async (app, { config, now, wake }) => {
  const deps = { db: app.db, webOrigin: config.webOrigin, log: app.log, wake, mediaBase: config.media.publicUrl };
  const coops = createCoopsService(deps);
  await app.register(coopImageRoutes, { images: createCoopImagesService({ ...deps, storage: app.storage }), perMinute: config.uploadRateLimitPerMinute });
  const update = updateCoop(coops);
  const membership = createMembershipService(deps);
  const remove = removeMember(membership, now);

  app.post('/coops', {
    schema: { tags, security, summary: 'Apply to join the platform as a co-op', headers: IdempotencyHeaders, body: CoopApplicationBody, response: { 201: Coop, ...errors } },
  }, async (req, reply) => idempotent(app.db, req, reply, 201, () => coops.apply(req.actor, req.body)));

  app.get('/coops', {
    schema: { tags, summary: 'Approved co-ops; stewards can list pending or rejected ones', querystring: CoopListQuery, response: { 200: CoopList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req) => ({ items: await coops.list(req.actor, req.query.status) }));

  app.get('/coops/:idOrSlug', {
    schema: { tags, summary: 'One co-op by id or slug', params: CoopParams, response: { 200: Coop, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => coops.get(req.actor, req.params.idOrSlug));

  app.patch('/coops/:id', {
    schema: { tags, security, summary: "Edit the co-op's profile (its admins)", params: IdParams, body: UpdateCoopBody, response: { 200: Coop, ...errors } },
  }, async (req) => update(req.actor, req.params.id, req.body));

  app.post('/coops/:id/approve', {
    schema: { tags, security, summary: 'Approve a pending application (stewards)', params: IdParams, response: { 200: Coop, ...errors } },
  }, async (req) => coops.approve(req.actor, req.params.id));

  app.post('/coops/:id/reject', {
    schema: { tags, security, summary: 'Reject a pending application with a reason (stewards)', params: IdParams, body: RejectBody, response: { 200: Coop, ...errors } },
  }, async (req) => coops.reject(req.actor, req.params.id, req.body.reason));

  app.get('/coops/:id/members', {
    schema: { tags, security, summary: 'Members and open invitations (co-op admins)', params: IdParams, response: { 200: CoopMemberList, ...errors } },
  }, async (req) => membership.members(req.actor, req.params.id));

  app.post('/coops/:id/invitations', {
    schema: { tags, security, summary: 'Invite someone by email (co-op admins)', params: IdParams, headers: IdempotencyHeaders, body: InviteBody, response: { 201: Invitation, 429: ErrorBody, ...errors } },
  }, async (req, reply) => idempotent(app.db, req, reply, 201, () => membership.invite(req.actor, req.params.id, req.body)));

  app.delete('/coops/:id/invitations/:invitationId', {
    schema: { tags, security, summary: 'Withdraw an invitation (co-op admins)', params: InvitationIdParams, response: { 200: OkBody, ...errors } },
  }, async (req) => {
    await membership.revoke(req.actor, req.params.id, req.params.invitationId);
    return { ok: true as const };
  });

  app.delete('/coops/:id/members/:userId', {
    schema: { tags, security, summary: 'Remove a member (co-op admins)', params: MemberParams, response: { 200: OkBody, ...errors } },
  }, async (req) => {
    await remove(req.actor, req.params.id, req.params.userId);
    return { ok: true as const };
  });

  app.get('/invitations/:token', {
    schema: { tags, summary: 'What an invitation link offers', params: InvitationParams, response: { 200: InvitationPreview, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => membership.preview(req.params.token));

  app.post('/invitations/:token/accept', {
    schema: { tags, security, summary: 'Join the co-op with the invited account', params: InvitationParams, response: { 200: User, 410: ErrorBody, ...errors } },
  }, async (req) => membership.accept(req.actor, req.params.token));
};
