// What other modules may use of saved addresses: the copy a booking takes of one.
export { addressForBooking } from './service.js';
