import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { joinNote, parseSimple, splitNote } from './front-matter.js';
import { renderNoteFile } from './note-file.js';

const { load, dump, CORE_SCHEMA } = createRequire(import.meta.url)('js-yaml') as typeof JsYaml;
const yamlOf = (value: unknown) => load(value as string, { schema: CORE_SCHEMA });

/** The fast path either declines or agrees with js-yaml exactly. */
function agrees(yaml: string): boolean {
  const fast = parseSimple(yaml);
  if (fast === undefined) return false;
  expect(fast, JSON.stringify(yaml)).toStrictEqual(yamlOf(yaml));
  return true;
}

const TRICKY_SCALARS = [
  'null',
  'Null',
  'NULL',
  '~',
  'true',
  'True',
  'FALSE',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '0',
  '00',
  '007',
  '-1',
  '+1',
  '1.5',
  '.5',
  '1e3',
  '1E3',
  '1e',
  '0x1f',
  '0x1F',
  '0o17',
  '0b101',
  '1_000',
  '12_3abc',
  '.inf',
  '-.inf',
  '.nan',
  '.NaN',
  'Infinity',
  'NaN',
  '123456789012345',
  '1234567890123456789',
  '2025-03-03',
  '2025-03-03T09:12:44.120Z',
  '2025-03-03T09:12:44Z',
  '2025-03-03 09:12:44',
  '2025-3-3T9:12:44Z',
  '9mzeyjt3b8',
  'n0000abc',
  '1abcdef',
  '1deadbeef',
  '1f',
  '1g',
  'abc',
  'a b',
  'a  b',
  'a b ',
  ' a',
  'a #b',
  'a#b',
  'a: b',
  'a:b',
  "it's",
  "'quoted'",
  "'it''s'",
  "'a: b'",
  "''",
  "'",
  "'a'b'",
  '"double"',
  '"a\\nb"',
  '- x',
  '? x',
  '[a]',
  '{a: 1}',
  '&anchor x',
  '*alias',
  '!tag x',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  'Ünïcödé títle',
  'naïve café',
  '日本語のノート',
  'a/b',
  'project/alpha',
  '(x)',
  'a.b',
  '_x',
  'a\tb',
  'a\rb',
  '\u00a0x',
  'x\u2028y',
  '<<',
  '=',
];

describe('front matter fast path', () => {
  it('agrees with js-yaml on every tricky scalar it accepts (and declines the rest)', () => {
    let accepted = 0;
    for (const scalar of TRICKY_SCALARS) {
      for (const yaml of [
        `key: ${scalar}\n`,
        `key: [${scalar}]\n`,
        `key: [a, ${scalar}]\n`,
        `key:\n  - ${scalar}\n`,
        `key:\n- ${scalar}\n`,
      ]) {
        let ok = true;
        try {
          yamlOf(yaml);
        } catch {
          ok = false;
        }
        if (!ok) expect(parseSimple(yaml), JSON.stringify(yaml)).toBeUndefined();
        else if (agrees(yaml)) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it('declines structures it does not know, or that js-yaml reads differently', () => {
    for (const yaml of [
      'a: 1\na: 2\n', // duplicate key: js-yaml refuses it
      '__proto__: x\n',
      'a:\n  b: c\n',
      'a: b\n  c\n',
      'tags:\n  - a\n    b\n',
      'tags:\n  - a\n - b\n',
      'a: b # comment\n',
      '# comment\na: b\n',
      'a: b\n\nc: d\n',
      'a: b\r\nc: d\r\n',
      ' a: b\n',
      'a: \n',
      'a:b\n',
      'a: [b, c\n',
      'a: [b,c]\n',
      'a: [b,, c]\n',
      'a: [ b ]\n',
      'true: x\n',
      '1: x\n',
      'a-b: x\n',
      '"a": x\n',
      '? a\n: b\n',
      '- a\n',
      'a: &x b\nc: *x\n',
      'a: |\n  text\n',
    ]) {
      const fast = parseSimple(yaml);
      if (fast !== undefined) expect(fast, JSON.stringify(yaml)).toStrictEqual(yamlOf(yaml));
      expect(fast, JSON.stringify(yaml)).toBeUndefined();
    }
  });

  it('reads what the store writes without js-yaml, identically', () => {
    const titles = [
      'Groceries',
      'Weekly plan: March',
      "it's done",
      'Ünïcödé 日本',
      'x  y',
      '2024 plans',
      'true',
      '- list',
    ];
    for (const [i, title] of titles.entries()) {
      const text = renderNoteFile(
        {
          id: i % 2 ? '9mzeyjt3b8' : `note-${i}`,
          title,
          tags: i % 3 ? ['work', 'project/alpha'] : [],
          created: '2025-03-03T09:12:44.120Z',
          updated: '2025-03-04T16:01:02.907Z',
          version: i + 1,
        },
        'body',
        i === 3 ? { aliases: ['a', 'b'], cssclasses: 'wide' } : {},
      );
      const yaml = text.slice(4, text.indexOf('\n---\n') + 1);
      expect(splitNote(text).data).toStrictEqual(yamlOf(yaml));
      const fast = parseSimple(yaml);
      if (fast !== undefined) expect(fast).toStrictEqual(yamlOf(yaml));
      if (['Groceries', "it's done", 'Weekly plan: March'].includes(title)) expect(fast).toBeDefined();
    }
  });

  it('agrees with js-yaml on generated front matter', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = [
      'a',
      'b',
      'e',
      'f',
      'x',
      'o',
      'g',
      'z',
      '0',
      '1',
      '9',
      ' ',
      '-',
      '_',
      '.',
      ':',
      "'",
      '#',
      'é',
      '/',
      ',',
      '[',
      ']',
      'T',
      'Z',
      'E',
    ];
    const word = () =>
      Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
        '',
      );
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const data: Record<string, unknown> = {};
      for (let k = 0; k < 1 + random() * 4; k++) {
        const key = `k${k}`;
        const pick = random();
        data[key] =
          pick < 0.4
            ? word()
            : pick < 0.6
              ? Math.floor(random() * 1000)
              : Array.from({ length: Math.floor(random() * 3) }, word);
      }
      // As the store writes it, and as a person might (flow lists, raw words).
      const written = dump(data, { schema: CORE_SCHEMA, lineWidth: -1, noRefs: true });
      if (agrees(written)) accepted++;
      const raw = Object.entries(data)
        .map(([key, value]) => `${key}: ${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}\n`)
        .join('');
      let valid = true;
      try {
        yamlOf(raw);
      } catch {
        valid = false;
      }
      if (valid) agrees(raw);
      else expect(parseSimple(raw)).toBeUndefined();
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it('leaves invalid YAML to js-yaml, so it is still reported', () => {
    expect(() => splitNote('---\na: 1\na: 2\n---\nbody')).toThrow(/not valid YAML/);
    expect(joinNote({ a: 1 }, 'b')).toBe('---\na: 1\n---\n\nb');
  });
});
