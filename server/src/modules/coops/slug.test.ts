import { describe, expect, it } from 'vitest';
import { firstFreeSlug, looksLikeSlug, slugify } from './slug.js';

describe('slugify', () => {
  it.each([
    ['Coopérative de ménage Côte-des-Neiges', 'cooperative-de-menage-cote-des-neiges'],
    ["L'Œuvre des Cœurs", 'l-oeuvre-des-coeurs'],
    ['  --Vélo__Solidaire!!  ', 'velo-solidaire'],
    ['合作社', 'coop'],
    ['3F1C2D4E-1111-4222-8333-944445555666', 'coop-3f1c2d4e-1111-4222-8333-944445555666'],
  ])('%s -> %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(looksLikeSlug(slugify(name))).toBe(true);
  });

  it('stays short and never ends with a dash', () => {
    const slug = slugify(`${'a'.repeat(59)} b c`);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).not.toMatch(/-$/);
  });
});

describe('firstFreeSlug', () => {
  it('takes the base, then the first free number', () => {
    expect(firstFreeSlug('velo', [])).toBe('velo');
    expect(firstFreeSlug('velo', ['velo', 'velo-2', 'velo-4'])).toBe('velo-3');
  });
});
