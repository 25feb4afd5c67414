/**
 * How emails write times, dates and names, the way the web writes them (web/src/lib/time.ts and
 * i18n.ts), so a booking reads the same in the inbox and on its page: one way to write a time per
 * language, "9 h 00" / "9:00 a.m." (never Intl's `timeStyle: 'short'`, which writes "09 h 00"),
 * and French "de" elided before a vowel ("la part d'Amina").
 */
import { dateTimeFormat, firstOfMonth, startsWithVowelSound, type AppLocale } from '@tissu/shared';

/** Where Tissu's own deadlines (votes, links) are read: Montréal, the books' zone. */
export { BOOKS_ZONE as HOME_ZONE } from '../../lib/calendar.js';

const intlLocale = (locale: AppLocale) => (locale === 'fr' ? 'fr-CA' : 'en-CA');

/** "9 h 00" / "9:00 a.m." */
export function formatTime(instant: Date, timeZone: string, locale: AppLocale): string {
  return dateTimeFormat(intlLocale(locale), { hour: 'numeric', minute: '2-digit', timeZone }).format(instant);
}

/** "lundi 16 mars 2026" / "Monday, March 16, 2026": the local day of an instant in the zone. */
export function formatDay(instant: Date, timeZone: string, locale: AppLocale): string {
  return firstOfMonth(dateTimeFormat(intlLocale(locale), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(instant), locale === 'fr');
}


/** "16 mars 2026" / "March 16, 2026", for a date with no time (a link's last day). */
export function formatDate(instant: Date, timeZone: string, locale: AppLocale): string {
  return firstOfMonth(dateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(instant), locale === 'fr');
}

/** "lundi 16 mars 2026 à 9 h 00" / "Monday, March 16, 2026 at 9:00 a.m." */
export function formatDateTime(instant: Date, timeZone: string, locale: AppLocale): string {
  const time = formatTime(instant, timeZone, locale);
  return `${formatDay(instant, timeZone, locale)} ${locale === 'fr' ? 'à' : 'at'} ${time}`;
}

/** The wall-clock hour and minute of an instant in a zone, "00:00" at midnight. */
function wallClock(instant: Date, timeZone: string): string {
  return dateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(instant);
}

/**
 * A deadline at midnight is the end of the day before (the last day a steward picked), as the
 * web reads it: "jusqu'à la fin du dimanche 20 décembre 2026", never "jusqu'au 21 décembre à 0 h 00".
 * `until`: "jusqu'au …" / "until …"; `by`: "d'ici le …" / "by …".
 */
export function formatDeadline(instant: Date, timeZone: string, locale: AppLocale): { until: string; by: string } {
  if (wallClock(instant, timeZone) === '00:00') {
    const day = formatDay(new Date(instant.getTime() - 1), timeZone, locale);
    return locale === 'fr'
      ? { until: `jusqu'à la fin du ${day}`, by: `d'ici la fin du ${day}` }
      : { until: `until the end of ${day}`, by: `by the end of ${day}` };
  }
  const at = formatDateTime(instant, timeZone, locale);
  return locale === 'fr' ? { until: `jusqu'au ${at}`, by: `d'ici le ${at}` } : { until: `until ${at}`, by: `by ${at}` };
}


/**
 * A co-op named by what it is ("Coopérative de travail Ménage", "Coop Vélo") takes an article in
 * a sentence. Only that word: "Le", "Les" may start a person's name ("Le Minh Anh").
 */
const namedCoop = (name: string) => /^coop(é|e)rative\b|^coop\b/i.test(name);

/** French "de" before a name: "de Sophie", "d'Amina Diallo", "de la Coopérative de travail Ménage". */
export function ofName(name: string): string {
  const n = name.trim();
  if (namedCoop(n)) return `de la ${n}`;
  return startsWithVowelSound(n) ? `d'${n}` : `de ${n}`;
}

/** French "à" before a name: "à Sophie", "à Amina", "à la Coopérative de travail Ménage". */
export function toName(name: string): string {
  const n = name.trim();
  return namedCoop(n) ? `à la ${n}` : `à ${n}`;
}

/** French "avec" before a name: "avec Sophie", "avec la Coopérative de travail Ménage". */
export function withName(name: string): string {
  const n = name.trim();
  return namedCoop(n) ? `avec la ${n}` : `avec ${n}`;
}
