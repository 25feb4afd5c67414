import { missingParam, paramError } from './errors.js';

/** A form-encoded request body or query string as qs parses Stripe's bracket notation. */
export type Params = Record<string, unknown>;

interface Opts {
  required?: boolean;
}

function isObject(v: unknown): v is Params {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asParams(v: unknown): Params {
  return isObject(v) ? v : {};
}

/** Stripe refuses parameters it does not know: a typo in Tissu's code must fail loudly here too. */
export function allowOnly(p: Params, allowed: readonly string[], prefix?: string): void {
  for (const key of Object.keys(p)) {
    if (key === 'expand' || allowed.includes(key)) continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    throw paramError('parameter_unknown', `Received unknown parameter: ${name}`, name);
  }
}

export function str(v: unknown, name: string, opts: Opts & { oneOf?: readonly string[] } = {}): string | undefined {
  if (v === undefined || v === '') {
    if (opts.required) throw missingParam(name);
    return undefined;
  }
  if (typeof v !== 'string') throw paramError('parameter_invalid_string', `Invalid string: ${name}`, name);
  if (opts.oneOf && !opts.oneOf.includes(v)) {
    throw paramError(
      'parameter_invalid_string',
      `Invalid ${name}: must be one of ${opts.oneOf.join(', ')}`,
      name,
    );
  }
  return v;
}

export function requiredStr(v: unknown, name: string, opts: { oneOf?: readonly string[] } = {}): string {
  return str(v, name, { ...opts, required: true }) as string;
}

export function int(v: unknown, name: string, opts: Opts & { min?: number } = {}): number | undefined {
  if (v === undefined || v === '') {
    if (opts.required) throw missingParam(name);
    return undefined;
  }
  if (typeof v !== 'string' || !/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw paramError('parameter_invalid_integer', `Invalid integer: ${String(v)}`, name);
  }
  const n = Number(v);
  if (opts.min !== undefined && n < opts.min) {
    throw paramError(
      'parameter_invalid_integer',
      `This value must be greater than or equal to ${opts.min}.`,
      name,
    );
  }
  return n;
}

export function requiredInt(v: unknown, name: string, opts: { min?: number } = {}): number {
  return int(v, name, { ...opts, required: true }) as number;
}

export function bool(v: unknown, name: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw paramError('parameter_invalid_boolean', `Invalid boolean: ${String(v)}`, name);
}

export function obj(v: unknown, name: string, opts: Opts = {}): Params | undefined {
  if (v === undefined || v === '') {
    if (opts.required) throw missingParam(name);
    return undefined;
  }
  if (!isObject(v)) throw paramError('parameter_invalid_object', `Invalid object: ${name}`, name);
  return v;
}

/** An array sent as `name[0]=…&name[1]=…`; qs yields an array (or an object past its index limit). */
export function list(v: unknown, name: string, opts: Opts = {}): unknown[] | undefined {
  if (v === undefined || v === '') {
    if (opts.required) throw missingParam(name);
    return undefined;
  }
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.keys(v).sort((a, b) => Number(a) - Number(b)).map((k) => v[k]);
  throw paramError('parameter_invalid_array', `Invalid array: ${name}`, name);
}

/** Stripe's limits: 50 keys, keys up to 40 characters, values up to 500. */
export function metadata(v: unknown, name = 'metadata'): Record<string, string> {
  const m = obj(v, name) ?? {};
  const out: Record<string, string> = {};
  const keys = Object.keys(m);
  if (keys.length > 50) throw paramError('parameter_invalid_object', 'Metadata can have at most 50 keys.', name);
  for (const key of keys) {
    const value = m[key];
    const param = `${name}[${key}]`;
    if (typeof value !== 'string') throw paramError('parameter_invalid_string', `Invalid string: ${param}`, param);
    if (key.length > 40) throw paramError('parameter_invalid_string', 'Metadata keys can be at most 40 characters.', param);
    if (value.length > 500) throw paramError('parameter_invalid_string', 'Metadata values can be at most 500 characters.', param);
    if (value !== '') out[key] = value;
  }
  return out;
}

export function expandPaths(p: Params): string[] {
  const e = list(p.expand, 'expand') ?? [];
  return e.filter((x): x is string => typeof x === 'string');
}
