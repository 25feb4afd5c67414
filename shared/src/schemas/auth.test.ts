/** A new password (sign-up, change, reset): ten spaces are not a password. */
import { describe, expect, it } from 'vitest';
import { ChangePasswordBody, PasswordResetBody, SignUpBody } from './auth.js';

const codes = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, field: string) =>
  r.success ? [] : r.error!.issues.filter((i) => i.path[0] === field).map((i) => i.message);

describe('a new password', () => {
  it('made only of spaces or other blanks is refused, on sign-up, change and reset alike', () => {
    for (const blank of [' '.repeat(10), ' '.repeat(30), '\t'.repeat(12), ' \u00a0 \n '.repeat(3)]) {
      expect(codes(SignUpBody.safeParse({ email: 'a@example.test', password: blank, name: 'Amina' }), 'password')).toEqual(['password_blank']);
      expect(codes(ChangePasswordBody.safeParse({ currentPassword: 'x', newPassword: blank }), 'newPassword')).toEqual(['password_blank']);
      expect(codes(PasswordResetBody.safeParse({ token: 't'.repeat(40), password: blank }), 'password')).toEqual(['password_blank']);
    }
  });

  it('is told too short once when it is, blank or not', () => {
    expect(codes(SignUpBody.safeParse({ email: 'a@example.test', password: '   ', name: 'Amina' }), 'password')).toEqual(['too_short']);
  });

  it('may hold spaces among other characters, as a passphrase does', () => {
    for (const ok of ['  ma phrase secrète  ', 'correct horse battery staple', '          x']) {
      expect(codes(SignUpBody.safeParse({ email: 'a@example.test', password: ok, name: 'Amina' }), 'password')).toEqual([]);
    }
  });
});
