import { z } from 'zod';
import { leanJsonSchema } from './listing.js';
import { type AnyToolSchema, toolSchema } from './tool.js';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

/**
 * Each schema's JSON Schema (2020-12), computed once per direction. Planning a mount converts every tool schema to
 * refuse the ones that cannot be listed; the SDK would convert them all again for every server (one per HTTP
 * request, in the stateless 2026 era). With this memo and {@link standardSchemaFor}, a schema is converted at most
 * once per process ({@link primeListing}: not at all).
 */
const memo = new WeakMap<object, { input?: Json; output?: Json }>();

/** Each memo entry's JSON text, made on first use: {@link fresh} copies from it. */
const texts = new WeakMap<Json, string>();

/**
 * A fresh copy of a memo entry (zod finalizes, and may adjust, what the SDK's conversion returns). Parsed from the
 * entry's JSON text: several times quicker than `structuredClone`, which a tools/list of ~80 schemas feels at start.
 */
function fresh(json: Json): Json {
  let text = texts.get(json);
  if (text === undefined) {
    text = JSON.stringify(json);
    texts.set(json, text);
  }
  return JSON.parse(text) as Json;
}

function convert(schema: unknown, io: Io): Json {
  const key = schema as object;
  const known = memo.get(key)?.[io];
  if (known) return known;
  // JSON Schema 2020-12, the dialect MCP assumes when a schema names none; so none is named (`$schema` would cost
  // ~50 bytes in every listed schema and say nothing a client does not already assume).
  const { $schema: _dialect, ...json } = z.toJSONSchema(toolSchema(schema as AnyToolSchema), {
    target: 'draft-2020-12',
    io,
  }) as Json;
  const lean = leanJsonSchema(json);
  remember(schema, io, lean);
  return lean;
}

/** The JSON Schema a client sees for a zod schema (as the SDK lists it), or the error that stops it. */
export function listedJsonSchema(schema: unknown, io: Io): { schema: Json } | { error: string } {
  try {
    return { schema: fresh(convert(schema, io)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Convert now (and remember): the error message when the schema cannot be listed, else undefined. */
export function unlistableReason(schema: unknown, io: Io): string | undefined {
  try {
    const json = convert(schema, io);
    // A lazy schema shows what it is only once built; definePack checked the others.
    if (json.type !== 'object') return `an ${io} schema must be a zod object`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A Standard Schema (https://standardschema.dev) with its JSON Schema (the Standard JSON Schema interface), as the
 * v2 SDK takes a tool's schemas. It accepts every value: core checks arguments against the tool's own schema before
 * the call and every result against its output schema after it (tool-run.ts, results.ts), so the SDK checking again
 * would only repeat them; and its JSON Schema comes from the memo, so a lazy schema (a function, or `z.lazy`) is built
 * on the tool's first call, not to register or list it.
 */
export interface ListedSchema {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: 'mcp-packs';
    validate(value: unknown): { value: unknown };
    readonly jsonSchema: { input(options?: unknown): Json; output(options?: unknown): Json };
  };
}

const standards = new WeakMap<object, { input?: ListedSchema; output?: ListedSchema }>();

/** The {@link ListedSchema} of a tool schema for one direction; one object per schema and direction. */
export function standardSchemaFor(schema: unknown, io: Io): ListedSchema {
  const key = schema as object;
  const known = standards.get(key)?.[io];
  if (known) return known;
  const listed = () => fresh(convert(schema, io));
  const standard: ListedSchema = {
    '~standard': {
      version: 1,
      vendor: 'mcp-packs',
      validate: (value) => ({ value }),
      jsonSchema: { input: listed, output: listed },
    },
  };
  standards.set(key, { ...standards.get(key), [io]: standard });
  return standard;
}

/**
 * The schema to register with a v1 SDK server, which takes zod schemas only: an open zod object whose JSON Schema is
 * the memo's, through zod's public metadata (`.meta()`, merged over what zod would write). As with
 * {@link standardSchemaFor}, it accepts every value; unlike it, the JSON Schema is worked out now (v1 lists what it
 * was given at registration).
 */
export function zodSchemaFor(schema: unknown, io: Io): z.ZodType {
  const json = fresh(convert(schema, io));
  // Keys the listing lacks are set to undefined, so what zod writes for the open stand-in itself never shows.
  return z.looseObject({}).meta({ ...json, $schema: undefined, additionalProperties: json.additionalProperties });
}

/**
 * What a pack's tools list as, worked out ahead of time: for each tool key, the JSON Schema of its input and output.
 * A build step writes it beside the built pack ({@link packListing}); a server that loads the pack hands it to
 * {@link primeListing}, so starting up converts no schema at all.
 */
export interface PackListing {
  /** The pack's name, so a listing is never applied to another pack. */
  pack: string;
  tools: Record<string, { input: Json; output?: Json }>;
}

interface ListedTool {
  inputSchema: unknown;
  outputSchema?: unknown;
}

function toolsOf(pack: { tools: unknown }): [string, ListedTool][] {
  return Object.entries(pack.tools as Record<string, ListedTool>);
}

/** Convert every tool schema of a pack (throws on one that cannot be listed). For build steps. */
export function packListing(pack: { name: string; tools: unknown }): PackListing {
  const tools: PackListing['tools'] = {};
  for (const [key, tool] of toolsOf(pack)) {
    tools[key] = {
      input: fresh(convert(tool.inputSchema, 'input')),
      ...(tool.outputSchema === undefined ? {} : { output: fresh(convert(tool.outputSchema, 'output')) }),
    };
  }
  return { pack: pack.name, tools };
}

function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Use a listing made ahead of time for this pack's schemas instead of converting them. It is used only when it
 * fits the pack exactly (same name, the same tools, an output schema where and only where the pack has one);
 * returns whether it was used. Trust it only from the same build as the pack: it is not checked against the schemas.
 */
export function primeListing(pack: { name: string; tools: unknown }, listing: unknown): boolean {
  if (!isJsonObject(listing) || listing.pack !== pack.name || !isJsonObject(listing.tools)) return false;
  const listed = listing.tools;
  const tools = toolsOf(pack);
  if (Object.keys(listed).length !== tools.length) return false;
  for (const [key, tool] of tools) {
    const entry = listed[key];
    if (!isJsonObject(entry) || !isJsonObject(entry.input)) return false;
    if ((tool.outputSchema === undefined) !== (entry.output === undefined)) return false;
    if (entry.output !== undefined && !isJsonObject(entry.output)) return false;
  }
  for (const [key, tool] of tools) {
    const entry = listed[key] as { input: Json; output?: Json };
    // Leaned again: a listing built by an older core may still carry what core now leaves out.
    remember(tool.inputSchema, 'input', leanJsonSchema(entry.input));
    if (tool.outputSchema !== undefined && entry.output) {
      remember(tool.outputSchema, 'output', leanJsonSchema(entry.output));
    }
  }
  return true;
}

function remember(schema: unknown, io: Io, json: Json): void {
  const key = schema as object;
  if (memo.get(key)?.[io]) return;
  memo.set(key, { ...memo.get(key), [io]: json });
}
