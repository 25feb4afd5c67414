/**
 * A signed-in device as its owner would name it, read from the User-Agent the browser sent at
 * sign-in: the browser and the system, nothing finer (versions change at every update and tell
 * her nothing). Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", Android
 * says "Linux", iPadOS may say "Macintosh".
 */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(iPhone)\b/, 'iPhone'],
  [/\b(iPad)\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\b(Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export interface DeviceLabel {
  browser: string | null;
  os: string | null;
}

export function deviceOf(userAgent: string | null | undefined): DeviceLabel {
  const ua = userAgent ?? '';
  return {
    browser: BROWSERS.find(([re]) => re.test(ua))?.[1] ?? null,
    os: SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? null,
  };
}

/**
 * Where a device was, roughly: the network, not the machine ("203.0.113.x", "2001:db8:85a3:x").
 * Enough for "that is my home" or "I have never been there", no more.
 */
export function approximateAddress(address: string | null | undefined): string | null {
  if (!address) return null;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.x`;
  if (address.includes(':')) return `${address.split(':').slice(0, 3).join(':')}:x`;
  return null;
}
