/**
 * Create forms carry a key made when the page is shown (hidden input `idempotencyKey`) and send
 * it as the API's `Idempotency-Key`: a double click, or a form sent twice before the first answer,
 * creates one thing. A page shown again (after an error, or later) gets a new key.
 */
const FIELD = 'idempotencyKey';
const KEY = /^[A-Za-z0-9_-]{8,100}$/;

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** The form's key, or undefined when missing or malformed (the create then just runs once). */
export function idempotencyKeyOf(data: FormData): string | undefined {
  const value = data.get(FIELD);
  return typeof value === 'string' && KEY.test(value) ? value : undefined;
}
