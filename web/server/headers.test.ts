import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { securityHeaders, servedOverHttps } from './headers.js';

const request = (headers: Record<string, string> = {}, encrypted = false) =>
  ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe('the web security headers', () => {
  it('adds HSTS only over https', () => {
    expect(securityHeaders(false)['Strict-Transport-Security']).toBeUndefined();
    expect(securityHeaders(true)['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
    for (const https of [false, true]) {
      expect(securityHeaders(https)['X-Content-Type-Options']).toBe('nosniff');
      expect(securityHeaders(https)['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('knows https from the socket, the public ORIGIN or the proxy header it was told to trust', () => {
    expect(servedOverHttps(request(), {})).toBe(false);
    expect(servedOverHttps(request({}, true), {})).toBe(true);
    expect(servedOverHttps(request(), { ORIGIN: 'https://tissu.example' })).toBe(true);
    expect(servedOverHttps(request(), { ORIGIN: 'http://localhost:3000' })).toBe(false);
    expect(servedOverHttps(request({ 'x-forwarded-proto': 'https' }), { PROTOCOL_HEADER: 'X-Forwarded-Proto' })).toBe(true);
    // Without PROTOCOL_HEADER the proxy header is anyone's to send, so it counts for nothing.
    expect(servedOverHttps(request({ 'x-forwarded-proto': 'https' }), {})).toBe(false);
  });
});
