import { z } from 'zod';
import { LOCALES } from '../locale.js';

export const Id = z.uuid({ error: 'Must be a valid id' });
export const LocaleSchema = z.enum(LOCALES);
export const IdParams = z.object({ id: Id });
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * Create routes take an optional `Idempotency-Key` (a form carries one from the moment it is
 * shown): the same key sent twice by the same user creates one thing and answers the first result.
 * Loose so the other headers stay readable.
 */
export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,100}$/, '8 to 100 letters, digits, "-" or "_"')
    .optional()
    .describe('A key the client generates once per thing to create (a UUID); a replay answers the first result'),
});

/** Every 4xx/5xx answer has this body. `fields` maps a field path ("pricing.amountCents") to messages. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const OkBody = z.object({ ok: z.literal(true) });

/** Text typed by a person: trimmed, with control characters other than newlines removed. */
export const text = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim())
    .pipe(z.string().min(min, { error: min === 1 ? 'Required' : `At least ${min} characters` }).max(max, { error: `At most ${max} characters` }));
