import { error, isHttpError, redirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { loadFailure } from './guards';

const event = { url: new URL('http://localhost/messages/new?listing=abc') } as never;
const caught = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing thrown');
};

describe('a load that fails', () => {
  it("keeps the page's own answer: a 404 it decided is a 404, not a 502 (found by a walk: /messages/new?listing=abc)", () => {
    const thrown = caught(() => loadFailure(event, caught(() => error(404, { message: 'Introuvable' }))));
    expect(isHttpError(thrown) && thrown.status).toBe(404);
    const moved = caught(() => loadFailure(event, caught(() => redirect(303, '/sign-in')))) as { status: number; location: string };
    expect(moved).toMatchObject({ status: 303, location: '/sign-in' });
  });
  it('an unexpected failure is a clean 502', () => {
    const thrown = caught(() => loadFailure(event, new Error('boom')));
    expect(isHttpError(thrown) && thrown.status).toBe(502);
  });
});
