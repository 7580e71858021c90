/**
 * htmlparser2's parser made linear on deep nesting, shared by every one-pass reader of a page (html-stream.ts).
 */
import { type Handler, Parser, type ParserOptions } from 'htmlparser2';

/** Thrown by a handler to end a pass early; the caller of `parser.write` catches it. */
export const STOP = Symbol('stop');

/**
 * An array seen from its end: `unshift`, `shift`, `[i]` and `indexOf` count from the last element, so the front
 * operations htmlparser2 uses on its stack of open elements are O(1) pushes and pops. `indexOf` of a name that is
 * not open is O(1) too (a count per value); of one that is, it costs the elements above it, which are then closed.
 */
function topFirst<T>(): T[] {
  const items: T[] = [];
  const counts = new Map<T, number>();
  const methods = {
    unshift(value: T): number {
      items.push(value);
      counts.set(value, (counts.get(value) ?? 0) + 1);
      return items.length;
    },
    shift(): T | undefined {
      if (items.length === 0) return undefined;
      const value = items.pop() as T;
      const count = (counts.get(value) ?? 1) - 1;
      if (count > 0) counts.set(value, count);
      else counts.delete(value);
      return value;
    },
    indexOf(value: T): number {
      if (!counts.has(value)) return -1;
      for (let i = items.length - 1; i >= 0; i--) if (items[i] === value) return items.length - 1 - i;
      return -1;
    },
  };
  return new Proxy(items, {
    get(target, property) {
      if (property === '0') return target[target.length - 1];
      if (property === 'unshift' || property === 'shift' || property === 'indexOf') return methods[property];
      if (typeof property === 'string' && /^\d+$/.test(property)) return target[target.length - 1 - Number(property)];
      return Reflect.get(target, property);
    },
    set(target, property, value) {
      if (property === 'length') counts.clear();
      return Reflect.set(target, property, value);
    },
  });
}

/**
 * An htmlparser2 parser that stays linear on deep nesting. Its stack of open elements (and of foreign contexts) is
 * an array it grows and shrinks at the front: every open tag moves the whole stack, and a million nested `<div>`s
 * cost 10¹² moves (the parse never ends). The same parser, with stacks that do the same operations at their end.
 */
export function createParser(handler: Partial<Handler>, options: ParserOptions = {}): Parser {
  const parser = new Parser(handler, { decodeEntities: true, ...options });
  const internals = parser as unknown as { stack: unknown; foreignContext: unknown };
  if (!Array.isArray(internals.stack) || !Array.isArray(internals.foreignContext)) {
    throw new Error('htmlparser2 changed its internals: update createParser in linear-parser.ts');
  }
  const foreign = topFirst<boolean>();
  for (const value of (internals.foreignContext as boolean[]).toReversed()) foreign.unshift(value);
  internals.stack = topFirst<string>();
  internals.foreignContext = foreign;
  return parser;
}
