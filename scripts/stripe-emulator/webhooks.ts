import { createHmac } from 'node:crypto';
import { newId, nowSeconds } from './ids.js';
import type { StripeEvent } from './types.js';

/** The `Stripe-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" keyed by the secret>`. */
export function sign(payload: string, secret: string, timestamp: number = nowSeconds()): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
}

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
  ok: boolean;
  at: number;
}

interface Delivery {
  event: StripeEvent;
  endpoint: WebhookEndpoint;
  attempt: number;
}

export type ReleaseOrder = 'forward' | 'reverse' | string[];

export interface DispatcherOptions {
  /** Delay before each retry; its length + 1 is the number of tries. */
  retryDelaysMs: number[];
  timeoutMs: number;
  onDelivered(eventId: string, endpointId: string): void;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The emulator only ever talks to this machine. */
export function loopbackUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Invalid webhook URL: ${url}`);
  }
  if (!/^https?:$/.test(parsed.protocol) || !LOOPBACK.test(parsed.hostname)) {
    throw new Error(`Webhook URL must be http(s) on a loopback address (127.0.0.1, localhost, [::1]): ${url}`);
  }
  return parsed.toString();
}

/**
 * Posts events to the endpoints, one at a time per endpoint in the order they happened, and
 * retries a failed delivery after each delay. Deliveries can be held and released in any order.
 */
export class WebhookDispatcher {
  readonly endpoints: WebhookEndpoint[] = [];
  readonly attempts: DeliveryAttempt[] = [];
  private paused = false;
  private held: Delivery[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private busy = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: DispatcherOptions) {}

  addEndpoint(url: string, secret: string): WebhookEndpoint {
    if (!secret) throw new Error('A webhook endpoint needs a signing secret');
    const endpoint = { id: newId('webhookEndpoint'), url: loopbackUrl(url), secret };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  dispatch(event: StripeEvent): void {
    for (const endpoint of this.endpoints) this.enqueue({ event, endpoint, attempt: 1 });
  }

  /** Delivers an event again (a new first try), as the dashboard's "Resend" does. */
  resend(event: StripeEvent, endpointId?: string): number {
    const targets = this.endpoints.filter((e) => !endpointId || e.id === endpointId);
    for (const endpoint of targets) this.enqueue({ event, endpoint, attempt: 1 });
    return targets.length;
  }

  pause(): void {
    this.paused = true;
  }

  /**
   * 'forward' or 'reverse' releases every held delivery in that order and stops holding new ones;
   * a list of event ids releases those, in that order, and keeps holding the rest.
   */
  release(order: ReleaseOrder = 'forward'): string[] {
    let batch: Delivery[];
    if (Array.isArray(order)) {
      batch = order.flatMap((id) => this.held.filter((d) => d.event.id === id));
      this.held = this.held.filter((d) => !order.includes(d.event.id));
    } else {
      batch = order === 'reverse' ? [...this.held].reverse() : [...this.held];
      this.held = [];
      this.paused = false;
    }
    for (const d of batch) this.schedule(d);
    return batch.map((d) => d.event.id);
  }

  status(): { paused: boolean; held: Array<{ eventId: string; type: string; endpointId: string }> } {
    return {
      paused: this.paused,
      held: this.held.map((d) => ({ eventId: d.event.id, type: d.event.type, endpointId: d.endpoint.id })),
    };
  }

  /** Resolves once nothing is being sent or waiting for a retry (held deliveries excepted). */
  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held = [];
    this.abort.abort();
    await Promise.allSettled([...this.chains.values()]);
  }

  private enqueue(d: Delivery): void {
    if (this.paused) this.held.push(d);
    else this.schedule(d);
  }

  private schedule(d: Delivery): void {
    this.busy++;
    const previous = this.chains.get(d.endpoint.id) ?? Promise.resolve();
    const next = previous.then(() => this.attempt(d)).finally(() => this.done());
    this.chains.set(d.endpoint.id, next);
  }

  private done(): void {
    this.busy--;
    if (this.busy > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async attempt(d: Delivery): Promise<void> {
    if (this.abort.signal.aborted) return;
    const payload = JSON.stringify(d.event, null, 2);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': sign(payload, d.endpoint.secret),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.timeoutMs)]),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    const ok = status !== null && status >= 200 && status < 300;
    this.attempts.push({
      eventId: d.event.id,
      eventType: d.event.type,
      endpointId: d.endpoint.id,
      url: d.endpoint.url,
      attempt: d.attempt,
      status,
      error,
      ok,
      at: Date.now(),
    });
    if (ok) this.opts.onDelivered(d.event.id, d.endpoint.id);
    else this.retryLater(d);
  }

  private retryLater(d: Delivery): void {
    const delay = this.opts.retryDelaysMs[d.attempt - 1];
    if (delay === undefined || this.abort.signal.aborted) return;
    this.busy++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue({ ...d, attempt: d.attempt + 1 });
      this.done();
    }, delay);
    this.timers.add(timer);
  }
}
