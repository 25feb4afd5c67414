/**
 * A name one character too long (101) is told the limit in words, in both languages, whether the
 * web's own check or the API's refusal says it (issue 15's walk).
 */
import { SignUpBody, UpdateMeBody, fieldErrorsOf } from '@tissu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { check, fieldMessages } from './forms';

let current: 'fr' | 'en' = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));

describe('a 101-character name', () => {
  const name = 'A'.repeat(101);
  it.each([
    ['fr', 'Au plus 100 caractères.'],
    ['en', 'At most 100 characters.'],
  ] as const)('says the limit in %s', (locale, words) => {
    current = locale;
    try {
      const own = check(UpdateMeBody, { name });
      expect(own.ok).toBe(false);
      expect(!own.ok && own.errors.name).toEqual([words]);
      const signUp = check(SignUpBody, { email: 'a@example.org', password: 'correct horse battery', name, locale: 'fr' });
      expect(!signUp.ok && signUp.errors.name).toEqual([words]);
      // The API's refusal carries the same code and limit (its field errors are built the same way).
      const parsed = UpdateMeBody.safeParse({ name });
      expect(fieldMessages(fieldErrorsOf(parsed.error!.issues, { name }, 'form'))).toEqual({ name: [words] });
    } finally {
      current = 'fr';
    }
  });
  it('at 100 characters, is accepted', () => {
    expect(check(UpdateMeBody, { name: 'A'.repeat(100) }).ok).toBe(true);
  });
});
