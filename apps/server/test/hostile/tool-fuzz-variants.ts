/**
 * The building blocks of the fuzz families: a variant and what a correct server does with it, the verdict for a
 * string or a number in a slot, the slots of each kind, and the values the families share.
 */

import { branchFor, type Schema, type Slot, slotsOf, typesOf, withSlot } from './tool-fuzz-schemas.js';
import { Literal } from './tool-fuzz-values.js';

/**
 * `refuse`: an `isError` result or a JSON-RPC error, saying something; `handle`: any answer (a result included);
 * `valid`: an answer that is not an input refusal (the base call: what the variants change must be all that is wrong).
 */
export type Expect = 'refuse' | 'handle' | 'valid';

/** Leave `arguments` out of the request. */
export const OMIT: unique symbol = Symbol('omit arguments');

export interface Variant {
  label: string;
  args: unknown;
  expect: Expect;
  /** A refusal must name this (the argument at fault). */
  names?: string;
  /** Strings of the request a reply may echo (a path the fuzzer sent is not a leak). */
  echoes?: readonly string[];
  timeoutMs?: number;
}

/** A tool as listed, with the arguments its variants start from. */
export interface FuzzTool {
  name: string;
  inputSchema: Schema;
  base: Record<string, unknown>;
}

/** A family of variants. */
export interface Family {
  name: string;
  variants(tool: FuzzTool): Variant[];
}

/** What a correct server does with a string in a slot: refuse it when the schema rules it out, else handle it. */
export function stringVerdict(schema: Schema, value: string): Expect {
  const types = typesOf(schema);
  const form = branchFor(schema, 'string');
  if (types !== undefined && !form) return 'refuse';
  if (!form) return 'handle';
  if (Array.isArray(form.enum) && !form.enum.includes(value)) return 'refuse';
  // Code points, as JSON Schema counts them (a spread of 5 MB would cost more than the call).
  const length = value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
  if (typeof form.minLength === 'number' && length < form.minLength) return 'refuse';
  if (typeof form.maxLength === 'number' && length > form.maxLength) return 'refuse';
  if (typeof form.pattern === 'string' && !new RegExp(form.pattern, 'u').test(value)) return 'refuse';
  return 'handle';
}

/** The same for a number. */
export function numberVerdict(schema: Schema, value: number): Expect {
  const form = branchFor(schema, 'number') ?? branchFor(schema, 'integer');
  if (!form) return 'refuse';
  const types = typesOf({ ...form, anyOf: undefined, oneOf: undefined });
  const integer = types?.has('integer') && !types.has('number');
  if (!Number.isFinite(value)) return 'refuse';
  if (integer && !Number.isSafeInteger(value)) return 'refuse';
  if (typeof form.minimum === 'number' && value < form.minimum) return 'refuse';
  if (typeof form.maximum === 'number' && value > form.maximum) return 'refuse';
  if (typeof form.exclusiveMinimum === 'number' && value <= form.exclusiveMinimum) return 'refuse';
  if (typeof form.exclusiveMaximum === 'number' && value >= form.exclusiveMaximum) return 'refuse';
  return 'handle';
}

/** The value that, if it ever shows in a successful result, came from an injected key. */
export const MARK = 'mcp-packs-fuzz-polluted';

const MIB = 1024 * 1024;
/** The size of the big strings: 5 MiB. */
export const BIG_STRING_BYTES = 5 * MIB;
/** The size of the big strings where the schema bounds them. */
export const BOUNDED_BIG_STRING_BYTES = 256 * 1024;

/** Whether a string slot's schema bounds what it takes (a maxLength, an enum or a pattern). */
export function isBounded(schema: Schema): boolean {
  const form = branchFor(schema, 'string');
  return form !== undefined && (typeof form.maxLength === 'number' || Array.isArray(form.enum) || 'pattern' in form);
}

export function requiredOf(schema: Schema): string[] {
  return Array.isArray(schema.required) ? (schema.required as string[]) : [];
}

export function topSlots(tool: FuzzTool): Slot[] {
  return slotsOf(tool.inputSchema, 1);
}

export const stringSlots = (tool: FuzzTool) =>
  slotsOf(tool.inputSchema).filter((slot) => typesOf(slot.schema)?.has('string'));
export const numberSlots = (tool: FuzzTool) =>
  slotsOf(tool.inputSchema).filter((slot) => {
    const types = typesOf(slot.schema);
    return types?.has('number') || types?.has('integer');
  });
export const objectSlots = (tool: FuzzTool) =>
  slotsOf(tool.inputSchema).filter((slot) => typesOf(slot.schema)?.has('object'));

export function stringFamily(name: string, values: readonly (readonly [string, string | Literal])[]): Family {
  return {
    name,
    variants: (tool) =>
      stringSlots(tool).flatMap((slot) =>
        values.map(([label, value]) => {
          const text = value instanceof Literal ? (value.value as string) : value;
          return {
            label: `${slot.label}: ${label}`,
            args: withSlot(tool.base, slot, value),
            expect: stringVerdict(slot.schema, text),
            names: String(slot.path[0]),
            echoes: [text],
          };
        }),
      ),
  };
}

export const WRONG_TYPES: readonly (readonly [string, unknown])[] = [
  ['a string', 'fuzz'],
  ['a fraction', 12.5],
  ['an integer', 7],
  ['a boolean', true],
  ['null', null],
  ['an array', ['fuzz']],
  ['an object', { fuzz: 1 }],
];

/** Bytes that are not UTF-8 inside a JSON string: 0xFF, 0xFE, a lone continuation byte and an overlong NUL. */
export const INVALID_UTF8 = new Literal(
  Buffer.concat([Buffer.from('"fu'), Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0x80]), Buffer.from('zz"')]),
  () => Buffer.concat([Buffer.from('fu'), Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0x80]), Buffer.from('zz')]).toString(),
);

export function deepArray(depth: number): Literal {
  const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return new Literal(text, () => JSON.parse(text));
}

export function deepObject(depth: number): Literal {
  const text = `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`;
  return new Literal(text, () => JSON.parse(text));
}
