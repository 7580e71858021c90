/**
 * What a tool definition costs in `tools/list`, and how core keeps it lean for every pack, ours or a third party's:
 * the listing is read by the model on every conversation, so bytes that say nothing are left out.
 *
 * - Output schemas can be left out of the listing ({@link ListingOptions.outputSchemas}); results still carry
 *   `structuredContent` and are still checked against the tool's own schema (MCP allows structured content from a
 *   tool that declares no output schema; one that declares it must conform).
 * - Annotations drop what the spec says means nothing: `destructiveHint` and `idempotentHint` on a read-only tool
 *   ("meaningful only when readOnlyHint == false"), and an `annotations.title` equal to the tool's `title`.
 * - JSON Schemas drop zod's integer bounds that only restate JavaScript's safe-integer range.
 */
import type { ToolAnnotations } from './tool.js';

/** How a mount lists its tools. */
export interface ListingOptions {
  /**
   * List each tool's `outputSchema` (default `true`). `false` leaves them out of `tools/list`, about two fifths of
   * our packs' listing: results keep their `structuredContent` (and its JSON as text), still checked against the
   * tool's schema, but clients no longer see (or check against) the schema. The `mcp-packs` server lists none by
   * default.
   */
  outputSchemas?: boolean;
}

/** The annotations as listed: without the keys that mean nothing for this tool (see the module comment). */
export function listedAnnotations(annotations: ToolAnnotations, title: string | undefined): ToolAnnotations {
  const listed: Record<string, unknown> = { ...annotations };
  if (listed.title !== undefined && listed.title === title) delete listed.title;
  if (listed.readOnlyHint === true) {
    delete listed.destructiveHint;
    delete listed.idempotentHint;
  }
  return listed as ToolAnnotations;
}

const SAFE = Number.MAX_SAFE_INTEGER;
/** Keys whose values are data, not schemas: never walked into. */
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples']);

/**
 * A JSON Schema without the bounds zod writes for every `z.int()` (`minimum: -(2^53 - 1)`, `maximum: 2^53 - 1`),
 * which say only "a safe integer": `type: "integer"` says enough to a model. Other bounds stay. Returns a new
 * object; the input is not changed.
 */
export function leanJsonSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((item) => leanJsonSchema(item)) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  const lean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((key === 'minimum' && value === -SAFE) || (key === 'maximum' && value === SAFE)) continue;
    lean[key] = DATA_KEYS.has(key) ? value : leanJsonSchema(value);
  }
  return lean as T;
}
