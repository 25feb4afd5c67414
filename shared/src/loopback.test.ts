import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from './loopback.js';

describe('isLoopbackAddress', () => {
  it('accepts this machine only', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.5', '192.168.1.20', '::ffff:192.168.1.20', 'fe80::1', '1.127.0.0', '', undefined, null, '127.0.0.1.evil']) {
      expect(isLoopbackAddress(a), String(a)).toBe(false);
    }
  });
});
