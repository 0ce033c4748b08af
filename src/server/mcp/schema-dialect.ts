import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

type Json = Record<string, unknown>;

/**
 * JSON Schema as strict validators read it: zod writes a nullable value as a type array
 * (`"type": ["string", "null"]`), which strict checkers (Ajv's strict mode, which the MCP
 * Inspector's `--strict` uses) warn about as a union type. The same meaning as `anyOf` of
 * single types: `{ "anyOf": [{ "type": "string", …its keywords }, { "type": "null" }] }`.
 * Returns a new schema; the input is not changed.
 */
export function withoutTypeArrays<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s) => withoutTypeArrays(s)) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    // `properties` maps names to schemas; `required`, `enum` and the like hold plain values.
    out[k] = k === 'properties' || k === '$defs' || k === 'definitions' ? mapValues(v) : SCHEMA_KEYS.has(k) ? withoutTypeArrays(v) : v;
  }
  const type = out.type;
  if (!Array.isArray(type)) return out as T;
  const { type: _type, description, title, default: dflt, ...keywords } = out;
  const branches = (type as string[]).map((t) => (t === 'null' ? { type: 'null' } : { type: t, ...onlyFor(t, keywords) }));
  return { ...(description !== undefined ? { description } : {}), ...(title !== undefined ? { title } : {}), ...(dflt !== undefined ? { default: dflt } : {}), anyOf: branches } as T;
}

/** The keywords whose values are schemas (or lists of them), where type arrays can hide. */
const SCHEMA_KEYS = new Set(['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not', 'prefixItems', 'contains', 'propertyNames', 'if', 'then', 'else']);

function mapValues(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v as Json).map(([k, s]) => [k, withoutTypeArrays(s)]));
}

const FOR_TYPE: Record<string, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'format', 'enum', 'const'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'enum', 'const'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'enum', 'const'],
  boolean: ['enum', 'const'],
  array: ['items', 'minItems', 'maxItems', 'uniqueItems', 'prefixItems', 'contains'],
  object: ['properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties'],
};

/** The keywords that apply to one of the types (a string's maxLength goes with the string branch). */
function onlyFor(type: string, keywords: Json): Json {
  const keep = FOR_TYPE[type] ?? [];
  return Object.fromEntries(Object.entries(keywords).filter(([k]) => keep.includes(k)));
}

/**
 * tools/list answers with the schemas rewritten. The SDK builds that answer itself, so its
 * handler is wrapped where the protocol keeps it (checked by a test that reads tools/list
 * with a strict validator: an SDK that moves it fails that test rather than going quiet).
 */
export function strictDialect(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, (req: unknown, extra: unknown) => Promise<unknown>> })._requestHandlers;
  const list = handlers?.get('tools/list');
  if (!handlers || !list) return;
  handlers.set('tools/list', async (req, extra) => {
    const answer = (await list(req, extra)) as { tools: Json[] };
    return { ...answer, tools: answer.tools.map((t) => ({ ...t, inputSchema: withoutTypeArrays(t.inputSchema), ...(t.outputSchema ? { outputSchema: withoutTypeArrays(t.outputSchema) } : {}) })) };
  });
}
