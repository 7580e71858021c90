/**
 * What a tool definition costs in `tools/list`, and how core keeps it lean for every pack, ours or a third party's:
 * the listing is read by the model on every conversation, so bytes that say nothing are left out.
 *
 * - Output schemas can be left out of the listing ({@link ListingOptions.outputSchemas}); results still carry
 *   `structuredContent` and are still checked against the tool's own schema (MCP allows structured content from a
 *   tool that declares no output schema; one that declares it must conform).
 * - Annotations drop what the spec says means nothing: `destructiveHint` and `idempotentHint` on a read-only tool
 *   ("meaningful only when readOnlyHint == false"), a hint equal to the spec's default for it (`readOnlyHint: false`,
 *   `destructiveHint: true`, `idempotentHint: false`, `openWorldHint: true`: a client reads the same from its
 *   absence), and an `annotations.title` equal to the tool's `title`.
 * - JSON Schemas drop what only restates a model's assumptions: zod's safe-integer bounds, "not empty"
 *   (`minLength`/`minItems` 1), and `default: false` on a boolean or `default: []` on an array.
 */
import type { ToolAnnotations } from './tool.js';

/** How a mount lists its tools. */
export interface ListingOptions {
  /**
   * List each tool's `outputSchema` (default `true`). `false` leaves them out of `tools/list` (more than half of
   * our packs' lean listing): results keep their `structuredContent` (and its JSON as text), still checked against the
   * tool's schema, but clients no longer see (or check against) the schema. The `mcp-packs` server lists none by
   * default.
   */
  outputSchemas?: boolean;
}

/** What the spec says each hint is when a tool leaves it out. */
const HINT_DEFAULTS = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
} as const;

/** The annotations as listed: without the keys that mean nothing for this tool (see the module comment). */
export function listedAnnotations(annotations: ToolAnnotations, title: string | undefined): ToolAnnotations {
  const listed: Record<string, unknown> = { ...annotations };
  if (listed.title !== undefined && listed.title === title) delete listed.title;
  if (listed.readOnlyHint === true) {
    delete listed.destructiveHint;
    delete listed.idempotentHint;
  }
  for (const [hint, fallback] of Object.entries(HINT_DEFAULTS)) {
    if (listed[hint] === fallback) delete listed[hint];
  }
  return listed as ToolAnnotations;
}

const SAFE = Number.MAX_SAFE_INTEGER;
/** Keys whose values are data, not schemas: never walked into. */
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples']);

/** Whether `key: value` in `schema` only restates what a model assumes anyway (see {@link leanJsonSchema}). */
function restates(schema: Record<string, unknown>, key: string, value: unknown): boolean {
  if ((key === 'minimum' && value === -SAFE) || (key === 'maximum' && value === SAFE)) return true;
  if ((key === 'minLength' || key === 'minItems') && value === 1) return true;
  if (key !== 'default') return false;
  return (
    (schema.type === 'boolean' && value === false) ||
    (schema.type === 'array' && Array.isArray(value) && value.length === 0)
  );
}

/**
 * A JSON Schema without what only restates what a model assumes: the bounds zod writes for every `z.int()`
 * (`minimum: -(2^53 - 1)`, `maximum: 2^53 - 1`, "a safe integer": `type: "integer"` says enough), `minLength: 1`
 * and `minItems: 1` ("not empty"), and a default of `false` for a boolean or `[]` for an array (what leaving the
 * field out means). Input is still validated against the full schema, so nothing is accepted that was refused
 * before; other bounds and defaults stay. Returns a new object; the input is not changed.
 */
export function leanJsonSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((item) => leanJsonSchema(item)) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  const lean: Record<string, unknown> = {};
  const source = schema as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (restates(source, key, value)) continue;
    lean[key] = DATA_KEYS.has(key) ? value : leanJsonSchema(value);
  }
  return lean as T;
}
