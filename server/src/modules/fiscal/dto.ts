import type { z } from 'zod';
import type { FiscalRecord } from '@tissu/shared';
import type { FiscalRecordRow } from './repository.js';

/** The one FiscalRecord DTO (an expense or an income the stewards recorded). */
export function toFiscalRecord(r: FiscalRecordRow): z.output<typeof FiscalRecord> {
  return { id: r.id, kind: r.kind, occurredOn: r.occurredOn, category: r.category, amountCents: r.amountCents, note: r.note, createdAt: r.createdAt.toISOString() };
}
