import { parseMoneyToCents, type PutAddonsBody } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { amountFormatText, str, type FieldMessages } from '$lib/server/forms';

/** The most rows the form may send (the listing's add-ons and one new row); more is not a person typing. */
const MAX_ROWS = 40;

/**
 * The add-ons form: row i sends `id.i`, `nameFr.i`, `nameEn.i`, `price.i` (dollars, "25" or "25,50"),
 * `minutes.i`, `active.i` and `remove.i` when ticked. A new row left without names adds nothing; a
 * row ticked "remove" goes; `move` ("2:up") swaps a row with its neighbour. `rename` maps the API's
 * field paths (addons.<position>.priceCents) back to the form's (price.<row>).
 */
export function readAddonsForm(data: FormData): { ok: true; body: PutAddonsBody; rename: Record<string, string> } | { ok: false; errors: FieldMessages } {
  const count = Math.min(Math.max(Number(str(data, 'count')) || 0, 0), MAX_ROWS);
  const rows: { row: number; addon: PutAddonsBody['addons'][number] }[] = [];
  const errors: FieldMessages = {};
  for (let i = 0; i < count; i++) {
    const id = str(data, `id.${i}`);
    const nameFr = str(data, `nameFr.${i}`);
    const nameEn = str(data, `nameEn.${i}`);
    if (data.has(`remove.${i}`) || (!id && !nameFr.trim() && !nameEn.trim())) continue;
    const priceText = str(data, `price.${i}`).trim();
    const priceCents = priceText ? parseMoneyToCents(priceText) : null;
    if (!priceText) errors[`price.${i}`] = [m.err_required()];
    else if (priceCents === null) errors[`price.${i}`] = [amountFormatText(priceText)];
    const minutesText = str(data, `minutes.${i}`).trim();
    const extraMinutes = minutesText === '' ? 0 : Number(minutesText);
    rows.push({ row: i, addon: { ...(id ? { id } : {}), nameFr, nameEn, priceCents: priceCents ?? 0, extraMinutes, active: data.has(`active.${i}`) } });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const [moveRow, direction] = str(data, 'move').split(':');
  const at = rows.findIndex((r) => String(r.row) === moveRow);
  const to = direction === 'up' ? at - 1 : at + 1;
  if (at >= 0 && to >= 0 && to < rows.length) [rows[at], rows[to]] = [rows[to]!, rows[at]!];
  const rename: Record<string, string> = {};
  rows.forEach((r, position) => {
    for (const [api, form] of [['id', 'id'], ['nameFr', 'nameFr'], ['nameEn', 'nameEn'], ['priceCents', 'price'], ['extraMinutes', 'minutes']]) {
      rename[`addons.${position}.${api}`] = `${form}.${r.row}`;
    }
  });
  return { ok: true, body: { addons: rows.map((r) => r.addon) }, rename };
}
