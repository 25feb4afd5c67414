import { HttpError } from '../errors.js';

/** What every call to the payment processor answers when it fails: nothing changed here, try again. */
export const gatewayDown = (err: unknown) =>
  new HttpError(502, 'payment_processor_unavailable', `The payment processor did not answer (${(err as Error).message}). Nothing was changed; please try again.`);
