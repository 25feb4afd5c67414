import { newId, nowSeconds } from './ids.js';
import { copy, type Store } from './store.js';
import type { ApiObject, RequestContext, StripeEvent } from './types.js';
import type { WebhookDispatcher } from './webhooks.js';

/** Records an event with a snapshot of the object as it is now and hands it to the webhooks. */
export class EventLog {
  private readonly acknowledged = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly webhooks: WebhookDispatcher,
    private readonly apiVersion: string,
  ) {}

  emit(type: string, object: ApiObject, ctx: RequestContext, previousAttributes?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: newId('event'),
      object: 'event',
      api_version: this.apiVersion,
      created: nowSeconds(),
      data: previousAttributes
        ? { object: copy(object), previous_attributes: copy(previousAttributes) }
        : { object: copy(object) },
      livemode: false,
      pending_webhooks: this.webhooks.endpoints.length,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    this.store.put(event);
    this.webhooks.dispatch(copy(event));
    return event;
  }

  /** An endpoint answered 2xx: the event has one fewer pending webhook (once per endpoint). */
  delivered(eventId: string, endpointId: string): void {
    const key = `${eventId}:${endpointId}`;
    if (this.acknowledged.has(key)) return;
    this.acknowledged.add(key);
    const event = this.store.get<StripeEvent>(eventId, 'event');
    if (event && event.pending_webhooks > 0) event.pending_webhooks--;
  }
}
