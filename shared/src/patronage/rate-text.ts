/**
 * A class's patronage rate in words, the one wording the API's statements and the web's pages
 * share: "1,23 $ par heure livrée" / "$1.23 per hour delivered", "… par tranche de 100,00 $ de
 * services vendus". The amount comes formatted by the caller: rounded to the cent, or exact.
 */
import { formatMoney, type Locale } from '../money.js';
import type { DisplayRate, MemberClass } from './schemas.js';

export function patronageRateText(per: DisplayRate['per'], memberClass: MemberClass, amount: string, locale: Locale): string {
  if (per === 'hour') return locale === 'fr' ? `${amount} par heure livrée` : `${amount} per hour delivered`;
  const hundred = formatMoney(10_000, locale);
  if (memberClass === 'producer') return locale === 'fr' ? `${amount} par tranche de ${hundred} de services vendus` : `${amount} per ${hundred} of services sold`;
  return locale === 'fr' ? `${amount} par tranche de ${hundred} payés` : `${amount} per ${hundred} paid`;
}
