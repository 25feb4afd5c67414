/**
 * The conversation's forms say what is wrong next to the field, in the reader's language, in the
 * same words as the API's refusals (both come from the contract's codes): an empty message is
 * required, a long one names the limit, a report needs its reason. The limits stated on the forms
 * are the contract's. Needs the compiled messages (`pnpm --filter @tissu/web paraglide`).
 */
import { MESSAGE_MAX_LENGTH, PostMessageBody, REPORT_MAX_LENGTH, ReportMessageBody, StartConversationBody } from '@tissu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { check } from './forms';
import { conversationLimits } from './conversation-limits';

type Locale = 'fr' | 'en';
let current: Locale = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const errorsIn = (locale: Locale, f: () => ReturnType<typeof check>) => {
  current = locale;
  try {
    const r = f();
    return r.ok ? {} : Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.map(plain)]));
  } finally {
    current = 'fr';
  }
};
const COOP = '11111111-1111-4111-8111-111111111111';

describe('a message', () => {
  it('is required: spaces alone are not one', () => {
    expect(errorsIn('fr', () => check(PostMessageBody, { body: '   ' }))).toEqual({ body: ['Ce champ est obligatoire.'] });
    expect(errorsIn('en', () => check(PostMessageBody, { body: '' })).body).toHaveLength(1);
  });

  it('names the limit when too long, in both languages', () => {
    const long = 'é'.repeat(MESSAGE_MAX_LENGTH + 1);
    expect(errorsIn('fr', () => check(StartConversationBody, { coopId: COOP, body: long })).body).toEqual([`Au plus ${MESSAGE_MAX_LENGTH} caractères.`]);
    expect(errorsIn('en', () => check(PostMessageBody, { body: long })).body?.[0]).toContain(String(MESSAGE_MAX_LENGTH));
    // At the limit it goes through.
    expect(check(PostMessageBody, { body: 'a'.repeat(MESSAGE_MAX_LENGTH) }).ok).toBe(true);
  });

  it('is kept as written (the page escapes it): markup is text', () => {
    const r = check(PostMessageBody, { body: '  <b>bonjour</b>  ' });
    expect(r.ok && r.data.body).toBe('<b>bonjour</b>');
  });
});

describe('a report', () => {
  it('needs a reason, at most the contract’s length', () => {
    expect(errorsIn('fr', () => check(ReportMessageBody, { reason: '' }))).toEqual({ reason: ['Ce champ est obligatoire.'] });
    expect(errorsIn('fr', () => check(ReportMessageBody, { reason: 'x'.repeat(REPORT_MAX_LENGTH + 1) })).reason).toEqual([`Au plus ${REPORT_MAX_LENGTH} caractères.`]);
  });
});

describe('the limits the forms state', () => {
  it('are the contract’s, written as each language writes numbers', () => {
    current = 'fr';
    const fr = conversationLimits();
    current = 'en';
    const en = conversationLimits();
    current = 'fr';
    expect(fr).toMatchObject({ message: MESSAGE_MAX_LENGTH, report: REPORT_MAX_LENGTH });
    expect(plain(fr.messageText)).toBe('4 000');
    expect(en.messageText).toBe('4,000');
  });
});
