// What other modules and the flows may use of fiscal: the years, their figures, closing one into the surplus.
export { closeIntoSurplus, yearFigures } from './service.js';
export { adoptedPlanOfYear, bookingVolume, findYear, listYears, lockYear, membersDuring, setYearStatus, type FiscalYearRow } from './repository.js';
export { keepMonthsUpToDate } from './measures.js';
