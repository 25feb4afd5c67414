/**
 * The quote forms read into the API's bodies: the co-op's offer (rows of lines, validity, proposed
 * times in the listing's zone, the job's length) and the client's request. Each mistake is said under
 * its own field in the person's language before the API is asked; the API checks everything again.
 */
import { CreateOfferBody, OFFER_MAX_VALIDITY_DAYS, SERIES_FREQUENCIES, parseMoneyToCents, type SeriesFrequency } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { readLine, type LineDraft, type LineMode } from '$lib/quote-lines';
import { addDays, instantOfWallClock, isLocalDate, localDate } from '$lib/time';
import { check, strs, str, type FieldMessages } from './forms';

export const PROPOSED_TIME_FIELDS = 5;

/** The rows of the lines editor as sent (every row sends every field, in order). */
export function lineDrafts(data: FormData): LineDraft[] {
  const labels = strs(data, 'lineLabel');
  const modes = strs(data, 'lineMode');
  const quantities = strs(data, 'lineQuantity');
  const units = strs(data, 'lineUnitPrice');
  const amounts = strs(data, 'lineAmount');
  return labels.map((label, i) => ({
    label,
    mode: (modes[i] === 'fixed' ? 'fixed' : 'unit') as LineMode,
    quantity: quantities[i] ?? '',
    unitPrice: units[i] ?? '',
    amount: amounts[i] ?? '',
  }));
}

/** "2027-01-14T09:30" (a datetime-local field) → the instant in `timeZone`, or null. */
export function wallClockInstant(text: string, timeZone: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(text.trim());
  if (!match || !isLocalDate(match[1])) return null;
  const [h, min] = match[2]!.split(':').map(Number);
  if (h! > 23 || min! > 59) return null;
  return instantOfWallClock(match[1]!, match[2]!, timeZone).toISOString();
}

/**
 * The API's paths for the lines ("lines.2.unitPriceCents") → the editor's row messages ("line-3");
 * a proposed time's ("proposedTimes.1") → the field it was typed in (`timeFields`, blank fields
 * being left out: "time-3"), or the times as a whole when not known.
 */
export function offerRename(rows: number, timeFields: readonly string[] = []): Record<string, string> {
  const rename: Record<string, string> = {
    validUntil: 'validUntil', proposedTimes: 'times', durationMinutes: 'duration', message: 'message',
    // Regular visits: the API's recurrence.* paths → the form's fields.
    recurrence: 'kind', 'recurrence.frequency': 'frequency', 'recurrence.startsAt': 'seriesStart', 'recurrence.until': 'seriesCount', 'recurrence.count': 'seriesCount',
  };
  for (let i = 0; i < Math.max(rows, 50); i++) {
    for (const f of ['label', 'quantity', 'unitPriceCents']) rename[`lines.${i}.${f}`] = `line-${i + 1}`;
    rename[`proposedTimes.${i}`] = timeFields[i] ?? 'times';
  }
  return rename;
}

export type OfferRead =
  | { ok: true; body: CreateOfferBody; drafts: LineDraft[]; /** The form field of each proposed time ("time-2"), for the API's answer. */ timeFields: string[] }
  | { ok: false; errors: FieldMessages; drafts: LineDraft[] };

/** The offer form, checked: rows that are blank are left out, the others must each be a line. */
export function readOfferForm(data: FormData, timeZone: string, now = new Date()): OfferRead {
  const drafts = lineDrafts(data);
  const errors: FieldMessages = {};
  const lines: CreateOfferBody['lines'] = [];
  drafts.forEach((d, i) => {
    const blank = !d.label.trim() && !d.unitPrice.trim() && !d.amount.trim();
    if (blank) return;
    const read = readLine(d);
    if (!read.ok) {
      const list: string[] = [];
      if (read.errors.label) list.push(m.err_quote_line_label());
      if (read.errors.quantity) list.push(m.err_quote_quantity());
      if (read.errors.unitPrice || read.errors.amount) list.push(m.err_quote_amount());
      errors[`line-${i + 1}`] = list;
      return;
    }
    const l = read.line;
    lines.push(l.mode === 'fixed' ? { label: l.label, quantity: null, unitPriceCents: l.unitCents } : { label: l.label, quantity: l.quantityHundredths / 100, unitPriceCents: l.unitCents });
  });
  if (!lines.length && !Object.keys(errors).length) errors.lines = [m.err_quote_lines_none()];

  // Valid until the end of the chosen day, in the listing's zone.
  const day = str(data, 'validUntil').trim();
  const today = localDate(now, timeZone);
  let validUntil = '';
  if (!isLocalDate(day) || day < today || day > addDays(today, OFFER_MAX_VALIDITY_DAYS)) errors.validUntil = [m.err_quote_valid_until()];
  else validUntil = instantOfWallClock(day, '23:59', timeZone).toISOString();

  // One visit at one of the proposed times, or regular visits (the times are then not read).
  const regular = str(data, 'kind') === 'regular';
  const proposedTimes: string[] = [];
  const timeFields: string[] = [];
  let recurrence: CreateOfferBody['recurrence'];
  if (regular) {
    const frequency = str(data, 'frequency') as SeriesFrequency;
    if (!SERIES_FREQUENCIES.includes(frequency)) errors.frequency = [m.err_quote_regular_frequency()];
    const startsAt = wallClockInstant(str(data, 'seriesStart'), timeZone);
    if (!startsAt || Date.parse(startsAt) <= now.getTime()) errors.seriesStart = [m.err_quote_regular_start()];
    const countText = str(data, 'seriesCount').trim();
    const count = countText ? Number(countText) : undefined;
    if (count !== undefined && !(Number.isInteger(count) && count >= 2)) errors.seriesCount = [m.err_quote_regular_count()];
    if (startsAt) recurrence = { frequency, startsAt, count };
  } else {
    const timeErrors: string[] = [];
    strs(data, 'time').forEach((text, i) => {
      if (!text.trim()) return;
      const at = wallClockInstant(text, timeZone);
      if (!at) timeErrors.push(m.err_choose_date());
      else if (Date.parse(at) <= now.getTime()) timeErrors.push(m.err_quote_time_past());
      else {
        proposedTimes.push(at);
        timeFields.push(`time-${i + 1}`);
      }
    });
    if (!proposedTimes.length && !timeErrors.length) timeErrors.push(m.err_quote_times_none());
    if (timeErrors.length) errors.times = [...new Set(timeErrors)];
  }

  const hours = parseMoneyToCents(str(data, 'duration'));
  const durationMinutes = hours === null ? NaN : Math.round((hours * 60) / 100);
  if (!(durationMinutes >= 15 && durationMinutes <= 24 * 60)) errors.duration = [m.err_quote_duration()];

  if (Object.keys(errors).length) return { ok: false, errors, drafts };
  // What the rows above cannot catch (the same time twice, a note too long): the schema's words.
  const checked = check(CreateOfferBody, { lines, validUntil, durationMinutes, proposedTimes, recurrence, message: str(data, 'message').trim() }, offerRename(lines.length, timeFields));
  if (!checked.ok) return { ok: false, errors: checked.errors, drafts };
  return { ok: true, body: checked.data, drafts, timeFields };
}
