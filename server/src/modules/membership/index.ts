// What other modules may use of membership: the co-op's settings, who is a member, qualifying shares.
export { readCoopSettings } from './settings.js';
export { isMemberPerson, membershipIdsOfPerson } from './repository.js';
export { sharesPaidSince } from './applications-repository.js';
export { expireShareApplication, settleSharePayment } from './share-checkout.js';
export { createShareFees, type ShareFees } from './share-fees.js';
