import { z } from 'zod';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

/**
 * Each schema's JSON Schema, computed once per direction. `definePack` converts every tool schema to refuse the ones
 * that cannot be listed; the SDK would convert them all again on every tools/list (once per HTTP session, too).
 * With this memo and {@link forListing}, a schema is converted once per process.
 */
const memo = new WeakMap<object, { input?: Json; output?: Json }>();

function convert(schema: unknown, io: Io): Json {
  const key = schema as object;
  const known = memo.get(key)?.[io];
  if (known) return known;
  const json = z.toJSONSchema(schema as z.ZodType, { target: 'draft-7', io }) as Json;
  memo.set(key, { ...memo.get(key), [io]: json });
  return json;
}

/** The JSON Schema a client sees for a zod schema (as the SDK lists it), or the error that stops it. */
export function listedJsonSchema(schema: unknown, io: Io): { schema: Json } | { error: string } {
  try {
    return { schema: structuredClone(convert(schema, io)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Convert now (and remember): the error message when the schema cannot be listed, else undefined. */
export function unlistableReason(schema: unknown, io: Io): string | undefined {
  try {
    convert(schema, io);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

interface Internals {
  constr?: new (def: unknown) => { _zod: { toJSONSchema?: () => unknown } };
  def?: unknown;
}

const copies = new WeakMap<object, { input?: unknown; output?: unknown }>();

/**
 * The schema to register with the SDK: a twin built from the same definition (so it parses exactly alike) whose
 * JSON Schema comes from the memo. zod's documented internal hook `_zod.toJSONSchema` supplies it; the author's
 * schema object itself is never changed. Falls back to the schema itself for anything that is not a zod v4 schema.
 */
export function forListing<T>(schema: T, io: Io): T {
  const key = schema as object;
  const known = copies.get(key)?.[io];
  if (known) return known as T;
  const internals = (schema as { _zod?: Internals } | undefined)?._zod;
  if (typeof internals?.constr !== 'function' || internals.def === undefined) return schema;
  const twin = new internals.constr(internals.def);
  // A fresh copy each time: zod finalizes (and may adjust) what the hook returns.
  twin._zod.toJSONSchema = () => structuredClone(convert(schema, io));
  copies.set(key, { ...copies.get(key), [io]: twin });
  return twin as T;
}
