/**
 * fastify-type-provider-zod lists every named schema twice, as an answer (`Booking`) and as a
 * request body (`BookingInput`). Only the forms some route uses are kept: the others would be
 * types nobody sends or receives. Each also carries the `$schema` and `$id` of a standalone JSON
 * Schema document, which a component inside an OpenAPI document does not need.
 */
type Document = { paths?: unknown; components?: { schemas?: Record<string, unknown> } };

const PREFIX = '#/components/schemas/';

function refsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith(PREFIX)) found.add(inner.slice(PREFIX.length));
      else refsIn(inner, found);
    }
  }
}

export function tidyComponents<D extends Document>(doc: D): D {
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const used = new Set<string>();
  refsIn(doc.paths, used);
  // What a used schema refers to is used too, until nothing new turns up.
  for (let pending = [...used]; pending.length > 0; ) {
    const next = new Set<string>();
    for (const name of pending) refsIn(schemas[name], next);
    pending = [...next].filter((name) => !used.has(name));
    for (const name of pending) used.add(name);
  }
  const kept = Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => used.has(name))
      .map(([name, schema]) => {
        const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
        return [name, rest];
      }),
  );
  return { ...doc, components: { ...doc.components, schemas: kept } };
}
