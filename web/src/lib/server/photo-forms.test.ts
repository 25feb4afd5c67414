import { describe, expect, it } from 'vitest';
import { movedPhotoOrder, readPhotoUpload } from './photo-forms';

describe('movedPhotoOrder', () => {
  it('swaps a photo with its neighbour', () => {
    expect(movedPhotoOrder(['a', 'b', 'c'], 'b', 'up')).toEqual(['b', 'a', 'c']);
    expect(movedPhotoOrder(['a', 'b', 'c'], 'b', 'down')).toEqual(['a', 'c', 'b']);
  });
  it('leaves the ends and unknown photos where they are', () => {
    expect(movedPhotoOrder(['a', 'b'], 'a', 'up')).toEqual(['a', 'b']);
    expect(movedPhotoOrder(['a', 'b'], 'b', 'down')).toEqual(['a', 'b']);
    expect(movedPhotoOrder(['a', 'b'], 'z', 'up')).toEqual(['a', 'b']);
  });
});

describe('readPhotoUpload', () => {
  const form = (entries: [string, string | File][]) => {
    const f = new FormData();
    for (const [k, v] of entries) f.append(k, v);
    return f;
  };
  it('asks for a file, and for words when a listing photo has none', () => {
    const r = readPhotoUpload(form([['altFr', ' '], ['altEn', '']]), { altRequired: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['altFr', 'file']);
  });
  it('refuses a file over the size the API takes, before sending it', () => {
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.jpg', { type: 'image/jpeg' });
    const r = readPhotoUpload(form([['file', big], ['altFr', 'Une cuisine']]), { altRequired: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual(['file']);
  });
  it('sends the file with its words, trimmed; a logo may have none', () => {
    const file = new File([new Uint8Array([1, 2, 3])], 'cuisine.jpg', { type: 'image/jpeg' });
    const r = readPhotoUpload(form([['file', file], ['altFr', ' Une cuisine '], ['altEn', '']]), { altRequired: true });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.body.get('altFr')).toBe('Une cuisine');
      expect((r.body.get('file') as File).size).toBe(3);
    }
    expect(readPhotoUpload(form([['file', file]]), { altRequired: false }).ok).toBe(true);
  });
});
