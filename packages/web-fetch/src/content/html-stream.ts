/**
 * HTML read in one pass, without building a DOM: for pages too large or too deeply nested for the DOM path
 * (linkedom, Readability, turndown), whose cost grows faster than the page and which recurse once per level of
 * nesting. A page of 5 MB of tiny elements took linkedom and Readability tens of seconds and a gigabyte; a million
 * nested `<div>`s never finished. Here every page costs one pass of htmlparser2's tokenizer (the one linkedom uses,
 * so implied end tags are the same) and memory for the output only, whatever its shape.
 *
 * {@link measureMarkup} decides: elements, nesting depth and attributes counted, stopping at the first limit.
 * {@link convertStreaming} turns the page into Markdown, text or cleaned HTML of the whole page (navigation, asides
 * and forms dropped unless `mainContent` is false); {@link extractLinksStreaming} lists its links.
 *
 * The parts: linear-parser.ts (htmlparser2 kept linear on deep nesting), markup-shape.ts (the DOM path's limits),
 * page-head.ts (title and base URL), stream-convert.ts and stream-links.ts.
 */
export {
  MAX_DOM_ATTRIBUTES,
  MAX_DOM_DEPTH,
  MAX_DOM_ELEMENTS,
  MAX_STREAM_ELEMENTS,
  type MarkupShape,
  measureMarkup,
  streamedNote,
} from './markup-shape.js';
export { titleOf } from './page-head.js';
export { convertStreaming, type StreamedPage } from './stream-convert.js';
export { extractLinksStreaming } from './stream-links.js';
