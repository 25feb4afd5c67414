import { describe, expect, it } from 'vitest';
import { visitDeadline } from './terms.js';

const HOUR = 3_600_000;
const now = new Date('2026-12-05T12:47:00Z');

describe('when an unpaid visit lapses', () => {
  it('two hours before it starts', () => {
    expect(visitDeadline(new Date(now.getTime() + 48 * HOUR), now)).toEqual(new Date(now.getTime() + 46 * HOUR));
    expect(visitDeadline(new Date(now.getTime() + 48 * HOUR))).toEqual(new Date(now.getTime() + 46 * HOUR));
  });

  it('half an hour from now for a visit made less than two hours ahead, never after it starts', () => {
    // An instant first visit at 13:30 made at 12:47 was born expired at 11:30 and lapsed within the minute.
    expect(visitDeadline(new Date('2026-12-05T13:30:00Z'), now)).toEqual(new Date('2026-12-05T13:17:00Z'));
    expect(visitDeadline(new Date('2026-12-05T13:00:00Z'), now)).toEqual(new Date('2026-12-05T13:00:00Z'));
  });
});
