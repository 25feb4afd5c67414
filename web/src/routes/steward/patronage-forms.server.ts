/**
 * Form plumbing shared by the stewards' patronage pages: percentages and amounts read from the
 * steward's notation, and a plan's fields. Errors go through $lib/server/forms like every form's.
 */
import { parseMoneyToCents, type PlanParams } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { amountFormatText, type FieldMessages } from '$lib/server/forms';

/** The form's own findings first: a field it already flagged keeps only that message. */
export function planErrors(schemaErrors: FieldMessages, fieldErrors: FieldMessages): FieldMessages {
  const out: FieldMessages = { ...schemaErrors, ...fieldErrors };
  if (['weightProducer', 'weightWorker', 'weightUser'].some((k) => fieldErrors[k]) && !schemaErrors.weights?.some((e) => e === m.steward_patronage_err_weights())) delete out.weights;
  return out;
}

export function merge(a: FieldMessages, b: FieldMessages): FieldMessages {
  const out: FieldMessages = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = [...new Set([...(out[k] ?? []), ...v])];
  return out;
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
  p: PlanParams,
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
): { params: Partial<PlanParams>; errors: FieldMessages; empty: boolean } {
  const read = (name: string) => {
    const v = data.get(prefix + name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const errors: FieldMessages = {};
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
    if (c === null) errors[prefix + 'threshold'] = [amountFormatText(t)];
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
