/** The fuzz values as sent: literals written as exact JSON text, objects with own `__proto__` keys, their JSON. */
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
