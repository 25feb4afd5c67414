// A listing's opening hours as the slot computation reads them (slots.ts, opening-hours.ts).

export interface WeeklyRule {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:mm" local time; end after start, "24:00" allowed as end. */
  start: string;
  end: string;
}

export interface DateException {
  /** Local date "YYYY-MM-DD". */
  date: string;
  /** closed: no bookings that day (or only in start–end); extra: opening hours added that day. */
  kind: 'closed' | 'extra';
  start?: string;
  end?: string;
}

export interface Availability {
  timeZone: string;
  weekly: WeeklyRule[];
  exceptions: DateException[];
  slotIntervalMinutes: number;
  bufferMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  capacity: number;
}
