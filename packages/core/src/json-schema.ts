import { z } from 'zod';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

/**
 * Each schema's JSON Schema, computed once per direction. Planning a mount converts every tool schema to refuse the
 * ones that cannot be listed; the SDK would convert them all again on every tools/list (once per HTTP session, too).
 * With this memo and {@link forListing}, a schema is converted at most once per process ({@link primeListing}: not
 * at all).
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
  const json = z.toJSONSchema(schema as z.ZodType, { target: 'draft-7', io }) as Json;
  remember(schema, io, json);
  return json;
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

const copies = new WeakMap<object, { input?: unknown; output?: unknown }>();

/**
 * The schema to register with the SDK: an open object schema whose JSON Schema comes from the memo, through zod's
 * documented internal hook `_zod.toJSONSchema`; the author's schema object itself is never changed. The SDK's own
 * checks with it let everything through: core checks the arguments against the tool's input schema before the call
 * and every result against its output schema after it (mount.ts, results.ts), so checking again would only repeat
 * them, and a lazy schema (`z.lazy`) is built on the tool's first call, not to register it.
 * Falls back to the schema itself for anything that is not a zod v4 schema.
 */
export function forListing<T>(schema: T, io: Io): T {
  const key = schema as object;
  const known = copies.get(key)?.[io];
  if (known) return known as T;
  if ((schema as { _zod?: { def?: unknown } } | undefined)?._zod?.def === undefined) return schema;
  const open = z.looseObject({}) as unknown as { _zod: { toJSONSchema?: () => unknown } };
  open._zod.toJSONSchema = () => fresh(convert(schema, io));
  copies.set(key, { ...copies.get(key), [io]: open });
  return open as T;
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
    remember(tool.inputSchema, 'input', entry.input);
    if (tool.outputSchema !== undefined && entry.output) remember(tool.outputSchema, 'output', entry.output);
  }
  return true;
}

function remember(schema: unknown, io: Io, json: Json): void {
  const key = schema as object;
  if (memo.get(key)?.[io]) return;
  memo.set(key, { ...memo.get(key), [io]: json });
}
