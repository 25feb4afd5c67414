import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

const ORIGIN = 'https://tissu.example';

/** Known ways to smuggle another site past a "starts with /" check (after URL decoding, as query params arrive). */
const BYPASSES = [
  '//evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '\t//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\\/evil.example',
  '/.//evil.example',
  '/./\\evil.example',
  '/..//evil.example',
  '///evil.example',
  '////evil.example/x',
  ' //evil.example',
  '\u0000//evil.example',
  'https://evil.example',
  'http://evil.example/sign-in',
  'HTTPS://EVIL.EXAMPLE',
  'https:evil.example',
  'https:/evil.example',
  '//evil.example@tissu.example',
  'https://tissu.example@evil.example',
  'https://tissu.example.evil.example/',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '//evil.example%2F',
  '/\u3000/evil.example',
  '\u3000//evil.example',
  '/\u200b/evil.example',
  '//\u0065vil.example',
  '//evil。example',
  '/%09/evil.example',
  '/%2F%2Fevil.example',
  '/%5Cevil.example',
  '%2F%2Fevil.example',
];

/** A header value may carry visible ASCII and spaces only (Node refuses the rest with a 500). */
const headerSafe = (s: string) => /^[\x21-\x7e]*$/.test(s);

describe('safeRedirect', () => {
  it.each(BYPASSES)('keeps %j on the site', (target) => {
    const result = safeRedirect(target, '/', ORIGIN);
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    expect(result.startsWith('/')).toBe(true);
    expect(result.startsWith('//')).toBe(false);
    expect(headerSafe(result)).toBe(true);
  });

  it('sends a plain bypass to the fallback, not somewhere of its own', () => {
    for (const target of ['/\t/evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/.//evil.example']) {
      expect(safeRedirect(target)).toBe('/');
      expect(safeRedirect(target, '')).toBe('');
    }
  });

  it('keeps same-site paths with their query and fragment', () => {
    expect(safeRedirect('/search?q=m%C3%A9nage&page=2')).toBe('/search?q=m%C3%A9nage&page=2');
    expect(safeRedirect('/bookings/abc#pay')).toBe('/bookings/abc#pay');
    expect(safeRedirect('/listings/x/../y')).toBe('/listings/y');
    expect(safeRedirect(`${ORIGIN}/dashboard`, '/', ORIGIN)).toBe('/dashboard');
  });

  it('turns characters a header may not carry into their encoded form', () => {
    expect(safeRedirect('/\n/x')).toBe('/');
    expect(safeRedirect('/a\nb')).toBe('/ab');
    expect(safeRedirect('/%0a/x')).toBe('/%0a/x');
    expect(safeRedirect('/a\u3000b')).toBe('/a%E3%80%80b');
    expect(safeRedirect('/a\u200bb?q=é')).toBe('/a%E2%80%8Bb?q=%C3%A9');
  });

  it('falls back on nothing', () => {
    expect(safeRedirect(null)).toBe('/');
    expect(safeRedirect(undefined, '')).toBe('');
    expect(safeRedirect('')).toBe('/');
  });
});
