import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDeadline, formatTime, ofName, toName } from './format.js';

const ZONE = 'America/Toronto';
// 9:05 in Montréal (EDT, UTC−4) on the Monday after the March change; 18:00 the same day.
const NINE = new Date('2026-03-16T13:05:00Z');
const SIX_PM = new Date('2026-03-16T22:00:00Z');
// Intl separates "9 h 05" and "9:05 a.m." with no-break spaces; compare the words.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('times in emails', () => {
  it('write the hour without a leading zero, as the web does', () => {
    expect(plain(formatTime(NINE, ZONE, 'fr'))).toBe('9 h 05');
    expect(plain(formatTime(NINE, ZONE, 'en'))).toBe('9:05 a.m.');
    expect(plain(formatTime(SIX_PM, ZONE, 'en'))).toBe('6:00 p.m.');
    expect(plain(formatDateTime(NINE, ZONE, 'fr'))).toBe('lundi 16 mars 2026 à 9 h 05');
    expect(plain(formatDateTime(NINE, ZONE, 'en'))).toBe('Monday, March 16, 2026 at 9:05 a.m.');
  });

  it('write the first of a month "1er" in French, as the web does, and no other day', () => {
    const first = new Date('2027-02-01T14:00:00Z');
    expect(plain(formatDate(first, ZONE, 'fr'))).toBe('1er février 2027');
    expect(plain(formatDateTime(first, ZONE, 'fr'))).toBe('lundi 1er février 2027 à 9 h 00');
    expect(plain(formatDate(new Date('2027-02-11T14:00:00Z'), ZONE, 'fr'))).toBe('11 février 2027');
    expect(plain(formatDate(first, ZONE, 'en'))).toBe('February 1, 2027');
  });

  it('read a deadline at midnight as the end of the day before', () => {
    const midnight = new Date('2026-12-21T05:00:00Z'); // 00:00 in Montréal (EST)
    expect(formatDeadline(midnight, ZONE, 'fr')).toEqual({
      until: "jusqu'à la fin du dimanche 20 décembre 2026",
      by: "d'ici la fin du dimanche 20 décembre 2026",
    });
    expect(formatDeadline(midnight, ZONE, 'en').until).toBe('until the end of Sunday, December 20, 2026');
    expect(plain(formatDeadline(NINE, ZONE, 'fr').until)).toBe("jusqu'au lundi 16 mars 2026 à 9 h 05");
    expect(plain(formatDeadline(NINE, ZONE, 'en').by)).toBe('by Monday, March 16, 2026 at 9:05 a.m.');
  });
});

describe('French "de" and "à" before a name', () => {
  it('elides before a vowel sound and gives a co-op named by its kind its article', () => {
    expect(ofName('Amina Diallo')).toBe("d'Amina Diallo");
    expect(ofName('Émile')).toBe("d'Émile");
    expect(ofName('Sophie')).toBe('de Sophie');
    expect(ofName('Ménage Éclat')).toBe('de Ménage Éclat');
    expect(ofName('Coopérative de travail Ménage Plus')).toBe('de la Coopérative de travail Ménage Plus');
    expect(ofName('Coop Vélo')).toBe('de la Coop Vélo');
    expect(ofName('Coopsco')).toBe('de Coopsco');
    expect(ofName('Le Minh Anh')).toBe('de Le Minh Anh');
    expect(toName('Coopérative de travail Ménage Plus')).toBe('à la Coopérative de travail Ménage Plus');
    expect(toName('Amina Diallo')).toBe('à Amina Diallo');
  });
});
