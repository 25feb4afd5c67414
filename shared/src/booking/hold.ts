/** A listing's longest service: two weeks. */
export const MAX_DURATION_MINUTES = 60 * 24 * 14;
/** The longest buffer a listing keeps after each booking: a day. */
export const MAX_BUFFER_MINUTES = 24 * 60;
/**
 * The longest a booking holds its unit (its service and the buffer after it). The database refuses
 * longer, so a read of a calendar looks back only this far from its window: without that bound it
 * read every booking the listing ever had before the window's end.
 */
export const MAX_HOLD_MINUTES = MAX_DURATION_MINUTES + MAX_BUFFER_MINUTES;
