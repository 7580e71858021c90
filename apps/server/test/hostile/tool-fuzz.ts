/**
 * Argument fuzzing of MCP tools, from their listed input schemas (JSON Schema 2020-12, as `tools/list` shows them).
 *
 * For one tool and one valid set of arguments (its "base"), each family below makes variants that change one thing:
 * a required argument left out, a value of the wrong type, a 5 MB string, NUL and control characters, bidi and
 * zero-width text, lone surrogates and bytes that are not UTF-8, `__proto__` / `constructor` / `prototype` keys (own
 * keys, as JSON.parse makes them: the fuzzer writes the JSON text itself), extreme numbers (written as literals: `-0`,
 * `9007199254740993`, `1e400`), very deep nesting, unknown extra properties. JSON has no NaN or Infinity literal, so
 * neither can be sent as such; but `1e400` is valid JSON that `JSON.parse` makes Infinity of, so a server does meet
 * Infinity (and -Infinity), and NaN is sent in process only, where no JSON is involved.
 * Each variant says what a correct server does with it: refuse it (an `isError` result or a JSON-RPC error that names
 * the argument), or handle it (any answer but a crash, a hang, a closed connection or an internal error).
 *
 * Requests go through a {@link FuzzTarget}: the real server as a child process over stdio (the JSON text written to
 * its stdin as is), or the composed server in process over the SDK's in-memory transport (the same values, built
 * from the same text, so own `__proto__` keys arrive as such).
 */
import type { Answer, HostileCase, SuiteContext } from './harness.js';
import { leaks, toolAnswer } from './harness.js';

// ---------------------------------------------------------------------------------------------------------------
// Values as sent

/**
 * A value written as exact JSON text, for what `JSON.stringify` cannot write: `-0`, `1e400`, integers past 2^53,
 * bytes that are not UTF-8, nesting too deep to stringify. `value` is what a JavaScript server parses it into; a
 * literal without `text` (NaN) can only be sent in process.
 */
export class Literal {
  readonly text: string | Buffer | undefined;
  readonly #value: () => unknown;
  #parsed: { value: unknown } | undefined;
  constructor(text: string | Buffer | undefined, value: () => unknown) {
    this.text = text;
    this.#value = value;
  }
  get value(): unknown {
    this.#parsed ??= { value: this.#value() };
    return this.#parsed.value;
  }
}

/** A literal whose value is what `JSON.parse` makes of its text. */
export function literal(text: string): Literal {
  return new Literal(text, () => JSON.parse(text));
}

/** An object whose keys are all own properties, `__proto__` included (as `JSON.parse` makes them). */
export function own(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** Thrown by {@link encode} for a value JSON cannot carry (NaN): such a variant runs in process only. */
export class Unsendable extends Error {}

/** The JSON text of a fuzz value, own keys as they are, literals as written. */
export function encode(value: unknown): Buffer {
  const parts: (string | Buffer)[] = [];
  encodeInto(value, parts);
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

function encodeInto(value: unknown, parts: (string | Buffer)[]): void {
  if (value instanceof Literal) {
    if (value.text === undefined) throw new Unsendable('not expressible in JSON');
    parts.push(value.text);
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    value.forEach((item, index) => {
      if (index > 0) parts.push(',');
      encodeInto(item, parts);
    });
    parts.push(']');
    return;
  }
  if (typeof value === 'object' && value !== null) {
    parts.push('{');
    let first = true;
    for (const key of Object.keys(value)) {
      if (!first) parts.push(',');
      first = false;
      parts.push(JSON.stringify(key), ':');
      encodeInto((value as Record<string, unknown>)[key], parts);
    }
    parts.push('}');
    return;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Unsendable(`${value} is not JSON`);
  if (typeof value === 'number' && Object.is(value, -0)) {
    parts.push('-0');
    return;
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new Unsendable(`${typeof value} is not JSON`);
  parts.push(text);
}

/** The value a server parses a fuzz value into (literals resolved, own keys kept). */
export function decode(value: unknown): unknown {
  if (value instanceof Literal) return value.value;
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value === 'object' && value !== null) {
    return own(Object.keys(value).map((key) => [key, decode((value as Record<string, unknown>)[key])]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas

type Schema = Record<string, unknown>;
type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function branches(schema: Schema): Schema[] {
  return [...((schema.anyOf as unknown[]) ?? []), ...((schema.oneOf as unknown[]) ?? [])].filter(isSchema);
}

/** The JSON types a schema accepts; `undefined` when it says nothing (anything goes). */
export function typesOf(schema: unknown): Set<JsonType> | undefined {
  if (!isSchema(schema)) return undefined;
  const types = new Set<JsonType>();
  const add = (type: unknown) => {
    if (typeof type === 'string') types.add(type as JsonType);
  };
  if (Array.isArray(schema.type)) schema.type.forEach(add);
  else add(schema.type);
  for (const branch of branches(schema)) {
    const inner = typesOf(branch);
    if (inner === undefined) return undefined;
    for (const type of inner) types.add(type);
  }
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  for (const item of values) {
    types.add(item === null ? 'null' : Array.isArray(item) ? 'array' : (typeof item as JsonType));
  }
  return types.size === 0 ? undefined : types;
}

function accepts(types: Set<JsonType> | undefined, value: unknown): boolean {
  if (types === undefined) return true;
  if (value === null) return types.has('null');
  if (Array.isArray(value)) return types.has('array');
  if (typeof value === 'number') return types.has('number') || (types.has('integer') && Number.isInteger(value));
  return types.has(typeof value as JsonType);
}

/** The branch of a schema (itself, or one of its anyOf/oneOf) that takes this type. */
function branchFor(schema: Schema, type: JsonType): Schema | undefined {
  const own = typesOf({ ...schema, anyOf: undefined, oneOf: undefined });
  if (own?.has(type) || (type === 'number' && own?.has('integer'))) return schema;
  for (const branch of branches(schema)) {
    const found = branchFor(branch, type);
    if (found) return found;
  }
  return undefined;
}

/** A small valid value for a schema (its default, its first enum value, else the smallest thing of its type). */
export function sampleOf(schema: unknown, prefer?: JsonType): unknown {
  if (!isSchema(schema)) return 'x';
  if (prefer) {
    const branch = branchFor(schema, prefer);
    if (branch && branch !== schema) return sampleOf(branch, prefer);
  }
  if ('default' in schema && (prefer === undefined || accepts(new Set([prefer]), schema.default))) {
    return structuredClone(schema.default);
  }
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const alternatives = branches(schema);
  const first = alternatives[0];
  const type = prefer ?? (Array.isArray(schema.type) ? schema.type[0] : schema.type);
  if (type === undefined && first) return sampleOf(first);
  switch (type) {
    case 'string':
      return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
    case 'integer':
    case 'number': {
      const minimum = typeof schema.minimum === 'number' ? schema.minimum : 1;
      const maximum = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
      return Math.min(Math.max(minimum, 1), maximum);
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const count = Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: count }, () => sampleOf(schema.items));
    }
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return Object.fromEntries(required.map((key) => [key, sampleOf(properties[key])]));
    }
    default:
      return 'x';
  }
}

/** A place in the arguments where a value goes: its path, its schema, and the schemas of the containers on the way. */
export interface Slot {
  path: readonly (string | number)[];
  schema: Schema;
  /** `containers[i]`: the schema of the value at `path.slice(0, i + 1)` (to make it when the base lacks it). */
  containers: readonly Schema[];
  label: string;
}

function labelOf(path: readonly (string | number)[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

/** Every slot of an input schema, to `depth` levels (properties, array items, record values, through anyOf). */
export function slotsOf(inputSchema: unknown, depth = 3): Slot[] {
  const found = new Map<string, Slot>();
  const walk = (schema: Schema, path: (string | number)[], containers: Schema[], left: number) => {
    const label = labelOf(path);
    if (!found.has(label)) found.set(label, { path, schema, containers, label });
    if (left === 0) return;
    const forms = [schema, ...branches(schema)];
    for (const form of forms) {
      if (isSchema(form.items)) walk(form.items, [...path, 0], [...containers, form], left - 1);
      if (isSchema(form.properties)) {
        for (const [key, property] of Object.entries(form.properties)) {
          if (isSchema(property)) walk(property, [...path, key], [...containers, form], left - 1);
        }
      }
      if (isSchema(form.additionalProperties)) {
        walk(form.additionalProperties, [...path, 'k'], [...containers, form], left - 1);
      }
    }
  };
  const properties = isSchema(inputSchema) && isSchema(inputSchema.properties) ? inputSchema.properties : {};
  for (const [key, property] of Object.entries(properties)) {
    if (isSchema(property)) walk(property, [key], [], depth - 1);
  }
  return [...found.values()];
}

/** `base` with the value at `slot.path` replaced (containers copied; missing ones made from their schema). */
export function withSlot(base: Record<string, unknown>, slot: Slot, value: unknown): Record<string, unknown> {
  const copy = (container: unknown): Record<string, unknown> | unknown[] =>
    Array.isArray(container) ? [...container] : own(Object.entries(container as Record<string, unknown>));
  const root = copy(base) as Record<string, unknown>;
  let parent: Record<string, unknown> | unknown[] = root;
  slot.path.forEach((segment, i) => {
    const last = i === slot.path.length - 1;
    if (last) {
      (parent as Record<string | number, unknown>)[segment] = value;
      return;
    }
    const next = slot.path[i + 1];
    const wanted: JsonType = typeof next === 'number' ? 'array' : 'object';
    const existing = (parent as Record<string | number, unknown>)[segment];
    const fits = wanted === 'array' ? Array.isArray(existing) : isSchema(existing);
    const schema = slot.containers[i] ?? {};
    const child = copy(fits ? existing : (sampleOf(schema, wanted) ?? (wanted === 'array' ? [] : {})));
    (parent as Record<string | number, unknown>)[segment] = child;
    parent = child;
  });
  return root;
}

function without(base: Record<string, unknown>, key: string): Record<string, unknown> {
  return own(Object.entries(base).filter(([name]) => name !== key));
}

/** What a correct server does with a string in a slot: refuse it when the schema rules it out, else handle it. */
function stringVerdict(schema: Schema, value: string): Expect {
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
function numberVerdict(schema: Schema, value: number): Expect {
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

// ---------------------------------------------------------------------------------------------------------------
// Variants and families

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

/** The value that, if it ever shows in a successful result, came from an injected key. */
export const MARK = 'mcp-packs-fuzz-polluted';

const MIB = 1024 * 1024;
/** The size of the big strings: 5 MiB. */
export const BIG_STRING_BYTES = 5 * MIB;
/** The size of the big strings where the schema bounds them. */
export const BOUNDED_BIG_STRING_BYTES = 256 * 1024;

/** Whether a string slot's schema bounds what it takes (a maxLength, an enum or a pattern). */
function isBounded(schema: Schema): boolean {
  const form = branchFor(schema, 'string');
  return form !== undefined && (typeof form.maxLength === 'number' || Array.isArray(form.enum) || 'pattern' in form);
}

function requiredOf(schema: Schema): string[] {
  return Array.isArray(schema.required) ? (schema.required as string[]) : [];
}

function topSlots(tool: FuzzTool): Slot[] {
  return slotsOf(tool.inputSchema, 1);
}

const stringSlots = (tool: FuzzTool) => slotsOf(tool.inputSchema).filter((slot) => typesOf(slot.schema)?.has('string'));
const numberSlots = (tool: FuzzTool) =>
  slotsOf(tool.inputSchema).filter((slot) => {
    const types = typesOf(slot.schema);
    return types?.has('number') || types?.has('integer');
  });
const objectSlots = (tool: FuzzTool) => slotsOf(tool.inputSchema).filter((slot) => typesOf(slot.schema)?.has('object'));

function stringFamily(name: string, values: readonly (readonly [string, string | Literal])[]): Family {
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

const WRONG_TYPES: readonly (readonly [string, unknown])[] = [
  ['a string', 'fuzz'],
  ['a fraction', 12.5],
  ['an integer', 7],
  ['a boolean', true],
  ['null', null],
  ['an array', ['fuzz']],
  ['an object', { fuzz: 1 }],
];

/** Bytes that are not UTF-8 inside a JSON string: 0xFF, 0xFE, a lone continuation byte and an overlong NUL. */
const INVALID_UTF8 = new Literal(
  Buffer.concat([Buffer.from('"fu'), Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0x80]), Buffer.from('zz"')]),
  () => Buffer.concat([Buffer.from('fu'), Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0x80]), Buffer.from('zz')]).toString(),
);

function deepArray(depth: number): Literal {
  const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return new Literal(text, () => JSON.parse(text));
}

function deepObject(depth: number): Literal {
  const text = `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`;
  return new Literal(text, () => JSON.parse(text));
}

/** The families, in the order they run for each tool. */
export const FAMILIES: readonly Family[] = [
  {
    name: 'valid call',
    variants: (tool) => [{ label: 'the base arguments', args: tool.base, expect: 'valid' }],
  },
  {
    name: 'missing and non-object arguments',
    variants: (tool) => {
      const required = requiredOf(tool.inputSchema);
      const some = required.length > 0;
      return [
        ...required.map(
          (key): Variant => ({ label: `without ${key}`, args: without(tool.base, key), expect: 'refuse', names: key }),
        ),
        { label: 'no arguments at all', args: OMIT, expect: some ? 'refuse' : 'handle' },
        { label: 'empty arguments', args: {}, expect: some ? 'refuse' : 'handle' },
        { label: 'arguments null', args: null, expect: some ? 'refuse' : 'handle' },
        { label: 'arguments an array', args: [tool.base], expect: 'refuse' },
        { label: 'arguments a string', args: JSON.stringify(tool.base), expect: 'refuse' },
        { label: 'arguments a number', args: 42, expect: 'refuse' },
        { label: 'arguments true', args: true, expect: 'refuse' },
      ];
    },
  },
  {
    name: 'wrong types',
    variants: (tool) => {
      const top = topSlots(tool).flatMap((slot) => {
        const types = typesOf(slot.schema);
        if (types === undefined) return [];
        return WRONG_TYPES.filter(([, value]) => !accepts(types, value)).map(
          ([label, value]): Variant => ({
            label: `${slot.label} as ${label}`,
            args: withSlot(tool.base, slot, value),
            expect: 'refuse',
            names: slot.label,
          }),
        );
      });
      // One wrong value for each nested place (array items, object fields, record values).
      const nested = slotsOf(tool.inputSchema)
        .filter((slot) => slot.path.length > 1)
        .flatMap((slot) => {
          const types = typesOf(slot.schema);
          const wrong = WRONG_TYPES.find(([, value]) => !accepts(types, value));
          if (types === undefined || !wrong) return [];
          return [
            {
              label: `${slot.label} as ${wrong[0]}`,
              args: withSlot(tool.base, slot, wrong[1]),
              expect: 'refuse' as const,
              names: String(slot.path[0]),
            },
          ];
        });
      // A long array of wrong items: one issue each, which an error that lists them all would hand back in bulk.
      const bulk = topSlots(tool).flatMap((slot): Variant[] => {
        const form = branchFor(slot.schema, 'array');
        const itemTypes = form && isSchema(form.items) ? typesOf(form.items) : undefined;
        const wrong = WRONG_TYPES.find(([, value]) => !accepts(itemTypes, value));
        if (!itemTypes || !wrong) return [];
        const text = `[${Array.from({ length: 20_000 }, () => JSON.stringify(wrong[1])).join(',')}]`;
        return [
          {
            label: `${slot.label}: 20,000 items, each ${wrong[0]}`,
            args: withSlot(tool.base, slot, new Literal(text, () => JSON.parse(text))),
            expect: 'refuse',
            names: slot.label,
          },
        ];
      });
      return [...top, ...nested, ...bulk];
    },
  },
  {
    // 5 MiB wherever the schema sets no bound, so it reaches the tool's own code; 256 KiB where it does (a maxLength,
    // an enum, a pattern): that is over every bound we have, and refused by the schema all the same.
    name: '5 MB strings',
    variants: (tool) =>
      stringSlots(tool).map((slot) => {
        const size = isBounded(slot.schema) ? BOUNDED_BIG_STRING_BYTES : BIG_STRING_BYTES;
        const value = 'a'.repeat(size);
        return {
          label: `${slot.label}: ${size / 1024} KiB`,
          args: withSlot(tool.base, slot, value),
          expect: stringVerdict(slot.schema, value),
          names: String(slot.path[0]),
          timeoutMs: 30_000,
        };
      }),
  },
  stringFamily('NUL and control characters', [
    ['a NUL byte', 'fuzz\u0000.txt'],
    ['only NUL', '\u0000'],
    ['C0 controls and an ANSI escape', '\u0007\b\u001b[2J\r\nfuzz\t\u007f'],
    ['the empty string', ''],
    ['only spaces', '   '],
  ]),
  stringFamily('bidi and zero-width text', [
    ['an RTL override', '\u202Etxt.exe'],
    ['bidi isolates', '\u2066fuzz\u2069\u2067x\u2069'],
    ['zero-width characters', 'fu\u200Bzz\u200C\u200D\uFEFF'],
    ['an Arabic letter mark and stacked combining marks', '\u061Cfuzz\u0301\u0301\u0301\u0301'],
  ]),
  stringFamily('lone surrogates and invalid UTF-8', [
    ['a lone high surrogate', '\uD800'],
    ['a lone low surrogate inside text', 'fu\uDC00zz'],
    ['a reversed surrogate pair', '\uDC00\uD800'],
    ['bytes that are not UTF-8', INVALID_UTF8],
  ]),
  {
    name: 'prototype keys',
    variants: (tool) => {
      const poison = () => ({ polluted: MARK });
      const required = requiredOf(tool.inputSchema);
      const top: Variant[] = [
        {
          label: 'own __proto__ at the top',
          args: own([...Object.entries(tool.base), ['__proto__', poison()]]),
          expect: 'handle',
        },
        {
          label: 'constructor.prototype at the top',
          args: own([...Object.entries(tool.base), ['constructor', { prototype: poison() }]]),
          expect: 'handle',
        },
        {
          label: 'prototype at the top',
          args: own([...Object.entries(tool.base), ['prototype', poison()]]),
          expect: 'handle',
        },
        {
          label: 'toString, valueOf and hasOwnProperty shadowed',
          args: own([
            ...Object.entries(tool.base),
            ['toString', MARK],
            ['valueOf', { polluted: MARK }],
            ['hasOwnProperty', MARK],
            ['__defineGetter__', MARK],
          ]),
          expect: 'handle',
        },
      ];
      if (required.length > 0) {
        top.push({
          label: 'the required arguments only under __proto__',
          args: own([['__proto__', tool.base]]),
          expect: 'refuse',
        });
      }
      const nested = objectSlots(tool).map(
        (slot): Variant => ({
          label: `${slot.label}: own __proto__ and constructor keys`,
          args: withSlot(
            tool.base,
            slot,
            own([
              ...Object.entries((sampleOf(slot.schema, 'object') as Record<string, unknown>) ?? {}),
              ['__proto__', poison()],
              ['constructor', { prototype: poison() }],
              ['prototype', poison()],
            ]),
          ),
          expect: 'handle',
        }),
      );
      const misplaced = topSlots(tool)
        .filter((slot) => !typesOf(slot.schema)?.has('object'))
        .map(
          (slot): Variant => ({
            label: `${slot.label}: an object with __proto__`,
            args: withSlot(tool.base, slot, own([['__proto__', poison()]])),
            expect: typesOf(slot.schema) === undefined ? 'handle' : 'refuse',
            names: slot.label,
          }),
        );
      return [...top, ...nested, ...misplaced];
    },
  },
  {
    name: 'extreme numbers',
    variants: (tool) => {
      const values: readonly (readonly [string, number | Literal])[] = [
        ['1e308', 1e308],
        ['-1e308', -1e308],
        ['-0', literal('-0')],
        ['2^53 + 1', literal('9007199254740993')],
        ['2^53 - 1', Number.MAX_SAFE_INTEGER],
        ['2^31', 2 ** 31],
        ['a 30-digit integer', literal('123456789012345678901234567890')],
        ['1e400 (Infinity once parsed)', literal('1e400')],
        ['-1e400 (-Infinity once parsed)', literal('-1e400')],
        ['5e-324', 5e-324],
        ['0.5', 0.5],
        ['-1', -1],
        ['NaN (in process only)', new Literal(undefined, () => Number.NaN)],
      ];
      return numberSlots(tool).flatMap((slot) =>
        values.map(([label, value]): Variant => {
          const number = value instanceof Literal ? (value.value as number) : value;
          const expect = numberVerdict(slot.schema, number);
          return {
            label: `${slot.label}: ${label}`,
            args: withSlot(tool.base, slot, value),
            expect,
            names: String(slot.path[0]),
          };
        }),
      );
    },
  },
  {
    name: 'deep nesting',
    variants: (tool) => {
      const inSlots = topSlots(tool).flatMap((slot): Variant[] => {
        const types = typesOf(slot.schema);
        const expect: Expect = types === undefined ? 'handle' : 'refuse';
        return [
          {
            label: `${slot.label}: arrays 10,000 deep`,
            args: withSlot(tool.base, slot, deepArray(10_000)),
            expect,
            names: slot.label,
          },
          {
            label: `${slot.label}: objects 10,000 deep`,
            args: withSlot(tool.base, slot, deepObject(10_000)),
            expect,
            names: slot.label,
          },
        ];
      });
      return [
        ...inSlots,
        {
          label: 'an unknown argument 100,000 arrays deep',
          args: own([...Object.entries(tool.base), ['fuzzDeep', deepArray(100_000)]]),
          expect: 'handle',
        },
      ];
    },
  },
  {
    name: 'unknown extra properties',
    variants: (tool) => {
      // Written as text: own properties built one by one would cost the fuzzer more than the server.
      const many = (count: number) => {
        const head = encode(tool.base).toString('utf8').slice(0, -1);
        const keys = Array.from({ length: count }, (_, i) => `"fuzz${i}":${i}`).join(',');
        const text = `${head}${head.length > 1 ? ',' : ''}${keys}}`;
        return new Literal(text, () => JSON.parse(text));
      };
      const nested = objectSlots(tool)
        .filter((slot) => isSchema(branchFor(slot.schema, 'object')?.properties))
        .map(
          (slot): Variant => ({
            label: `${slot.label}: an unknown field`,
            args: withSlot(
              tool.base,
              slot,
              own([...Object.entries(sampleOf(slot.schema, 'object') as Record<string, unknown>), ['fuzzExtra', 1]]),
            ),
            expect: 'handle',
          }),
        );
      return [
        {
          label: 'one unknown argument',
          args: own([...Object.entries(tool.base), ['fuzzUnknown', 1]]),
          expect: 'handle',
        },
        {
          label: 'an empty key and a 10,000-character key',
          args: own([...Object.entries(tool.base), ['', 'empty'], ['k'.repeat(10_000), 1]]),
          expect: 'handle',
        },
        { label: '10,000 unknown arguments', args: many(10_000), expect: 'handle' },
        ...nested,
      ];
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Targets and cases

/** One JSON-RPC reply, as a fuzz request got it. */
export type Reply =
  | {
      kind: 'response';
      message: { result?: Record<string, unknown>; error?: { code: number; message: string } };
      text: string;
      bytes: number;
    }
  | { kind: 'closed' | 'timeout' | 'unsendable'; text: string };

/** Where fuzz requests go: a server that answers JSON-RPC requests given as fuzz values. */
export interface FuzzTarget {
  /** Send `message` (a fuzz value; its `id` is set here) and wait up to `timeoutMs` for the reply with that id. */
  request(message: Record<string, unknown>, timeoutMs: number): Promise<Reply>;
  /** Node warnings the server process emitted since the last call (TimeoutOverflowWarning, MaxListeners, ...). */
  takeWarnings(): string[];
}

/** What the tool cases need of a suite's context. */
export interface ToolsContext extends SuiteContext {
  readonly target: FuzzTarget;
  /** The tools as listed, with their base arguments. */
  readonly tools: ReadonlyMap<string, FuzzTool>;
  /** Strings any reply may show: the roots and folders the config names (the fuzzer wrote them). */
  readonly echoes: readonly string[];
  /** `_meta` to put in every request's params (the 2026-07-28 envelope), or undefined (2025-11-25). */
  readonly envelope: Record<string, unknown> | undefined;
}

/** Figures of a family across tools (for the bench). */
export interface FamilyFigures {
  cases: number;
  variants: number;
  refused: number;
  answered: number;
  totalMs: number;
  slowestMs: number;
  slowest: string;
  largestReplyBytes: number;
  largest: string;
}

/** A tools/call request's params with this name and arguments, in the context's era. */
export function callParams(context: ToolsContext, name: unknown, args: unknown): Record<string, unknown> {
  return own([
    ['name', name],
    ...(args === OMIT ? [] : ([['arguments', args]] as const)),
    ...(context.envelope ? ([['_meta', context.envelope]] as const) : []),
  ]);
}

export function replyAnswer(reply: Reply): Answer {
  if (reply.kind !== 'response') return { kind: reply.kind === 'unsendable' ? 'closed' : reply.kind, text: reply.text };
  const { error, result } = reply.message;
  if (error) return { kind: 'protocolError', code: error.code, text: String(error.message ?? '') };
  return toolAnswer((result ?? {}) as Parameters<typeof toolAnswer>[0]);
}

/** Largest refusal a fuzz request may get back: an error message never needs to quote megabytes of input. */
export const MAX_REFUSAL_BYTES = 64 * 1024;

/** What is wrong with one variant's reply, if anything. */
export function judge(variant: Variant, reply: Reply, answer: Answer, context: ToolsContext): string[] {
  const problems: string[] = [];
  const at = `${variant.label}`;
  if (reply.kind !== 'response') return [`${at}: ${answer.kind} (${answer.text.slice(0, 200)})`];
  const refused = answer.kind === 'isError' || answer.kind === 'protocolError';
  if (variant.expect === 'refuse') {
    if (!refused) problems.push(`${at}: expected a refusal, got a result: ${answer.text.slice(0, 200)}`);
    else if (answer.text.trim() === '') problems.push(`${at}: the refusal says nothing`);
    else if (variant.names && !answer.text.includes(variant.names)) {
      problems.push(`${at}: the refusal does not name "${variant.names}": ${answer.text.slice(0, 300)}`);
    }
  }
  if (variant.expect === 'valid' && answer.code === 'invalid_input') {
    problems.push(`${at}: the base arguments were refused: ${answer.text.slice(0, 300)}`);
  }
  if (answer.code === 'internal_error') {
    problems.push(`${at}: an internal error (an exception the tool did not expect): ${answer.text.slice(0, 300)}`);
  }
  if (answer.kind === 'protocolError' && answer.code === -32603) {
    problems.push(`${at}: a JSON-RPC internal error: ${answer.text.slice(0, 300)}`);
  }
  if (refused && reply.bytes > MAX_REFUSAL_BYTES) {
    problems.push(`${at}: a refusal of ${reply.bytes} bytes (it quotes the input back)`);
  }
  if (answer.text.includes('[object Object]')) {
    problems.push(`${at}: the reply renders a value badly: ${answer.text.slice(0, 300)}`);
  }
  if (reply.text.includes(MARK) && answer.kind === 'result') {
    problems.push(`${at}: the result reflects an injected key's value`);
  }
  const allowed = [...context.echoes, ...(variant.echoes ?? [])];
  // The decoded text for stack traces (JSON escapes their newlines), the raw reply for paths anywhere in it.
  for (const leak of new Set([...leaks(answer.text, allowed), ...leaks(reply.text, allowed)])) {
    problems.push(`${at}: the reply shows ${leak}`);
  }
  return problems;
}

const REFUSAL_CODES = (answer: Answer) => String(answer.code ?? answer.kind);

/**
 * One case per tool and family: every variant of the family sent in turn, each judged; the answer sums them up and
 * `check` reports every problem. Between cases the harness measures the server and makes its next call.
 */
export function toolCases<C extends ToolsContext>(
  toolNames: readonly string[],
  families: readonly Family[] = FAMILIES,
  stats: Map<string, FamilyFigures> = new Map(),
): HostileCase<C>[] {
  const cases: HostileCase<C>[] = [];
  for (const name of toolNames) {
    for (const family of families) {
      let problems: string[] = [];
      cases.push({
        name: `${name}: ${family.name}`,
        async run(context) {
          problems = [];
          const tool = context.tools.get(name);
          if (!tool) {
            problems.push(`${name} is not listed`);
            return { kind: 'closed', text: `${name} is not listed` };
          }
          const figures = stats.get(family.name) ?? {
            cases: 0,
            variants: 0,
            refused: 0,
            answered: 0,
            totalMs: 0,
            slowestMs: 0,
            slowest: '',
            largestReplyBytes: 0,
            largest: '',
          };
          stats.set(family.name, figures);
          figures.cases++;
          const codes = new Map<string, number>();
          let refused = 0;
          let answered = 0;
          let sent = 0;
          for (const variant of family.variants(tool)) {
            const start = performance.now();
            const reply = await context.target.request(
              { jsonrpc: '2.0', method: 'tools/call', params: callParams(context, name, variant.args) },
              variant.timeoutMs ?? 20_000,
            );
            const ms = performance.now() - start;
            if (reply.kind === 'unsendable') continue;
            sent++;
            const answer = replyAnswer(reply);
            problems.push(...judge(variant, reply, answer, context));
            for (const warning of context.target.takeWarnings()) problems.push(`${variant.label}: ${warning}`);
            if (answer.kind === 'isError' || answer.kind === 'protocolError') {
              refused++;
              codes.set(REFUSAL_CODES(answer), (codes.get(REFUSAL_CODES(answer)) ?? 0) + 1);
            } else answered++;
            figures.variants++;
            figures.totalMs += ms;
            if (ms > figures.slowestMs) {
              figures.slowestMs = Math.round(ms * 10) / 10;
              figures.slowest = `${name}: ${variant.label}`;
            }
            const bytes = reply.kind === 'response' ? reply.bytes : 0;
            if (bytes > figures.largestReplyBytes) {
              figures.largestReplyBytes = bytes;
              figures.largest = `${name}: ${variant.label}`;
            }
            if (!context.alive()) {
              problems.push(`${variant.label}: the server died`);
              break;
            }
          }
          figures.refused += refused;
          figures.answered += answered;
          figures.totalMs = Math.round(figures.totalMs);
          const byCode = [...codes].map(([code, count]) => `${code} ×${count}`).join(', ');
          const text = `${sent} variants: ${refused} refused${byCode ? ` (${byCode})` : ''}, ${answered} answered${
            problems.length ? `; ${problems.length} problems: ${problems.slice(0, 5).join(' | ')}` : ''
          }`;
          const kind = refused > 0 && answered === 0 ? 'isError' : 'result';
          return { kind, text: text.slice(0, 2000) };
        },
        check: () => (problems.length === 0 ? undefined : problems.join('\n')),
      });
    }
  }
  return cases;
}
