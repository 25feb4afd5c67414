/**
 * What the hostile-input suite sends and how it judges the answers: arbitraries derived from the
 * app's OpenAPI document (JSON Schema of params, query and body), a corpus of hostile values, a
 * fingerprint of every table to prove a refused request wrote nothing, and the leak detectors.
 */
import fc from 'fast-check';
import type postgres from 'postgres';
import { ERROR_CODES, isFieldErrorCode } from '@tissu/shared';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

export interface RouteSpec {
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  query: { name: string; schema: JsonSchema }[];
  body: JsonSchema | null;
  /** The fields of a multipart/form-data body (uploads), when the route takes one. */
  multipart: JsonSchema | null;
}

type OpenApiDoc = {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** The schema with every `$ref` to a named component replaced by the component itself. */
function inlined(s: unknown, named: Record<string, JsonSchema>): JsonSchema {
  const inline = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(inline);
    if (!v || typeof v !== 'object') return v;
    const { $ref, ...rest } = v as JsonSchema & Record<string, unknown>;
    const target = typeof $ref === 'string' ? named[$ref.replace('#/components/schemas/', '')] : undefined;
    const own = Object.fromEntries(Object.entries(rest).map(([k, x]) => [k, inline(x)]));
    return target ? { ...(inline(target) as object), ...own } : own;
  };
  return inline(s) as JsonSchema;
}

/** Every documented route, with the schemas of what it reads (named schemas inlined). */
export function routesOf(doc: OpenApiDoc): RouteSpec[] {
  const named = doc.components?.schemas ?? {};
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => ({
    key: `${m.toUpperCase()} ${path}`,
    method: m.toUpperCase() as RouteSpec['method'],
    path,
    pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: inlined(p.schema, named) })),
    query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: inlined(p.schema, named) })),
    body: op.requestBody ? inlined(op.requestBody.content['application/json']?.schema ?? null, named) : null,
    multipart: op.requestBody?.content['multipart/form-data'] ? inlined(op.requestBody.content['multipart/form-data'].schema, named) : null,
  })));
}

// ── hostile values ─────────────────────────────────────────────────────────────────────────
/** Text that has broken applications before: encodings, injections, formats that look right. */
export const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d', '\u202eevil\u202c', 'مرحبا بالعالم', 'שלום', 'a\u200bb\u200c\u200d', '\ufeff',
  '👩🏽‍💻🇨🇦', '𝕋𝕚𝕤𝕤𝕦', 'e\u0301\u0301\u0301', 'Ω≈ç√∫', '\r\n\t\v\f', '\u2028\u2029', '\u001b[31mred',
  "'; DROP TABLE users; --", "' OR '1'='1", '" OR ""="', '1; SELECT pg_sleep(10); --', "admin'--", '%', '_', '\\', "\\'", 'NULL',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{7*7}}', '${7*7}', '#{7*7}',
  '__proto__', 'constructor', 'prototype', 'toString', 'undefined', 'NaN', 'Infinity', '-1', '1e309', '0x1F', '١٢٣',
  '0000-00-00', '2026-02-30', '2026-13-01T25:61:61Z', '+275760-09-13T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '6f1c3e52-1c8b-4c2e-9a7e-2f9d1b1a0c3d', 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA',
  'a@b', 'x@example.org\r\nBcc: victim@example.org', 'élodie@exemple.québec',
];

/** Long strings: at, around and far beyond the schemas' limits (still under the body limit). */
export const LONG_STRINGS = [201, 1_001, 5_001, 20_001, 100_000].map((n) => 'é'.repeat(n));

export const HOSTILE_NUMBERS = [0, -0, -1, 1, 0.5, -0.000001, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e308, -1e308, 5e-324];

const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Random text mixing every kind of character, lone surrogates included. */
export const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), lone), maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom(...LONG_STRINGS) },
);

/** Any JSON value, a hostile one, or a wrong-typed one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyText },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...HOSTILE_NUMBERS, null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

// ── from JSON Schema ───────────────────────────────────────────────────────────────────────
const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
const formats: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  'date-time': isoDate.map((d) => d.toISOString()),
  date: isoDate.map((d) => d.toISOString().slice(0, 10)),
  email: fc.emailAddress(),
  uri: fc.webUrl(),
};

/** A value of the schema's shape (not always valid: patterns and cross-field rules are not followed). */
export function shaped(s: JsonSchema, ids: (name: string) => fc.Arbitrary<string> | null, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (s.anyOf ?? s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf)!.map((x) => shaped(x, ids, name, depth)));
  if (s.enum) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object': {
      if (depth > 4) return fc.constant({});
      const req = new Set(s.required ?? []);
      const props = Object.entries(s.properties ?? {});
      const model = Object.fromEntries(props.map(([k, v]) => [k, shaped(v, ids, k, depth + 1)]));
      return fc.record(model, { requiredKeys: props.map(([k]) => k).filter((k) => req.has(k)) });
    }
    case 'array':
      return fc.array(s.items ? shaped(s.items, ids, name, depth + 1) : fc.jsonValue({ maxDepth: 1 }), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6), -(2 ** 31)), max: Math.min(s.maximum ?? 1e6, 2 ** 31) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const real = s.format === 'uuid' ? ids(name) : null;
      if (real) return fc.oneof({ weight: 3, arbitrary: real }, { weight: 1, arbitrary: fc.uuid() });
      if (s.format && formats[s.format]) return formats[s.format]!;
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 60) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** The schema's shape with some fields replaced by hostile values, some dropped, and strangers added. */
export function mutated(s: JsonSchema, ids: (name: string) => fc.Arbitrary<string> | null, depth = 0): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (type !== 'object' || !s.properties || depth > 3) {
    return fc.oneof({ weight: 2, arbitrary: shaped(s, ids, '', depth) }, { weight: 1, arbitrary: hostileValue });
  }
  const props = Object.entries(s.properties);
  const model = Object.fromEntries(props.map(([k, v]) => [k, fc.oneof(
    { weight: 4, arbitrary: shaped(v, ids, k, depth + 1) },
    { weight: 2, arbitrary: hostileValue },
    { weight: 1, arbitrary: mutated(v, ids, depth + 1) },
  )]));
  const extra = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'isSteward', 'id', 'coopId', 'state', 'role', 'x'), hostileValue, { maxKeys: 2 });
  return fc.tuple(fc.record(model, { requiredKeys: [] }), extra).map(([a, b]) => ({ ...b, ...a }));
}

// ── what must never happen ─────────────────────────────────────────────────────────────────
const STACK = [/\n\s+at\s/, /\bat\s+\S+\s+\((?:file:|node:|\/)/, /\.(?:ts|js|mjs|cjs):\d+(?::\d+)?/, /node:internal/];
const PATHS = [/\/work\/\S/, /\/home\/\S/, /node_modules/, /[A-Za-z]:\\\\/];
const SQL = [
  /\b(?:select|insert|update|delete)\b[\s\S]{1,120}\b(?:from|into|set|where)\b/i, /syntax error at/i, /violates [a-z ]*constraint/i,
  /relation "/i, /column "/i, /duplicate key/i, /SQLSTATE/i, /postgres/i, /drizzle/i, /\bpg_[a-z_]+/,
];

/**
 * Stack traces, file paths and SQL in an answer. A match the request itself carried is an echo of the
 * caller's own input (a stored title, a query), not a leak.
 */
export function leaksIn(body: string, sent: string, error: boolean): string[] {
  const patterns = error ? [...STACK, ...PATHS, ...SQL] : [...STACK, ...PATHS];
  const found: string[] = [];
  for (const p of patterns) {
    const m = p.exec(body);
    if (m && !sent.includes(m[0])) found.push(`${p} → ${JSON.stringify(m[0]).slice(0, 80)}`);
  }
  return found;
}

/**
 * The error body every 4xx/5xx answer has: {error: {code, message, fields?}} and nothing else; the
 * code from the catalogue (shared/errors.ts), each field error a catalogued code with its English.
 */
export function errorShapeProblem(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 120)}`;
  }
  const b = body as { error?: { code?: unknown; message?: unknown; fields?: unknown } };
  if (!b || typeof b !== 'object' || Object.keys(b).join() !== 'error' || !b.error || typeof b.error !== 'object') return `not {error}: ${text.slice(0, 120)}`;
  const extra = Object.keys(b.error).filter((k) => !['code', 'message', 'fields'].includes(k));
  if (extra.length) return `unexpected keys ${extra.join()}`;
  if (typeof b.error.code !== 'string' || typeof b.error.message !== 'string') return `code/message not strings: ${text.slice(0, 120)}`;
  if (!(ERROR_CODES as readonly string[]).includes(b.error.code)) return `code not in the catalogue: ${b.error.code}`;
  if (b.error.fields !== undefined) {
    const f = b.error.fields as Record<string, unknown>;
    const fieldError = (e: unknown) => typeof e === 'object' && e !== null && isFieldErrorCode((e as { code?: unknown }).code) && typeof (e as { message?: unknown }).message === 'string';
    if (typeof f !== 'object' || f === null || Object.values(f).some((v) => !Array.isArray(v) || !v.every(fieldError))) return `fields not {name: [{code, message}]}: ${text.slice(0, 120)}`;
  }
  return null;
}

// ── nothing written ────────────────────────────────────────────────────────────────────────
/**
 * A fingerprint of every table's contents (row count and a hash of every row), to compare before
 * and after a refused request: an insert, update or delete that was committed changes it.
 */
export async function tableFingerprinter(sql: postgres.Sql) {
  const tables = (await sql`SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)
    .map((r) => `"${r.schemaname}"."${r.tablename}"`);
  const query = tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n, coalesce(sum(hashtext(x::text)::bigint), 0)::text AS h FROM ${t} x`).join(' UNION ALL ');
  return {
    tables: tables.length,
    async take(): Promise<Map<string, string>> {
      const rows = await sql.unsafe(query);
      return new Map(rows.map((r) => [r.t as string, `${r.n}:${r.h}`]));
    },
  };
}

export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((t) => before.get(t) !== after.get(t));
}

/** Percent-encodes text as UTF-8 the way a browser would, lone surrogates included (as U+FFFD). */
export function encodePart(s: string): string {
  return [...new TextEncoder().encode(s)].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}
