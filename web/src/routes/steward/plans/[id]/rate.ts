import type { SimulationResult } from '@tissu/shared';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { money } from '$lib/i18n';

/** "1,23 $ par heure donnée", "2,47 $ par tranche de 100 $": the class's rate as the API rounded it for display. */
export function rateText(rate: { per: 'hour' | 'hundredDollars'; cents: number } | null): string {
  if (!rate) return '—';
  return rate.per === 'hour' ? m.steward_patronage_rate_hour({ amount: money(rate.cents) }) : m.steward_patronage_rate_hundred({ amount: money(rate.cents) });
}

export type Simulation = z.infer<typeof SimulationResult>;
export type SimColumn = Simulation['columns'][number];
