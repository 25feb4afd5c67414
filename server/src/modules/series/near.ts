import { SERIES_MOVE_HOURS } from '@tissu/shared';

/** A visit moved from its rule's time stays within a day of it, either way (the free times the pages offer). */
export const nearEnough = (to: Date, from: Date) => Math.abs(to.getTime() - from.getTime()) <= SERIES_MOVE_HOURS * 3_600_000;
