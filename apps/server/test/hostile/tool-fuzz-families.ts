/** The fuzz families, in the order they run for each tool: each makes the variants that change one thing. */

import { accepts, branchFor, isSchema, sampleOf, slotsOf, typesOf, without, withSlot } from './tool-fuzz-schemas.js';
import { encode, Literal, literal, own } from './tool-fuzz-values.js';
import {
  BIG_STRING_BYTES,
  BOUNDED_BIG_STRING_BYTES,
  deepArray,
  deepObject,
  type Expect,
  type Family,
  INVALID_UTF8,
  isBounded,
  MARK,
  numberSlots,
  numberVerdict,
  OMIT,
  objectSlots,
  requiredOf,
  stringFamily,
  stringSlots,
  stringVerdict,
  topSlots,
  type Variant,
  WRONG_TYPES,
} from './tool-fuzz-variants.js';

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
