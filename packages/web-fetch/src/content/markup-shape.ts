/**
 * Whether a page is small and shallow enough for the DOM path (linkedom, Readability, turndown): its elements,
 * nesting depth and attributes counted in one pass ({@link measureMarkup}), and the note a streamed page carries.
 */
import { createParser, STOP } from './linear-parser.js';

/** Most elements a page may have for the DOM path (main-content extraction); past it, the page is streamed. */
export const MAX_DOM_ELEMENTS = 10_000;
/** Deepest nesting of elements for the DOM path: its converters recurse once per level. */
export const MAX_DOM_DEPTH = 200;
/** Most attributes a page may have for the DOM path. */
export const MAX_DOM_ATTRIBUTES = 100_000;
/**
 * Most elements converted (or searched for links) in one pass, about a second's work: a 5 MB page of ordinary
 * markup has fewer. Past it the rest of the page is left out, and the note says so.
 */
export const MAX_STREAM_ELEMENTS = 250_000;

/** What {@link measureMarkup} found, up to the first limit it passed. */
export interface MarkupShape {
  elements: number;
  depth: number;
  attributes: number;
  /** The first limit passed, if any: the page is then streamed. */
  over: 'elements' | 'depth' | 'attributes' | undefined;
}
/** Count the elements, nesting depth and attributes of `html`, stopping as soon as one passes its limit. */
export function measureMarkup(html: string): MarkupShape {
  const shape: MarkupShape = { elements: 0, depth: 0, attributes: 0, over: undefined };
  let depth = 0;
  const parser = createParser({
    onopentag(_name, attributes) {
      shape.elements++;
      depth++;
      if (depth > shape.depth) shape.depth = depth;
      for (const _ in attributes) shape.attributes++;
      if (shape.elements > MAX_DOM_ELEMENTS) shape.over = 'elements';
      else if (depth > MAX_DOM_DEPTH) shape.over = 'depth';
      else if (shape.attributes > MAX_DOM_ATTRIBUTES) shape.over = 'attributes';
      if (shape.over) throw STOP;
    },
    onclosetag() {
      depth--;
    },
  });
  try {
    parser.write(html);
    parser.end();
  } catch (error) {
    if (error !== STOP) throw error;
  }
  return shape;
}

/** Why a page was streamed (and, when `cut`, that its end was left out), for the note the reader sees. */
export function streamedNote(shape: MarkupShape, cut = false): string {
  const what =
    shape.over === 'depth'
      ? `nests elements more than ${MAX_DOM_DEPTH} deep`
      : shape.over === 'attributes'
        ? `has more than ${MAX_DOM_ATTRIBUTES.toLocaleString('en-US')} attributes`
        : `has more than ${MAX_DOM_ELEMENTS.toLocaleString('en-US')} elements`;
  const end = cut
    ? ` Only its first ${MAX_STREAM_ELEMENTS.toLocaleString('en-US')} elements were read; the rest of the page is not shown.`
    : '';
  return `The page ${what}, more than main-content extraction handles in bounded time; it was converted in one pass, whole (navigation, asides and forms dropped), with simpler formatting.${end}`;
}
