/**
 * Form plumbing for actions: reading FormData, checking it with the shared zod schemas before
 * calling the API, and putting the API's error codes into the user's language (./error-text).
 */
import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { fieldErrorsOf } from '@tissu/shared';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { isApiError, type FieldErrors } from './api-error';
import { errorText, fieldText, type OwnWords } from './error-text';

export type FormValues = Record<string, string | string[]>;

/** What every action answers with; `form` says which form on the page it is about. */
export interface FormState {
  form?: string;
  message?: string;
  success?: string;
  errors?: FieldMessages;
  values?: FormValues;
}

const SECRET_FIELDS = new Set(['password']);

/** Everything the person typed (never passwords), to put back in the form. */
export function formValues(data: FormData, arrays: readonly string[] = []): FormValues {
  const values: FormValues = {};
  for (const key of new Set(data.keys())) {
    if (SECRET_FIELDS.has(key)) continue;
    const all = data.getAll(key).filter((v): v is string => typeof v === 'string');
    values[key] = arrays.includes(key) ? all : (all[0] ?? '');
  }
  for (const key of arrays) values[key] ??= [];
  return values;
}

export function str(data: FormData, key: string): string {
  const v = data.get(key);
  return typeof v === 'string' ? v : '';
}

export function strs(data: FormData, key: string): string[] {
  return data.getAll(key).filter((v): v is string => typeof v === 'string');
}

/** What a form shows next to its inputs: input name → sentences in the user's language. */
export type FieldMessages = Record<string, string[]>;

/**
 * "languages.2" → "languages": the form shows one message list per input name. A rename names the
 * API's path ("weights.producer") or its stripped form as the form's input.
 */
function inputName(path: string, rename: Record<string, string>): string {
  const base = path.replace(/(\.\d+)+$/, '');
  return rename[path] ?? rename[base] ?? base;
}

/** Field errors (codes from the API or from a shared schema) as sentences under the form's inputs. */
export function fieldMessages(fields: FieldErrors, rename: Record<string, string> = {}): FieldMessages {
  const out: FieldMessages = {};
  for (const [path, errors] of Object.entries(fields)) {
    const list = (out[inputName(path, rename)] ??= []);
    for (const e of errors) {
      const t = fieldText(e);
      if (!list.includes(t)) list.push(t);
    }
  }
  return out;
}

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldMessages };

/**
 * Checks input with a shared schema before calling the API, so the common mistakes are answered at
 * once, in the same words as the API's refusals (both come from the schema's codes).
 */
export function check<S extends z.ZodType>(
  schema: S,
  input: unknown,
  rename: Record<string, string> = {},
): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields = fieldErrorsOf(result.error.issues, input, 'form');
  const errors = fieldMessages(fields, rename);
  // "At least 3 characters" reads oddly under an empty field: say it is required. A password of
  // spaces shows its dots, though: it is told what is wrong with it.
  if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      const name = rename[key] ?? key;
      const blankPassword = fields[key]?.some((e) => e.code === 'password_blank');
      if (errors[name] && typeof value === 'string' && value.trim() === '' && !blankPassword) errors[name] = [m.err_required()];
    }
  }
  return { ok: false, errors };
}

export function invalid(errors: FieldMessages, values: FormValues, form?: string): ActionFailure<FormState> {
  return fail(400, { form, errors, values, message: m.form_has_errors() });
}

export function signInPath(url: URL): string {
  return `/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/** Says in the user's language what an API refusal (or an outage) means. */
export function apiErrorMessage(e: unknown, own: OwnWords = {}): string {
  return isApiError(e) ? errorText(e.code, e.status, own) : m.err_server();
}

/**
 * Answers a failed API call from an action: field errors next to their fields, a sentence
 * otherwise (in the form's own words where it gives some); an expired session goes to sign-in.
 * Never a raw 500.
 */
export function apiFailure(
  event: RequestEvent,
  e: unknown,
  values: FormValues,
  opts: { form?: string; rename?: Record<string, string>; own?: OwnWords } = {},
): ActionFailure<FormState> {
  if (!isApiError(e)) console.error('[web] action failed', e);
  if (isApiError(e) && e.status === 401 && e.code !== 'invalid_credentials') {
    redirect(303, signInPath(event.url));
  }
  const status = isApiError(e) && e.status >= 400 && e.status < 500 ? e.status : 502;
  // A form that says a code in its own words says it once, not again under a field.
  const ownWords = isApiError(e) && opts.own?.[e.code as keyof OwnWords] !== undefined;
  const errors = isApiError(e) && e.fields && !ownWords ? fieldMessages(besidesAnswer(e.fields, e.code), opts.rename) : undefined;
  return fail(status, { form: opts.form, values, errors, message: apiErrorMessage(e, opts.own) });
}

/** The field errors that say more than the answer itself (already_invited under the email says it twice). */
function besidesAnswer(fields: FieldErrors, code: string): FieldErrors {
  const rest = Object.entries(fields).map(([k, list]) => [k, list.filter((f) => f.code !== code)] as const).filter(([, list]) => list.length);
  return Object.fromEntries(rest);
}

/** Why a typed amount is not one: a minus sign says so, anything else gets the format's example. */
export function amountFormatText(text: string): string {
  return /^\s*[-−–]/.test(text) ? m.err_amount_negative() : m.err_price_format();
}
