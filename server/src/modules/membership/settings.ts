import type { CoopSettings } from '@tissu/shared';
import { DEFAULT_PATRONAGE_SETTINGS, fieldError } from '@tissu/shared';
import type { Db, Tx } from '@tissu/db';
import { requireSteward, type Actor } from '../../actor.js';
import { badRequest } from '../../errors.js';
import * as repo from './repository.js';

/**
 * What the assembly adopted, with the platform's defaults for whatever it has not (yet) decided.
 * Withholding defaults to worker-members only: user members buy consumer services, and ITA
 * s.135(3) does not apply to patronage in respect of consumer goods or services.
 */
export const DEFAULT_COOP_SETTINGS: CoopSettings = {
  qualifyingShareCents: { producer: 10_000, worker: 2_000, user: 1_000, supporting: 1_000 },
  fiscalYearStart: '01-01',
  legalMinimumReserveBps: DEFAULT_PATRONAGE_SETTINGS.legalMinimumReserveBps,
  legalMinimumReserveApplies: true,
  minimumCashBps: DEFAULT_PATRONAGE_SETTINGS.minimumCashBps,
  paymentThresholdCents: DEFAULT_PATRONAGE_SETTINGS.paymentThresholdCents,
  withholdingClasses: ['worker'],
  quorumBps: 1_000,
  votingDays: 14,
};

export async function readCoopSettings(tx: Tx): Promise<CoopSettings> {
  const stored = await repo.settingRows(tx);
  const merged: Record<string, unknown> = { ...DEFAULT_COOP_SETTINGS };
  for (const row of stored) if (row.key in merged) merged[row.key] = row.value;
  return merged as CoopSettings;
}

export function createSettingsService(db: Db) {
  return {
    async get(actor: Actor | null): Promise<CoopSettings> {
      requireSteward(actor);
      return readCoopSettings(db);
    },

    /** Stewards record what the assembly adopted; each change keeps who made it. */
    async update(actor: Actor | null, changes: Partial<CoopSettings>): Promise<CoopSettings> {
      const a = requireSteward(actor);
      await db.transaction(async (tx) => {
        await repo.lockSettings(tx);
        const next = { ...(await readCoopSettings(tx)), ...stripUndefined(changes) };
        // A reserve the law requires cannot be 0 %: the plan would set nothing aside (Cooperatives Act s.146).
        if (next.legalMinimumReserveApplies && next.legalMinimumReserveBps <= 0) {
          throw badRequest('Some fields are not valid', { legalMinimumReserveBps: [fieldError('reserve_required_when_applies')] });
        }
        for (const [key, value] of Object.entries(changes)) if (value !== undefined) await repo.upsertSetting(tx, key, value, a.userId);
      });
      return readCoopSettings(db);
    },
  };
}

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
