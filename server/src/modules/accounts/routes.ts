import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import {
  AuthResult,
  ChangeEmailBody,
  ChangePasswordBody,
  ConfirmEmailChangeBody,
  DeviceSessionList,
  EmailChanged,
  IdParams,
  RevokedSessions,
  ErrorBody,
  OkBody,
  PasswordChanged,
  PendingEmailChange,
  PasswordResetBody,
  PasswordResetRequestBody,
  RefreshBody,
  SignInBody,
  SignUpBody,
  UpdateMeBody,
  User,
  VerifyEmailBody,
} from '@tissu/shared';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../../plugins/auth.js';
import type { Config } from '../../plugins/env.js';
import { createAccountsService } from './service.js';
import { createProfileService } from './profile.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export const accountsRoutes: FastifyPluginAsyncZod<{ config: Config; now: () => Date; wake: () => void }> = async (app, { config, now, wake }) => {
  const accounts = createAccountsService({
    db: app.db,
    signAccessToken: app.signAccessToken,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlDays: config.refreshTokenTtlDays,
    refreshTokenSecret: config.jwtSecret,
    webOrigin: config.webOrigin,
    log: app.log,
    now,
    wake,
  });
  const profile = createProfileService({ db: app.db, now, wake });
  const secure = config.env === 'production';
  const authLimit = { rateLimit: { max: config.authRateLimitPerMinute, timeWindow: '1 minute' } };

  /** Browsers that call the API directly get the tokens as httpOnly cookies as well. */
  function setCookies(reply: FastifyReply, r: AuthResult) {
    reply.setCookie(ACCESS_COOKIE, r.accessToken, {
      httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(r.accessTokenExpiresAt),
    });
    reply.setCookie(REFRESH_COOKIE, r.refreshToken, {
      httpOnly: true, sameSite: 'strict', secure, path: '/auth', expires: new Date(r.refreshTokenExpiresAt),
    });
    return r;
  }

  app.post('/auth/sign-up', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Create an account; the answer is the same for an address that already has one', body: SignUpBody, response: { 202: OkBody, ...errors } },
  }, async (req, reply) => {
    await accounts.signUp(req.body);
    return reply.code(202).send({ ok: true as const });
  });

  app.post('/auth/verify-email', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Confirm the address with the emailed link', body: VerifyEmailBody, response: { 200: OkBody, ...errors } },
  }, async (req) => {
    await accounts.verifyEmail(req.body);
    return { ok: true as const };
  });

  app.post('/auth/verify-email/resend', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Email a new confirmation link to the signed-in account', security: [{ bearer: [] }], response: { 202: OkBody, ...errors } },
  }, async (req, reply) => {
    await accounts.resendVerification(req.actor);
    return reply.code(202).send({ ok: true as const });
  });

  app.post('/auth/sign-in', {
    config: authLimit,
    schema: { tags: ['auth'], body: SignInBody, response: { 200: AuthResult, ...errors } },
  }, async (req, reply) => setCookies(reply, await accounts.signIn(req.body, req.ip, req.headers['user-agent'])));

  app.post('/auth/refresh', {
    config: authLimit,
    schema: { tags: ['auth'], body: RefreshBody.nullish(), response: { 200: AuthResult, ...errors } },
  }, async (req, reply) =>
    setCookies(reply, await accounts.refresh(req.body?.refreshToken ?? req.cookies[REFRESH_COOKIE], req.ip)));

  app.post('/auth/sign-out', {
    schema: { tags: ['auth'], security: [{ bearer: [] }], response: { 200: OkBody, 401: ErrorBody } },
  }, async (req, reply) => {
    await accounts.signOut(req.actor);
    reply.clearCookie(ACCESS_COOKIE, { path: '/' }).clearCookie(REFRESH_COOKIE, { path: '/auth' });
    return { ok: true as const };
  });

  app.post('/auth/password', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Change the password (the current one required); every other device is signed out', security: [{ bearer: [] }], body: ChangePasswordBody, response: { 200: PasswordChanged, ...errors } },
  }, async (req) => ({ ok: true as const, ...(await accounts.changePassword(req.actor, req.body.currentPassword, req.body.newPassword)) }));

  app.post('/auth/password-reset', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Email a one-time link to choose a new password', body: PasswordResetRequestBody, response: { 202: OkBody, ...errors } },
  }, async (req, reply) => {
    await accounts.requestPasswordReset(req.body);
    return reply.code(202).send({ ok: true as const });
  });

  app.post('/auth/password-reset/confirm', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Set a new password with the emailed link', body: PasswordResetBody, response: { 200: OkBody, ...errors } },
  }, async (req) => {
    await accounts.resetPassword(req.body);
    return { ok: true as const };
  });

  app.get('/me', {
    schema: { tags: ['auth'], security: [{ bearer: [] }], response: { 200: User, 401: ErrorBody } },
  }, async (req) => accounts.me(req.actor));

  app.patch('/me', {
    schema: { tags: ['auth'], security: [{ bearer: [] }], body: UpdateMeBody, response: { 200: User, ...errors } },
  }, async (req) => profile.updateMe(req.actor, req.body));

  app.post('/me/email', {
    config: authLimit,
    schema: {
      tags: ['auth'], summary: 'Move the account to another address: a link goes to it, and nothing changes until it is opened',
      security: [{ bearer: [] }], body: ChangeEmailBody, response: { 202: OkBody, ...errors },
    },
  }, async (req, reply) => {
    await profile.requestEmailChange(req.actor, req.body);
    return reply.code(202).send({ ok: true as const });
  });

  app.post('/auth/email-change/confirm', {
    config: authLimit,
    schema: { tags: ['auth'], summary: 'Confirm the new address with the link mailed to it', body: ConfirmEmailChangeBody, response: { 200: EmailChanged, ...errors } },
  }, async (req) => profile.confirmEmailChange(req.actor, req.body));

  app.get('/me/email-change', {
    schema: { tags: ['auth'], summary: 'The address the account waits to move to (until its link is opened, expires or is cancelled)', security: [{ bearer: [] }], response: { 200: PendingEmailChange, 401: ErrorBody } },
  }, async (req) => profile.pendingEmailChange(req.actor));

  app.delete('/me/email-change', {
    schema: { tags: ['auth'], summary: 'Cancel the pending change of address: the link sent stops working', security: [{ bearer: [] }], response: { 200: OkBody, 401: ErrorBody } },
  }, async (req) => {
    await profile.cancelEmailChange(req.actor);
    return { ok: true as const };
  });

  app.post('/me/email-change/resend', {
    config: authLimit,
    schema: {
      tags: ['auth'], summary: 'Send the pending change\'s link again (a fresh one; at most one every five minutes)',
      security: [{ bearer: [] }], response: { 202: OkBody, 401: ErrorBody, 404: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    await profile.resendEmailChange(req.actor);
    return reply.code(202).send({ ok: true as const });
  });

  app.get('/me/sessions', {
    schema: { tags: ['auth'], summary: 'The devices signed in to the account', security: [{ bearer: [] }], response: { 200: DeviceSessionList, 401: ErrorBody } },
  }, async (req) => profile.sessions(req.actor));

  app.delete('/me/sessions/:id', {
    schema: { tags: ['auth'], summary: 'Sign one device out', security: [{ bearer: [] }], params: IdParams, response: { 200: OkBody, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    await profile.endSession(req.actor, req.params.id);
    return { ok: true as const };
  });

  app.post('/me/sessions/revoke-others', {
    schema: { tags: ['auth'], summary: 'Sign out every device but this one', security: [{ bearer: [] }], response: { 200: RevokedSessions, 401: ErrorBody } },
  }, async (req) => profile.endOtherSessions(req.actor));
};
