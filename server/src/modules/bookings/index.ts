// What other modules and the flows may use of bookings; the rest (repository, view, transitions' internals) stays inside.
export { createBookingsService, type BookingsDeps, type BookingsService } from './service.js';
export { createScheduleService } from './schedule.js';
export { placeQuotedBooking, proposedTimesFit, type ProposedTimeFit, type QuotedTerms } from './quoted.js';
export { applyTransition, notifyClient } from './transitions.js';
export { busyAround, lockCalendar, nearEnough, nearbyFreeTimes, pastNotice, placeVisit, placeVisits, visitFit, type VisitFit, type VisitRequest, type VisitTerms } from './visits.js';
export { availabilityOf } from './schedule.js';
export { chosenAddons, visitLength, type ChosenAddon } from './addons.js';
export { replaceWorkers } from './repository.js';
export { coopAcceptedAt, insertEvent, lockBooking, unassignFromComingBookings, workersOf, type BookingRow } from './repository.js';
export { maySee, maySeeAmounts, outsidersAnswer404, viewerOf, viewerView, type Viewer } from './relation.js';
export { bookingEventsOf, toReview } from './view.js';
