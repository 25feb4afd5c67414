import { describe, expect, it } from 'vitest';
import { draftTotals, emptyLine, isBlankLine, lineTotalCents, parseQuantity, readLine } from './quote-lines';

const line = (over: Partial<ReturnType<typeof emptyLine>>) => ({ ...emptyLine(), ...over });

describe('quote lines as typed', () => {
  it('reads quantities with a comma or a point, at most two decimals, above zero', () => {
    expect(parseQuantity('1,5')).toBe(150);
    expect(parseQuantity('2')).toBe(200);
    expect(parseQuantity('0.25')).toBe(25);
    expect(parseQuantity('0')).toBeNull();
    expect(parseQuantity('1,555')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('3 $')).toBeNull();
  });

  it('rounds each line half up to the cent', () => {
    // 1.5 × 33.33 $ = 49.995 $ → 50.00 $
    expect(lineTotalCents(150, 3333)).toBe(5000);
    expect(lineTotalCents(25, 1)).toBe(0);
    expect(lineTotalCents(50, 1)).toBe(1);
  });

  it('says which field of a row is not right yet', () => {
    expect(readLine(line({ label: '', unitPrice: 'abc' }))).toEqual({ ok: false, errors: { label: true, unitPrice: true } });
    expect(readLine(line({ label: 'Camion', mode: 'fixed', amount: '-5' }))).toEqual({ ok: false, errors: { amount: true } });
    expect(readLine(line({ label: 'Camion', mode: 'fixed', amount: '150' }))).toMatchObject({ ok: true, line: { totalCents: 15000 } });
  });

  it('totals the rows with the taxes and the fee as a booking has them, ignoring the spare blank row', () => {
    const rows = [
      line({ label: 'Déménageurs (3 × 4 h)', quantity: '12', unitPrice: '45' }),
      line({ label: 'Camion', mode: 'fixed', amount: '150' }),
      emptyLine(),
    ];
    expect(isBlankLine(rows[2]!)).toBe(true);
    const t = draftTotals(rows, 500, { gst: true, qst: true })!;
    expect(t.serviceCents).toBe(69000);
    expect(t.gstCents).toBe(3450);
    expect(t.qstCents).toBe(6883); // 690 × 9.975 % = 68.8275 → 68.83
    expect(t.totalCents).toBe(79333);
    expect(t.platformFeeCents).toBe(3450);
    expect(draftTotals([line({ label: 'x', unitPrice: '' })], 500, { gst: false, qst: false })).toBeNull();
    expect(draftTotals([emptyLine()], 500, { gst: false, qst: false })).toBeNull();
  });
});
