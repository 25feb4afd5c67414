import { PATRONAGE_CLASSES, UpdateCoopSettingsBody, parseMoneyToCents } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, strs, type FieldMessages, type FormState, amountFormatText } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { bpsToPercentText, percentToBps } from '../../patronage-forms.server';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';


const cents = (c: number, locale: string) => ((s) => (locale === 'fr' ? s.replace('.', ',') : s))((c / 100).toFixed(2));

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  try {
    const s = await ok(event.locals.api.GET('/steward/settings'));
    const l = event.locals.locale;
    return {
      settings: s,
      fields: {
        shareProducer: cents(s.qualifyingShareCents.producer, l),
        shareWorker: cents(s.qualifyingShareCents.worker, l),
        shareUser: cents(s.qualifyingShareCents.user, l),
        shareSupporting: cents(s.qualifyingShareCents.supporting, l),
        fiscalYearStart: s.fiscalYearStart,
        legalMinimumReserve: bpsToPercentText(s.legalMinimumReserveBps, l),
        legalMinimumReserveApplies: s.legalMinimumReserveApplies ? 'on' : '',
        minimumCash: bpsToPercentText(s.minimumCashBps, l),
        paymentThreshold: cents(s.paymentThresholdCents, l),
        withholdingClasses: s.withholdingClasses as string[],
        quorum: bpsToPercentText(s.quorumBps, l),
        votingDays: String(s.votingDays),
      },
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

const RENAME: Record<string, string> = {
  'qualifyingShareCents.producer': 'shareProducer',
  'qualifyingShareCents.worker': 'shareWorker',
  'qualifyingShareCents.user': 'shareUser',
  'qualifyingShareCents.supporting': 'shareSupporting',
  legalMinimumReserveBps: 'legalMinimumReserve',
  minimumCashBps: 'minimumCash',
  paymentThresholdCents: 'paymentThreshold',
  quorumBps: 'quorum',
};

export const actions: Actions = {
  default: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data, ['withholdingClasses']);
    const errors: FieldMessages = {};
    const money = (name: string) => {
      const t = str(data, name).trim();
      const c = t ? parseMoneyToCents(t) : null;
      if (c === null) errors[name] = [t ? amountFormatText(t) : m.err_required()];
      return c ?? undefined;
    };
    const pct = (name: string) => {
      const t = str(data, name).trim();
      const b = t ? percentToBps(t) : null;
      if (b === null || b > 10_000) errors[name] = [t ? m.steward_patronage_err_percent() : m.err_required()];
      return b ?? undefined;
    };
    const days = str(data, 'votingDays').trim();
    const body = {
      qualifyingShareCents: {
        producer: money('shareProducer'),
        worker: money('shareWorker'),
        user: money('shareUser'),
        supporting: money('shareSupporting'),
      },
      fiscalYearStart: str(data, 'fiscalYearStart').trim(),
      legalMinimumReserveBps: pct('legalMinimumReserve'),
      legalMinimumReserveApplies: str(data, 'legalMinimumReserveApplies') === 'on',
      minimumCashBps: pct('minimumCash'),
      paymentThresholdCents: money('paymentThreshold'),
      withholdingClasses: strs(data, 'withholdingClasses').filter((c) => (PATRONAGE_CLASSES as readonly string[]).includes(c)),
      quorumBps: pct('quorum'),
      votingDays: /^\d{1,3}$/.test(days) ? Number(days) : undefined,
    };
    if (!/^\d{1,3}$/.test(days)) errors.votingDays = [days ? m.err_number() : m.err_required()];
    const checked = check(UpdateCoopSettingsBody, body, RENAME);
    const all = { ...(checked.ok ? {} : checked.errors), ...errors };
    if (!checked.ok || Object.keys(all).length) return invalid(all, values);
    try {
      await event.locals.api.PUT('/steward/settings', { body: checked.data });
    } catch (e) {
      return apiFailure(event, e, values, { rename: RENAME });
    }
    return { success: m.steward_fiscal_settings_saved() } satisfies FormState;
  },
};


