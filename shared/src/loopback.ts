/**
 * Whether a socket's peer address is this machine (IPv4 127/8, IPv6 ::1, or IPv4 loopback mapped
 * into IPv6). The development mailbox holds password-reset links: it answers only such peers.
 * Give it the socket's own address, never a header a client can write (X-Forwarded-For).
 */
export function isLoopbackAddress(address: string | undefined | null): boolean {
  if (!address) return false;
  const a = address.trim().toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
