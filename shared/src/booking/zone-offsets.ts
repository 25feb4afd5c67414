import { Info, type Zone } from 'luxon';

/**
 * A time zone's UTC offsets as a table of transitions, found once per process and reused.
 *
 * Asking Luxon (and so `Intl`) for an offset costs microseconds and allocates; slot computation
 * needs a few per day. The offsets only change at the zone's transitions (twice a year where
 * clocks change), so they are found once per span of about 24 days: one offset a day, and where
 * two consecutive ones differ, a bisection to the second. Afterwards an offset is a table lookup.
 *
 * The offsets are Luxon's own (`zone.offset`), so instants computed here are the ones Luxon
 * computes. Two transitions less than a day apart that cancel out would be missed; no zone has
 * had such rules since the tz database's rules began to be regular, and none has them ahead.
 */

const MINUTE = 60_000;
const DAY_S = 86_400;
/** Offsets are found for spans of 2^21 seconds (about 24 days), when first needed. */
const SPAN_S = 2 ** 21;

interface Span {
  /** Second at which each offset starts, ascending; the first is the span's start. */
  starts: number[];
  /** Minutes east of UTC, as Luxon gives them. */
  offsets: number[];
}

export class ZoneOffsets {
  private readonly spans = new Map<number, Span>();
  // The last segment looked up, in seconds [lo, hi): days are visited in order.
  private lo = 1;
  private hi = 0;
  private current = 0;
  /** The offset `localToInstant` settled on (kept here so the hot path allocates nothing). */
  lastOffset = 0;

  constructor(private readonly zone: Zone) {}

  /** Offset in minutes at an instant (milliseconds), exactly as Luxon's `zone.offset`. */
  offsetAt(ms: number): number {
    const sec = Math.floor(ms / 1000);
    if (sec >= this.lo && sec < this.hi) return this.current;
    return this.lookup(sec);
  }

  /**
   * The instant of a local wall time (milliseconds of the local calendar, as if it were UTC),
   * starting from a guessed offset: Luxon's `fixOffset`, step for step. A time that occurs twice
   * resolves to the occurrence whose offset is the guess (when it is one of the two); a time that
   * does not exist is read with the offset before the change, so it lands after the gap.
   */
  localToInstant(local: number, guess: number): number {
    let utc = local - guess * MINUTE;
    const o2 = this.offsetAt(utc);
    if (o2 === guess) {
      this.lastOffset = guess;
      return utc;
    }
    utc -= (o2 - guess) * MINUTE;
    const o3 = this.offsetAt(utc);
    if (o3 === o2) {
      this.lastOffset = o2;
      return utc;
    }
    this.lastOffset = Math.max(o2, o3);
    return local - Math.min(o2, o3) * MINUTE;
  }

  private lookup(sec: number): number {
    if (!Number.isFinite(sec)) return NaN;
    const k = Math.floor(sec / SPAN_S);
    let span = this.spans.get(k);
    if (!span) {
      span = this.discover(k);
      this.spans.set(k, span);
    }
    let i = span.starts.length - 1;
    while (i > 0 && span.starts[i]! > sec) i--;
    this.lo = span.starts[i]!;
    this.hi = i + 1 < span.starts.length ? span.starts[i + 1]! : (k + 1) * SPAN_S;
    this.current = span.offsets[i]!;
    return this.current;
  }

  private probe(sec: number): number {
    return this.zone.offset(sec * 1000);
  }

  private discover(k: number): Span {
    const from = k * SPAN_S;
    const last = from + SPAN_S - 1;
    const first = this.probe(from);
    const span: Span = { starts: [from], offsets: [first] };
    if (this.zone.isUniversal) return span;
    // Transitions in (a, b], whose offsets differ; found in ascending order.
    const refine = (a: number, oa: number, b: number, ob: number): void => {
      if (b - a === 1) {
        span.starts.push(b);
        span.offsets.push(ob);
        return;
      }
      const mid = a + Math.floor((b - a) / 2);
      const om = this.probe(mid);
      if (om !== oa) refine(a, oa, mid, om);
      if (om !== ob) refine(mid, om, b, ob);
    };
    for (let a = from, oa = first; a < last; ) {
      const b = Math.min(a + DAY_S, last);
      const ob = this.probe(b);
      if (ob !== oa) refine(a, oa, b, ob);
      a = b;
      oa = ob;
    }
    return span;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The offsets of an IANA zone (or "UTC"), shared by every caller; null for a zone Luxon rejects. */
export function zoneOffsets(name: string): ZoneOffsets | null {
  let z = zones.get(name);
  if (z) return z;
  const zone = Info.normalizeZone(name);
  if (!zone.isValid) return null;
  z = new ZoneOffsets(zone);
  zones.set(name, z);
  return z;
}

/** An instant's reading on a zone's wall clock, in milliseconds: its offsets found once per zone, as slots find them. */
export function wallClockMs(at: number, timeZone: string): number {
  const z = zoneOffsets(timeZone);
  if (!z) throw new RangeError(`Unknown time zone: ${timeZone}`);
  return at + z.offsetAt(at) * MINUTE;
}
