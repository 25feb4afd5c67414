/**
 * Intl formatters cost about 0.2 ms to build and microseconds to use; a page of slots formats
 * hundreds of times. One formatter per locale and options, built on first use (a profile of the
 * listing page found two thirds of the web server's CPU building them).
 */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateTimeFormats.get(key);
  if (!f) dateTimeFormats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/** French writes the first of a month "1er" ("vendredi 1er janvier"); Intl writes "1". For emails and the web alike. */
export function firstOfMonth(text: string, french: boolean): string {
  return french ? text.replace(/(^|\s)1(\s)/, '$11er$2') : text;
}
