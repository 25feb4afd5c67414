/** Price of one booking: hourly rates are charged for the listing's duration, to the nearest cent. */
export function bookingPrice(kind: 'hourly' | 'fixed', cents: number, minutes: number): number {
  return kind === 'fixed' ? cents : Math.round((cents * minutes) / 60);
}
