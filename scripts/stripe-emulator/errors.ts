/**
 * Errors shaped as Stripe answers them, so the official SDK raises the matching StripeError
 * subclass: 400/404 -> StripeInvalidRequestError (or StripeIdempotencyError by type),
 * 401 -> StripeAuthenticationError, 402 -> StripeCardError.
 */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'idempotency_error' | 'card_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: StripeErrorBody,
    /** Stripe saves no idempotent result for a request that failed parameter validation. */
    readonly savedForIdempotency = true,
  ) {
    super(body.message);
  }
}

export function invalidRequest(message: string, extra: Partial<StripeErrorBody> = {}): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message, ...extra });
}

export function paramError(code: string, message: string, param: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code, message, param }, false);
}

export function missingParam(param: string): StripeApiError {
  return paramError('parameter_missing', `Missing required param: ${param}.`, param);
}

export function noSuch(objectName: string, id: string, param: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message }, false);
}
