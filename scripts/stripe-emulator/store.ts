import { noSuch, paramError } from './errors.js';
import { int, str, obj, type Params } from './params.js';
import type { ApiObject, ListObject } from './types.js';

/** In-memory objects by id, in creation order. Handlers mutate them; callers get copies. */
export class Store {
  private readonly byId = new Map<string, ApiObject>();
  private readonly sequence = new Map<string, number>();
  private counter = 0;

  put<T extends ApiObject>(o: T): T {
    if (!this.byId.has(o.id)) this.sequence.set(o.id, this.counter++);
    this.byId.set(o.id, o);
    return o;
  }

  get<T extends ApiObject = ApiObject>(id: string, objectName?: string): T | undefined {
    const o = this.byId.get(id);
    if (!o || (objectName && o.object !== objectName)) return undefined;
    return o as T;
  }

  /** The object, or the 404 Stripe answers: `No such payment_intent: 'pi_…'`. */
  require<T extends ApiObject>(id: string, objectName: string, param = 'id'): T {
    const o = this.get<T>(id, objectName);
    if (!o) throw noSuch(objectName, id, param);
    return o;
  }

  /** Objects of one kind, newest first (Stripe's list order). */
  all<T extends ApiObject>(objectName: string): T[] {
    const out: T[] = [];
    for (const o of this.byId.values()) if (o.object === objectName) out.push(o as T);
    return out.sort((a, b) => this.seq(b) - this.seq(a));
  }

  private seq(o: ApiObject): number {
    return this.sequence.get(o.id) ?? 0;
  }
}

export function copy<T>(o: T): T {
  return structuredClone(o);
}

/** Cursor pagination as Stripe does it: limit (1–100, default 10), starting_after, ending_before, created filters. */
export function paginate<T extends ApiObject>(items: T[], query: Params, url: string): ListObject<T> {
  const limit = int(query.limit, 'limit', { min: 1 }) ?? 10;
  if (limit > 100) throw paramError('parameter_invalid_integer', 'This value must be less than or equal to 100.', 'limit');
  let rows = filterCreated(items, query);
  const after = str(query.starting_after, 'starting_after');
  const before = str(query.ending_before, 'ending_before');
  if (after) {
    const i = rows.findIndex((o) => o.id === after);
    if (i < 0) throw noSuch('object', after, 'starting_after');
    rows = rows.slice(i + 1);
  } else if (before) {
    const i = rows.findIndex((o) => o.id === before);
    if (i < 0) throw noSuch('object', before, 'ending_before');
    rows = rows.slice(Math.max(0, i - limit), i);
    return { object: 'list', data: rows.map(copy), has_more: i - limit > 0, url };
  }
  return { object: 'list', data: rows.slice(0, limit).map(copy), has_more: rows.length > limit, url };
}


function filterCreated<T extends ApiObject>(items: T[], query: Params): T[] {
  const raw = query.created;
  if (raw === undefined) return items;
  if (typeof raw === 'string') {
    const exact = int(raw, 'created');
    return items.filter((o) => o.created === exact);
  }
  const c = obj(raw, 'created') ?? {};
  const gt = int(c.gt, 'created[gt]');
  const gte = int(c.gte, 'created[gte]');
  const lt = int(c.lt, 'created[lt]');
  const lte = int(c.lte, 'created[lte]');
  return items.filter((o) => {
    const t = o.created as number;
    return (gt === undefined || t > gt) && (gte === undefined || t >= gte) && (lt === undefined || t < lt) && (lte === undefined || t <= lte);
  });
}

/**
 * Replaces ids by the objects they name along each dotted path (`latest_charge.balance_transaction`),
 * on a copy. `data.` paths apply to every element of a list, as on Stripe.
 */
export function expand<T>(target: T, paths: string[], store: Store): T {
  const out = copy(target) as unknown;
  for (const path of paths) expandPath(out, path.split('.'), store);
  return out as T;
}

function expandPath(node: unknown, segments: string[], store: Store): void {
  if (segments.length === 0 || typeof node !== 'object' || node === null) return;
  const [head, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(node)) {
    for (const item of node) expandPath(item, segments, store);
    return;
  }
  const record = node as Record<string, unknown>;
  let value = record[head];
  if (typeof value === 'string') {
    const found = store.get(value);
    if (found) {
      value = copy(found);
      record[head] = value;
    }
  }
  expandPath(value, rest, store);
}
