/**
 * The one table from the API's error codes to words: every code of the catalogue (shared/errors.ts)
 * has a sentence in French and in English, the limits a code carries are said, and the web's own
 * checks with a shared schema are said in the same words as the API's refusals.
 */
import { ERROR_CODES, FIELD_ERROR_CODES, SignUpBody, fieldError, fieldErrorsOf, type FieldErrorCode } from '@tissu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { ERROR_TEXT, FIELD_TEXT, errorText, fieldText } from './error-text';
import { apiFailure, check, fieldMessages } from './forms';
import { ApiError } from './api-error';

type Locale = 'fr' | 'en';
let current: Locale = 'fr';
beforeAll(() => overwriteGetLocale(() => current));
afterAll(() => overwriteGetLocale(() => 'fr'));
const inLocale = <T>(locale: Locale, f: () => T): T => {
  current = locale;
  try {
    return f();
  } finally {
    current = 'fr';
  }
};

describe('every code has words in both languages', () => {
  it.each(FIELD_ERROR_CODES)('field error %s', (code: FieldErrorCode) => {
    expect(FIELD_TEXT[code], `no words for ${code}`).toBeTypeOf('function');
    const e = fieldError(code, { minimum: 3, maximum: 30, date: '2026-01-31' });
    const fr = inLocale('fr', () => fieldText(e));
    const en = inLocale('en', () => fieldText(e));
    expect(fr.trim()).not.toBe('');
    expect(en.trim()).not.toBe('');
    expect(en, `${code} is not translated`).not.toBe(fr);
  });

  it.each(ERROR_CODES)('answer %s', (code) => {
    expect(ERROR_TEXT[code], `no words for ${code}`).toBeTypeOf('function');
    const fr = inLocale('fr', () => errorText(code, 400));
    const en = inLocale('en', () => errorText(code, 400));
    expect(fr.trim()).not.toBe('');
    expect(en, `${code} is not translated`).not.toBe(fr);
  });
});

describe('the words for a code', () => {
  it('say the limit the code carries, in the user’s notation', () => {
    expect(fieldText(fieldError('too_short', { minimum: 8 }))).toBe('Au moins 8 caractères.');
    expect(inLocale('en', () => fieldText(fieldError('too_short', { minimum: 8 })))).toBe('At least 8 characters.');
    expect(fieldText(fieldError('refund_above_left', { maximum: 8500 }))).toBe('Il reste au plus 85,00\u00a0$ à rembourser.');
    expect(fieldText(fieldError('percent_too_high', { maximum: 1250 }))).toBe('Au plus 12,5 %.');
    expect(fieldText(fieldError('neq_digits'))).toBe('Un NEQ compte exactement 10 chiffres.');
  });

  it('do not depend on the English the API sends beside the code', () => {
    const reworded = { ...fieldError('day_passed'), message: 'Pick a day that has not gone by' };
    expect(fieldText(reworded)).toBe("Cette journée est passée : choisissez aujourd'hui ou une date à venir.");
  });

  // A changed time off the listing's grid said "choisissez-en une parmi elles" beside no list at all.
  it('point to where the times are when they refuse one, not to a list the form does not show', () => {
    const fr = fieldText(fieldError('not_a_listed_time'));
    expect(fr).not.toMatch(/parmi elles/);
    expect(fr).toMatch(/page du service/);
    expect(inLocale('en', () => fieldText(fieldError('not_a_listed_time')))).toMatch(/service's page/);
  });

  it('fall back on the HTTP status for a code this web does not know yet', () => {
    expect(errorText('brand_new_code', 409)).toBe(errorText('conflict', 409));
    expect(errorText('slot_unavailable', 409)).toBe('Ce créneau vient d\'être pris ou n\'est plus libre. Choisissez-en un autre.');
  });
});

describe('the web’s own checks and the API’s refusals', () => {
  it('give the same words for the same schema', () => {
    const input = { email: 'nope', password: 'short', name: 'Marie' };
    const own = check(SignUpBody, input);
    expect(own.ok).toBe(false);
    // What the API answers for the same input, through the same catalogue.
    const api = SignUpBody.safeParse(input);
    const fromApi = fieldMessages(fieldErrorsOf(api.error!.issues, input));
    expect(own.ok ? null : own.errors).toEqual(fromApi);
    expect(fromApi).toEqual({ email: ['Entrez une adresse courriel valide.'], password: ['Au moins 10 caractères.'] });
  });

  it('say "required" under a field left empty or not sent', () => {
    const own = check(SignUpBody, { email: '', name: '' });
    expect(own.ok ? null : own.errors).toEqual({ email: ['Ce champ est obligatoire.'], name: ['Ce champ est obligatoire.'], password: ['Ce champ est obligatoire.'] });
  });

  it('say a password of spaces is one, not that the field is empty', () => {
    const own = check(SignUpBody, { email: 'a@example.org', name: 'Marie', password: ' '.repeat(10) });
    expect(own.ok ? null : own.errors).toEqual({ password: ["Un mot de passe ne peut pas être fait que d'espaces : ajoutez des lettres, des chiffres ou des symboles."] });
  });

  it('put numbered paths under their input, and renamed paths under the form’s name', () => {
    const fields = { 'languages.2': [fieldError('invalid_choice')], 'weights.producer': [fieldError('percent_too_high', { maximum: 10_000 })] };
    expect(fieldMessages(fields, { 'weights.producer': 'weightProducer' })).toEqual({
      languages: ['Choisissez une des options proposées.'],
      weightProducer: ['Au plus 100 %.'],
    });
  });
});

describe('a refusal shown on a form', () => {
  const event = { url: new URL('http://tissu.test/dashboard') } as Parameters<typeof apiFailure>[0];
  it('says a conflict once: at the top, not again under the field that carries the same code', () => {
    const e = new ApiError(409, 'already_invited', 'An invitation is already open', { email: [fieldError('already_invited')], role: [fieldError('invalid_choice')] });
    const failed = apiFailure(event, e, { email: 'amina@example.org' });
    expect(failed.status).toBe(409);
    expect(failed.data.message).toBe('Cette adresse a déjà une invitation ouverte. Annulez-la pour en envoyer une nouvelle.');
    expect(failed.data.errors).toEqual({ role: [inLocale('fr', () => fieldText(fieldError('invalid_choice')))] });
  });
});
