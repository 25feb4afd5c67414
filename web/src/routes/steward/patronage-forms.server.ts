/**
 * Form plumbing shared by the stewards' patronage pages: the API's English messages about
 * memberships, fiscal years, plans and proposals said in the steward's language, on top of the
 * general ones in $lib/server/forms.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { parseMoneyToCents } from '@tissu/shared';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { isApiError, type FieldErrors } from '$lib/server/api-error';
import { apiFailure, invalid, translateMessage, zodFields, type FormValues } from '$lib/server/forms';

const MESSAGES: Record<string, () => string> = {
  'A date like 2026-01-31': m.err_choose_date,
  'Must be a valid id': m.steward_members_err_id,
  'A producer member is a co-op: choose it': m.steward_members_err_choose_coop,
  'Choose the person who joins': m.steward_members_err_choose_person,
  'A membership is held by a person or a co-op, not both': m.steward_members_err_choose_person,
  'No such co-op': m.steward_members_err_choose_coop,
  'No such person': m.steward_members_err_no_person,
  'A membership starts once the share is paid: not in the future': m.steward_members_err_future,
  'Must be after the day the membership started': m.steward_members_err_end_before,
  'At most 100 %': m.steward_patronage_err_max_100,
  'At least 0.01 $': m.steward_fiscal_err_amount,
  'Like 01-01': m.steward_fiscal_err_month_day,
  'The class weights must add up to 100 %': m.steward_patronage_err_weights,
  'The vote must close after it opens': m.steward_assembly_err_close_after_open,
  'The vote must close in the future': m.steward_assembly_err_close_future,
  'Give the proposed fee rate': m.err_required,
  'Give the date the rate takes effect': m.err_choose_date,
  'A new rate can only take effect once the vote is over': m.steward_assembly_err_rate_after_vote,
};

/** What the API answers with a 409, said plainly. */
const CODES: Record<string, () => string> = {
  already_member: m.err_already_member,
  not_eligible: m.steward_members_err_not_eligible,
  already_ended: m.steward_members_err_already_ended,
  overlapping_year: m.steward_fiscal_err_overlap,
  payment_deadline_passed: m.steward_fiscal_err_deadline_passed,
  year_closed: m.steward_fiscal_err_year_closed,
  year_not_over: m.steward_fiscal_err_not_over,
  already_closed: m.steward_fiscal_err_already_closed,
  year_open: m.steward_patronage_err_year_open,
  plan_frozen: m.steward_patronage_err_frozen,
  plan_exists: m.steward_patronage_err_exists,
  already_decided: m.steward_assembly_err_decided,
  vote_still_open: m.steward_assembly_err_still_open,
};

export function stewardMessage(message: string): string {
  return MESSAGES[message]?.() ?? translateMessage(message);
}

function stewardFields(fields: FieldErrors, rename: Record<string, string>): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(fields)) {
    const base = path.replace(/(\.[\w]+)+$/, '');
    const name = rename[path] ?? rename[base] ?? base;
    const list = (out[name] ??= []);
    for (const msg of messages) {
      const t = stewardMessage(msg);
      if (!list.includes(t)) list.push(t);
    }
  }
  return out;
}

type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Checks input with a shared schema, answering in the steward's language. */
export function checkInput<S extends z.ZodType>(schema: S, input: unknown, rename: Record<string, string> = {}): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: stewardFields(zodFields(result.error), rename) };
}

/** The form's own findings first: a field it already flagged keeps only that message. */
export function planErrors(schemaErrors: FieldErrors, fieldErrors: FieldErrors): FieldErrors {
  const out: FieldErrors = { ...schemaErrors, ...fieldErrors };
  if (['weightProducer', 'weightWorker', 'weightUser'].some((k) => fieldErrors[k]) && !schemaErrors.weights?.some((e) => e === m.steward_patronage_err_weights())) delete out.weights;
  return out;
}

export function merge(a: FieldErrors, b: FieldErrors): FieldErrors {
  const out: FieldErrors = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = [...new Set([...(out[k] ?? []), ...v])];
  return out;
}

export { invalid };

/** An API refusal next to its fields and with a sentence in the steward's language. */
export function stewardFailure(
  event: RequestEvent,
  e: unknown,
  values: FormValues,
  opts: { form?: string; rename?: Record<string, string> } = {},
) {
  const failure = apiFailure(event, e, values, opts);
  if (isApiError(e)) {
    const specific = CODES[e.code];
    if (specific) failure.data.message = specific();
    if (e.fields) failure.data.errors = stewardFields(e.fields, opts.rename ?? {});
  }
  return failure;
}

/** "20" or "12,5" (per cent) → 2000 or 1250 basis points; null when it is not a percentage. */
export function percentToBps(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** 1250 → "12,5" / "12.5": a rate put back into a form field in the steward's notation. */
export function bpsToPercentText(bps: number, locale: string): string {
  const text = String(bps / 100);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

export type PlanFieldsText = {
  reserve: string;
  weightProducer: string;
  weightWorker: string;
  weightUser: string;
  cash: string;
  threshold: string;
};

/** The plan's figures as they go back into the form's fields. */
export function planFieldsText(
  p: { reserveBps: number; weights: { producer: number; worker: number; user: number }; cashBps: number; thresholdCents: number },
  locale: string,
): PlanFieldsText {
  const pct = (bps: number) => bpsToPercentText(bps, locale);
  const dollars = (p.thresholdCents / 100).toFixed(2);
  return {
    reserve: pct(p.reserveBps),
    weightProducer: pct(p.weights.producer),
    weightWorker: pct(p.weights.worker),
    weightUser: pct(p.weights.user),
    cash: pct(p.cashBps),
    threshold: locale === 'fr' ? dollars.replace('.', ',') : dollars,
  };
}

/**
 * Reads a plan's fields ("10" %, "12,5" %, "25,00" $) named with an optional prefix, into the
 * API's basis points and cents; what cannot be read is said next to its field.
 */
export function readPlanFields(
  data: FormData | URLSearchParams,
  prefix = '',
  opts: { required?: boolean } = {},
): { params: Partial<{ reserveBps: number; weights: { producer: number; worker: number; user: number }; cashBps: number; thresholdCents: number }>; errors: FieldErrors; empty: boolean } {
  const read = (name: string) => {
    const v = data.get(prefix + name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const errors: FieldErrors = {};
  const pct = (name: string) => {
    const t = read(name);
    if (!t) {
      if (opts.required) errors[prefix + name] = [m.err_required()];
      return undefined;
    }
    const bps = percentToBps(t);
    if (bps === null || bps > 10_000) {
      errors[prefix + name] = [m.steward_patronage_err_percent()];
      return undefined;
    }
    return bps;
  };
  const reserveBps = pct('reserve');
  const cashBps = pct('cash');
  const producer = pct('weightProducer');
  const worker = pct('weightWorker');
  const user = pct('weightUser');
  let thresholdCents: number | undefined;
  const t = read('threshold');
  if (!t && opts.required) errors[prefix + 'threshold'] = [m.err_required()];
  if (t) {
    const c = parseMoneyToCents(t);
    if (c === null) errors[prefix + 'threshold'] = [m.err_price_format()];
    else thresholdCents = c;
  }
  const anyWeight = producer !== undefined || worker !== undefined || user !== undefined;
  const weights = anyWeight ? { producer: producer ?? 0, worker: worker ?? 0, user: user ?? 0 } : undefined;
  const empty = ['reserve', 'cash', 'weightProducer', 'weightWorker', 'weightUser', 'threshold'].every((n) => !read(n));
  const params = Object.fromEntries(
    Object.entries({ reserveBps, weights, cashBps, thresholdCents }).filter(([, v]) => v !== undefined),
  );
  return { params, errors, empty };
}

/** Field names of the API's plan body → the form's. */
export const PLAN_RENAME: Record<string, string> = {
  reserveBps: 'reserve',
  cashBps: 'cash',
  thresholdCents: 'threshold',
  'weights.producer': 'weightProducer',
  'weights.worker': 'weightWorker',
  'weights.user': 'weightUser',
  weights: 'weights',
};
