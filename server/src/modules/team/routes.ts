import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, IdParams, OkBody, TeamSettings, TeamSettingsBody, TimeOff, TimeOffBody, TimeOffList, TimeOffParams, TimeOffQuery } from '@tissu/shared';
import { createTeamService } from './service.js';

const tags = ['team'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const teamRoutes: FastifyPluginAsyncZod<{ now: () => Date }> = async (app, { now }) => {
  const team = createTeamService({ db: app.db, now });

  app.get('/coops/:id/time-off', {
    schema: { tags, security, summary: "Time off: a worker's own, or everyone's for the co-op's admins", params: IdParams, querystring: TimeOffQuery, response: { 200: TimeOffList, ...errors } },
  }, async (req) => team.list(req.actor, req.params.id, req.query.scope));

  app.post('/coops/:id/time-off', {
    schema: { tags, security, summary: 'Mark days or hours away (oneself, or a member for an admin)', params: IdParams, body: TimeOffBody, response: { 201: TimeOff, ...errors } },
  }, async (req, reply) => reply.code(201).send(await team.add(req.actor, req.params.id, req.body)));

  app.delete('/coops/:id/time-off/:timeOffId', {
    schema: { tags, security, summary: 'Remove time off that is not over', params: TimeOffParams, response: { 200: OkBody, ...errors } },
  }, async (req) => {
    await team.remove(req.actor, req.params.id, req.params.timeOffId);
    return { ok: true as const };
  });

  app.get('/coops/:id/team-settings', {
    schema: { tags, security, summary: "The co-op's assignment settings (admins)", params: IdParams, response: { 200: TeamSettings, ...errors } },
  }, async (req) => team.settings(req.actor, req.params.id));

  app.put('/coops/:id/team-settings', {
    schema: { tags, security, summary: 'Turn automatic assignment of new bookings on or off (admins)', params: IdParams, body: TeamSettingsBody, response: { 200: TeamSettings, ...errors } },
  }, async (req) => team.setSettings(req.actor, req.params.id, req.body));
};
