/**
 * Form plumbing for actions: reading FormData, checking it with the shared zod schemas before
 * calling the API, and turning the API's English field messages into the user's language.
 */
import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { formatMoney } from '@tissu/shared';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { isApiError, type FieldErrors } from './api-error';

export type FormValues = Record<string, string | string[]>;

/** What every action answers with; `form` says which form on the page it is about. */
export interface FormState {
  form?: string;
  message?: string;
  success?: string;
  errors?: FieldErrors;
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

const EXACT: Record<string, () => string> = {
  Required: m.err_required,
  'Must be a valid email address': m.err_email,
  'Choose a borough or region': m.err_region,
  'Choose at least one language': m.err_languages,
  'A Québec enterprise number (NEQ) has exactly 10 digits': m.err_neq,
  'Must be a year': m.err_year,
  'This day has passed: choose today or a later day': m.err_day_passed,
  'Must be 1850 or later': m.err_year_min,
  'Cannot be in the future': m.err_year_future,
  'Choose a category': m.err_category,
  'Must be a number of minutes': m.err_minutes,
  'At least 15 minutes': m.err_duration_min,
  'At most 14 days': m.err_duration_max,
  'Choose at least one borough served': m.err_boroughs,
  'The solidarity price must be lower than the regular price': m.err_solidarity_lower,
  'Must be at least the minimum price': m.err_max_below_min,
  'Nothing to change': m.err_nothing_to_change,
  'An account already uses this email': m.err_email_taken,
  'Already a member': m.err_already_member,
  'Already invited': m.err_already_invited,
  'Choose a time slot': m.err_choose_slot,
  'Required: the co-op comes to this address': m.err_address_required,
  'This listing has no solidarity rate': m.err_no_solidarity_rate,
  'Required for a solidarity request': m.err_solidarity_choice,
  'Assign the worker first': m.err_assign_first,
  'Not a member of this co-op': m.err_not_member,
  'Required when registered': m.err_tax_number_required,
  'Format: 123456789RT0001': m.err_gst_format,
  'Format: 1234567890TQ0001': m.err_qst_format,
  'A new rate cannot start in the past': m.err_rate_in_past,
  'Choose a date': m.err_choose_date,
  'At least 0 %': m.err_rate_min,
  'At most 30 %': m.err_rate_max,
  'Use the 24-hour HH:MM format': m.err_hhmm,
  'Closing time must be after opening time': m.err_closing_after_opening,
  'End must be after start': m.err_closing_after_opening,
  'Give both times or neither': m.err_both_times,
  'Extra hours need times': m.err_extra_needs_times,
  'Use a YYYY-MM-DD date': m.err_choose_date,
  'Unknown time zone': m.err_time_zone,
  'This link is not valid or has expired; ask for a new one': m.err_reset_link_invalid,
  'This link is not valid': m.err_reset_link_invalid,
};

/** One English message from the API or a shared schema, in the user's language. */
export function translateMessage(message: string): string {
  const exact = EXACT[message];
  if (exact) return exact();
  let match: RegExpMatchArray | null;
  if ((match = message.match(/^At least (\d+) characters?$/))) return m.err_min_chars({ count: Number(match[1]) });
  if ((match = message.match(/^At most (\d+) characters?$/))) return m.err_max_chars({ count: Number(match[1]) });
  if ((match = message.match(/^Too small: expected string to have >=?(\d+) characters?$/)))
    return Number(match[1]) <= 1 ? m.err_required() : m.err_min_chars({ count: Number(match[1]) });
  if ((match = message.match(/^Too big: expected string to have <=?(\d+) characters?$/)))
    return m.err_max_chars({ count: Number(match[1]) });
  if (/must be at least 1[.,]00 \$$/.test(message)) return m.err_price_min({ amount: formatMoney(100, getLocale()) });
  if (/must be at most 100 000 \$$/.test(message)) return m.err_price_max({ amount: formatMoney(10_000_000, getLocale()) });
  if (/must be a (whole )?number of cents$/.test(message)) return m.err_price_format();
  if ((match = message.match(/^At most ([\d.]+) \$ is left to refund$/)))
    return m.err_refund_left({ amount: formatMoney(Math.round(Number(match[1]) * 100), getLocale()) });
  if ((match = message.match(/^Too small: expected number to be >=?(\d+)$/))) return m.err_number_min({ min: Number(match[1]) });
  if ((match = message.match(/^Too big: expected number to be <=?(\d+)$/))) return m.err_number_max({ max: Number(match[1]) });
  if (/expected number, received/.test(message) || /expected int/.test(message)) return m.err_number();
  if (/received undefined$/.test(message)) return m.err_required();
  if (/^Invalid (option|enum value)/.test(message)) return m.err_choice();
  if (/^Invalid email/.test(message)) return m.err_email();
  // Messages we do not know yet: readable as they are in English, generic in French.
  return getLocale() === 'en' ? message : m.err_invalid();
}

/** "languages.2" → "languages": the form shows one message list per input name. */
function fieldName(path: string, rename: Record<string, string>): string {
  const base = path.replace(/(\.\d+)+$/, '');
  return rename[base] ?? base;
}

export function translateFields(fields: FieldErrors, rename: Record<string, string> = {}): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(fields)) {
    const name = fieldName(path, rename);
    const list = (out[name] ??= []);
    for (const msg of messages) {
      const t = translateMessage(msg);
      if (!list.includes(t)) list.push(t);
    }
  }
  return out;
}

export function zodFields(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || 'form';
    (fields[path] ??= []).push(issue.message);
  }
  return fields;
}

type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Checks input with a shared schema so the common mistakes are answered in the user's language. */
export function check<S extends z.ZodType>(
  schema: S,
  input: unknown,
  rename: Record<string, string> = {},
): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors = translateFields(zodFields(result.error), rename);
  // "At least 3 characters" reads oddly under an empty field: say it is required.
  if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      const name = rename[key] ?? key;
      if (errors[name] && typeof value === 'string' && value.trim() === '') errors[name] = [m.err_required()];
    }
  }
  return { ok: false, errors };
}

export function invalid(errors: FieldErrors, values: FormValues, form?: string): ActionFailure<FormState> {
  return fail(400, { form, errors, values, message: m.form_has_errors() });
}

export function signInPath(url: URL): string {
  return `/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/** Says in the user's language what an API refusal (or an outage) means. */
export function apiErrorMessage(e: unknown): string {
  if (!isApiError(e)) return m.err_server();
  switch (e.code) {
    case 'invalid_credentials':
      return m.err_invalid_credentials();
    case 'sign_in_delayed':
      return m.err_sign_in_delayed();
    case 'invalid_reset_link':
      return m.err_reset_link_invalid();
    case 'invalid_verification_link':
      return m.err_verification_link_invalid();
    case 'email_not_verified':
      return m.err_email_not_verified();
    case 'email_taken':
      return m.err_email_taken();
    case 'already_member':
      return m.err_already_member();
    case 'already_invited':
      return m.err_already_invited_long();
    case 'coop_not_approved':
      return m.err_coop_not_approved();
    case 'not_pending':
      return m.err_not_pending();
    case 'last_admin':
      return m.err_last_admin();
    case 'invitation_used':
      return m.invitation_already_accepted();
    case 'invitation_gone':
      return m.err_invitation_gone();
    case 'listing_archived':
      return m.err_listing_archived();
    case 'busy':
      return m.err_busy();
    case 'api_unreachable':
      return m.err_unreachable();
    case 'slot_unavailable':
      return m.err_slot_unavailable();
    case 'booking_not_started':
      return m.err_booking_not_started();
    case 'listing_paused':
      return m.err_listing_paused();
    case 'coop_not_ready':
      return m.err_coop_not_ready();
    case 'invalid_transition':
      return m.err_invalid_transition();
    case 'already_paid':
      return m.err_already_paid();
    case 'not_payable':
      return m.err_not_payable();
    case 'not_completed':
      return m.err_not_completed();
    case 'already_reviewed':
      return m.err_already_reviewed();
    case 'already_replied':
      return m.err_already_replied();
    case 'refund_too_large':
    case 'nothing_to_refund':
      return m.err_nothing_to_refund();
    case 'payment_processor_unavailable':
      return m.err_processor_unavailable();
  }
  if (e.status === 400 || e.status === 422) return m.form_has_errors();
  if (e.status === 401) return m.err_unauthorized();
  if (e.status === 403) return m.err_forbidden();
  if (e.status === 404) return m.err_not_found();
  if (e.status === 409) return getLocale() === 'en' ? e.message : m.err_conflict();
  if (e.status === 429) return m.err_rate_limited();
  return m.err_server();
}

/**
 * Answers a failed API call from an action: field errors next to their fields, a sentence
 * otherwise; an expired session goes to sign-in. Never a raw 500.
 */
export function apiFailure(
  event: RequestEvent,
  e: unknown,
  values: FormValues,
  opts: { form?: string; rename?: Record<string, string> } = {},
): ActionFailure<FormState> {
  if (!isApiError(e)) console.error('[web] action failed', e);
  if (isApiError(e) && e.status === 401 && e.code !== 'invalid_credentials') {
    redirect(303, signInPath(event.url));
  }
  const status = isApiError(e) && e.status >= 400 && e.status < 500 ? e.status : 502;
  const errors = isApiError(e) && e.fields ? translateFields(e.fields, opts.rename) : undefined;
  return fail(status, { form: opts.form, values, errors, message: apiErrorMessage(e) });
}
