import { z } from 'zod';
import { ERROR_CODES, FIELD_ERROR_CODES } from '../errors.js';
import { LOCALES } from '../locale.js';

export const Id = z.uuid({ error: 'invalid_id' });
export const LocaleSchema = z.enum(LOCALES);
export const IdParams = z.object({ id: Id });
/**
 * Years anyone could mean. "0000-01-01" or "9999-12-31" is a typo or a probe, and PostgreSQL cannot
 * hold the day either side of them (slot and fiscal windows reach a day around a date): refused
 * as bad input rather than failing in the database.
 */
export const PLAUSIBLE_YEARS = { from: 1900, to: 2200 } as const;
export const isPlausibleYear = (iso: string): boolean => {
  const year = Number(iso.slice(0, 4));
  return year >= PLAUSIBLE_YEARS.from && year <= PLAUSIBLE_YEARS.to;
};
const PLAUSIBLE = { error: 'implausible_date' };
/** An instant with its offset, as inputs and answers carry it. */
export const isoDateTime = (error?: string) => z.iso.datetime({ offset: true, ...(error ? { error } : {}) }).refine(isPlausibleYear, PLAUSIBLE);
/** A calendar date, "2026-01-31". */
export const isoDate = (error?: string) => z.iso.date(error ? { error } : undefined).refine(isPlausibleYear, PLAUSIBLE);
export const Timestamp = isoDateTime();

/**
 * Create routes take an optional `Idempotency-Key` (a form carries one from the moment it is
 * shown): the same key sent twice by the same user creates one thing and answers the first result.
 * Loose so the other headers stay readable.
 */
export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,100}$/, { error: 'invalid_idempotency_key' })
    .optional()
    .describe('A key the client generates once per thing to create (a UUID); a replay answers the first result'),
});

/** One field's error: a code from shared/errors.ts, the limit it broke, and English for people reading the API. */
export const FieldErrorSchema = z.object({
  code: z.enum(FIELD_ERROR_CODES),
  message: z.string(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  date: z.string().optional(),
});
/**
 * Every 4xx/5xx answer has this body: a code (shared/errors.ts) and English for people; `fields`
 * maps a field path ("pricing.amountCents") to its errors.
 */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.record(z.string(), z.array(FieldErrorSchema)).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const OkBody = z.object({ ok: z.literal(true) });

/** Text typed by a person: trimmed, with control characters other than newlines removed. */
export const text = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim())
    .pipe(z.string().min(min, { error: min === 1 ? 'required' : 'too_short' }).max(max, { error: 'too_long' }));
