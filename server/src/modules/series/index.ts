// Regular visits: the series, its rules and its gaps. Its visits are bookings (the bookings module).
export { createSeriesService, type SeriesService } from './service.js';
export type { SeriesChange } from './changes.js';
export { extendHorizons } from './horizon.js';
export { leaveTeams, skipDate } from './repository.js';
export { visitCancelledAlone, visitMoved } from './one-visit.js';
export { settleClosedDays } from './closed-days.js';
export { seriesEventsOf } from './view.js';
export { placeQuotedSeries, regularTimeOpen, type QuotedSeriesTerms } from './from-quote.js';
