import { describe, expect, it } from 'vitest';
import { frenchPath } from './french-paths';

describe('French paths', () => {
  it('serves /compte with the account page; other paths are left alone', () => {
    expect(frenchPath('/compte')).toBe('/account');
    expect(frenchPath('/account')).toBeUndefined();
    expect(frenchPath('/compte/autre')).toBeUndefined();
    expect(frenchPath('/constructor')).toBeUndefined();
  });
});
