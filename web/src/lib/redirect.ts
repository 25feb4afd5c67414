/**
 * Where the web may send someone after a sign-in or a language switch: a page of this site only.
 *
 * The target is resolved the way a browser resolves a Location header (`new URL(target, origin)`:
 * tabs and newlines dropped, backslashes read as slashes, `..` and `.` collapsed) and kept only
 * when it stays on the origin. What is returned is the URL parser's own serialization of the path,
 * query and fragment, so it holds only characters a header may carry (no 500 on `%0a`, U+3000 or
 * U+200B) and means the same thing to every browser. Anything else goes to the fallback.
 */
const OWN_ORIGIN = 'http://tissu.invalid';

export function safeRedirect(target: string | null | undefined, fallback = '/', origin = OWN_ORIGIN): string {
  if (!target) return fallback;
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  const local = url.pathname + url.search + url.hash;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as another host.
  if (local.startsWith('//') || new URL(local, origin).origin !== url.origin) return fallback;
  return local;
}
