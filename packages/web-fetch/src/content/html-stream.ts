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
 */
import { type Handler, Parser, type ParserOptions } from 'htmlparser2';
import { getDomain } from 'tldts';
import type { PageLink } from './page-link.js';

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

const STOP = Symbol('stop');

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
function createParser(handler: Partial<Handler>, options: ParserOptions = {}): Parser {
  const parser = new Parser(handler, { decodeEntities: true, ...options });
  const internals = parser as unknown as { stack: unknown; foreignContext: unknown };
  if (!Array.isArray(internals.stack) || !Array.isArray(internals.foreignContext)) {
    throw new Error('htmlparser2 changed its internals: update createParser in html-stream.ts');
  }
  const foreign = topFirst<boolean>();
  for (const value of (internals.foreignContext as boolean[]).toReversed()) foreign.unshift(value);
  internals.stack = topFirst<string>();
  internals.foreignContext = foreign;
  return parser;
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

/** Elements whose content is never shown. */
const NOISE = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'canvas',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'dialog',
  'select',
  'textarea',
  'button',
  'option',
  'datalist',
]);
/** Page furniture, dropped when converting the main content. */
const BOILERPLATE = new Set(['nav', 'aside', 'footer', 'form']);
const BOILERPLATE_ROLES = new Set(['navigation', 'complementary', 'search', 'contentinfo', 'banner', 'dialog']);
const BLOCKS = new Set([
  'address',
  'article',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'header',
  'main',
  'p',
  'section',
  'summary',
  'table',
  'caption',
]);
/** Elements kept in the cleaned HTML of a streamed page (the others give only their text). */
const KEPT_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'pre',
  'code',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
  'blockquote',
  'br',
  'hr',
  'em',
  'strong',
  'b',
  'i',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
]);
const VOID = new Set([
  'br',
  'hr',
  'img',
  'wbr',
  'area',
  'base',
  'col',
  'embed',
  'input',
  'link',
  'meta',
  'source',
  'track',
]);
/** Deepest nesting of kept tags in cleaned HTML; deeper ones give their text only. */
const MAX_OUTPUT_DEPTH = 32;
/** Most levels of list indentation in Markdown and text; deeper items stay at this level. */
const MAX_LIST_INDENT = 8;

function resolveUrl(value: string | undefined, base: URL): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string): string => escapeHtml(text).replace(/"/g, '&quot;');
const escapeMarkdown = (text: string): string => text.replace(/([\\`*_[\]])/g, '\\$1');

function isSkipped(name: string, attributes: Record<string, string>, mainContent: boolean): boolean {
  if (NOISE.has(name)) return true;
  if ('hidden' in attributes || attributes['aria-hidden'] === 'true') return true;
  if (!mainContent) return false;
  if (BOILERPLATE.has(name) || attributes['aria-modal'] === 'true') return true;
  const role = attributes.role;
  return role !== undefined && BOILERPLATE_ROLES.has(role);
}

/** The head of a page: its title and base URL, read by the same pass as the rest. */
interface HeadReader {
  onopentag(name: string, attributes: Record<string, string>): void;
  ontext(text: string): void;
  onclosetag(name: string): void;
  readonly baseUrl: URL;
  title(): string | undefined;
}

function headReader(pageUrl: string): HeadReader {
  let baseUrl = new URL(pageUrl);
  let baseSeen = false;
  let inTitle = false;
  let titleText = '';
  let titleDone = false;
  let ogTitle: string | undefined;
  let h1Depth = 0;
  let h1Text = '';
  let h1Done = false;
  return {
    onopentag(name, attributes) {
      if (name === 'base' && !baseSeen && attributes.href) {
        baseSeen = true;
        const candidate = resolveUrl(attributes.href, baseUrl);
        if (candidate && !candidate.startsWith('mailto:')) baseUrl = new URL(candidate);
      } else if (name === 'title' && !titleDone) {
        inTitle = true;
      } else if (name === 'meta' && attributes.property === 'og:title' && ogTitle === undefined) {
        ogTitle = collapse(attributes.content ?? '') || undefined;
      } else if (name === 'h1' && !h1Done) {
        h1Depth++;
      }
    },
    ontext(text) {
      if (inTitle && titleText.length < 1000) titleText += text;
      if (h1Depth > 0 && h1Text.length < 1000) h1Text += text;
    },
    onclosetag(name) {
      if (name === 'title' && inTitle) {
        inTitle = false;
        titleDone = collapse(titleText) !== '';
      } else if (name === 'h1' && h1Depth > 0) {
        h1Depth--;
        if (h1Depth === 0) h1Done = collapse(h1Text) !== '';
      }
    },
    get baseUrl() {
      return baseUrl;
    },
    title: () => collapse(titleText) || ogTitle || collapse(h1Text) || undefined,
  };
}

/** A converted page. */
export interface StreamedPage {
  content: string;
  title: string | undefined;
  /** True when the page had more than {@link MAX_STREAM_ELEMENTS} elements and the rest was left out. */
  cut: boolean;
}

interface Open {
  /** Inside a skipped element (this one or an ancestor). */
  skipped: boolean;
  /** Where a link's text starts in `parts`. */
  start?: number;
  href?: string;
  /** For lists: the next item number (ordered) or 0 (unordered). */
  counter?: number;
  cells?: number;
  /** The tag was written to cleaned HTML and needs closing. */
  written?: boolean;
  /** An inline marker (`**`, `_`, `` ` ``) to close with. */
  marker?: string;
}

/** Marks one level of list indentation until the clean-up is done. */
const INDENT = '\uE001';
const PLAIN: Open = Object.freeze({ skipped: false });
const SKIPPED: Open = Object.freeze({ skipped: true });
/** Elements whose entry carries state (lists, rows, links, markers, written tags). */
const STATEFUL = new Set([...KEPT_TAGS, 'ul', 'ol', 'tr', 'a', 'strong', 'b', 'em', 'i', 'code', 'pre']);
const entryFor = (name: string): Open => (STATEFUL.has(name) ? { skipped: false } : PLAIN);

/**
 * Convert a page in one pass: Markdown (headings, lists, links, images, emphasis, code and preformatted blocks,
 * table rows with ` | ` between cells), plain text, or cleaned HTML (semantic elements only, with absolute links).
 * With `mainContent`, navigation, asides, footers, forms and their ARIA roles are dropped, as the DOM path does.
 */
export function convertStreaming(
  html: string,
  pageUrl: string,
  format: 'markdown' | 'text' | 'html',
  mainContent: boolean,
): StreamedPage {
  const head = headReader(pageUrl);
  const parts: string[] = [];
  const preformatted: string[] = [];
  // One entry per open element; most share PLAIN, so a million nested <div>s cost a million pointers, not objects.
  const stack: Open[] = [];
  const lists: Open[] = [];
  const rows: Open[] = [];
  let skipping = 0;
  let pre = 0;
  let preText = '';
  let written = 0;
  const inline = new Map<string, number>();
  const markdown = format === 'markdown';
  let elements = 0;
  let cut = false;

  const block = (text = '\n\n') => parts.push(text);
  const markerFor = (name: string): string | undefined => {
    if (!markdown) return undefined;
    if (name === 'strong' || name === 'b') return '**';
    if (name === 'em' || name === 'i') return '_';
    if (name === 'code' && pre === 0) return '`';
    return undefined;
  };

  const parser = createParser({
    onopentag(name, attributes) {
      if (++elements > MAX_STREAM_ELEMENTS) {
        cut = true;
        throw STOP;
      }
      head.onopentag(name, attributes);
      if (skipping > 0 || isSkipped(name, attributes, mainContent)) {
        skipping++;
        stack.push(SKIPPED);
        return;
      }
      if (pre > 0 && name !== 'pre') {
        stack.push(PLAIN);
        return;
      }
      const open = entryFor(name);
      stack.push(open);
      if (format === 'html') {
        if (!KEPT_TAGS.has(name) || written >= MAX_OUTPUT_DEPTH) return;
        let attrs = '';
        if (name === 'a') {
          const href = resolveUrl(attributes.href, head.baseUrl);
          if (href) attrs = ` href="${escapeAttribute(href)}"`;
        } else if (name === 'img') {
          const src = resolveUrl(attributes.src, head.baseUrl);
          if (src) attrs += ` src="${escapeAttribute(src)}"`;
          if (attributes.alt) attrs += ` alt="${escapeAttribute(attributes.alt)}"`;
        }
        parts.push(`<${name}${attrs}>`);
        if (name === 'pre') pre++;
        if (!VOID.has(name)) {
          open.written = true;
          written++;
        }
        return;
      }
      const level = /^h([1-6])$/.exec(name)?.[1];
      if (level) {
        block(markdown ? `\n\n${'#'.repeat(Number(level))} ` : '\n\n');
      } else if (BLOCKS.has(name)) {
        block();
      } else if (name === 'ul' || name === 'ol') {
        open.counter = name === 'ol' ? Number.parseInt(attributes.start ?? '1', 10) || 1 : 0;
        if (lists.length === 0) block('\n');
        lists.push(open);
      } else if (name === 'li') {
        const list = lists[lists.length - 1];
        // Indentation is marked, not spaced, so that the clean-up of spaces around line breaks keeps it.
        const indent = INDENT.repeat(Math.min(Math.max(lists.length - 1, 0), MAX_LIST_INDENT));
        const bullet = list?.counter ? `${list.counter++}. ` : '- ';
        block(`\n${indent}${bullet}`);
      } else if (name === 'tr') {
        block('\n');
        open.cells = 0;
        rows.push(open);
      } else if (name === 'td' || name === 'th') {
        const row = rows[rows.length - 1];
        if (row && (row.cells ?? 0) > 0) parts.push(markdown ? ' | ' : '\t');
        if (row) row.cells = (row.cells ?? 0) + 1;
      } else if (name === 'br') {
        parts.push('\n');
      } else if (name === 'hr') {
        block(markdown ? '\n\n---\n\n' : '\n\n');
      } else if (name === 'pre') {
        pre++;
        preText = '';
      } else if (name === 'a' && markdown) {
        open.href = resolveUrl(attributes.href, head.baseUrl);
        open.start = parts.length;
      } else if (name === 'img' && markdown) {
        const alt = collapse(attributes.alt ?? '').replace(/[[\]]/g, '');
        const src = resolveUrl(attributes.src, head.baseUrl);
        if (src && !src.startsWith('mailto:')) parts.push(`![${alt}](${src.replace(/[()\s]/g, encodeURIComponent)})`);
        else if (alt) parts.push(`[image: ${alt}]`);
      } else {
        const marker = markerFor(name);
        // Nested emphasis of one kind adds nothing (and a hundred thousand nested <b> would be 200,000 asterisks).
        if (marker && (inline.get(marker) ?? 0) === 0) {
          open.marker = marker;
          parts.push(marker);
        }
        if (marker) inline.set(marker, (inline.get(marker) ?? 0) + 1);
      }
    },
    ontext(text) {
      head.ontext(text);
      if (skipping > 0) return;
      if (pre > 0) {
        if (format === 'html') parts.push(escapeHtml(text));
        else preText += text;
        return;
      }
      const flat = text.replace(/\s+/g, ' ');
      parts.push(format === 'html' ? escapeHtml(flat) : markdown ? escapeMarkdown(flat) : flat);
    },
    onclosetag(name) {
      head.onclosetag(name);
      const open = stack.pop();
      if (!open) return;
      if (open.skipped) {
        skipping--;
        return;
      }
      if (format === 'html') {
        if (open.written) {
          parts.push(`</${name}>`);
          written--;
        }
        if (name === 'pre' && pre > 0) pre--;
        return;
      }
      if (pre > 0 && name !== 'pre') return;
      if (/^h[1-6]$/.test(name) || BLOCKS.has(name) || name === 'hr') {
        block();
      } else if (name === 'ul' || name === 'ol') {
        if (lists[lists.length - 1] === open) lists.pop();
        if (lists.length === 0) block('\n');
      } else if (name === 'tr') {
        if (rows[rows.length - 1] === open) rows.pop();
      } else if (name === 'pre') {
        pre--;
        const text = preText.replace(/\n+$/, '');
        const fence = text.includes('```') ? '~~~' : '```';
        preformatted.push(markdown ? `${fence}\n${text}\n${fence}` : text);
        block(`\n\n\uE000${preformatted.length - 1}\uE000\n\n`);
      } else if (name === 'a' && open.href && open.start !== undefined) {
        const text = collapse(parts.splice(open.start).join(''));
        if (text) parts.push(`[${text}](${open.href.replace(/[()\s]/g, encodeURIComponent)})`);
      } else {
        const marker = markerFor(name);
        if (marker) inline.set(marker, Math.max(0, (inline.get(marker) ?? 0) - 1));
        if (open.marker) parts.push(open.marker);
      }
    },
  });
  try {
    parser.write(html);
    parser.end();
  } catch (error) {
    if (error !== STOP) throw error;
    // Cut short: what is still open keeps its text (a preformatted block included).
    if (pre > 0 && format !== 'html') {
      preformatted.push(preText);
      parts.push(`\n\n\uE000${preformatted.length - 1}\uE000\n\n`);
    }
  }

  let content = parts.join('');
  if (format === 'html') {
    content = content.replace(/\s{2,}/g, ' ').trim();
  } else {
    content = content
      .replace(/(\*\*|_|`)\s*\1/g, '')
      .replace(/ {2,}/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/\uE000(\d+)\uE000/g, (_match, index: string) => preformatted[Number(index)] ?? '')
      .replaceAll(INDENT, '  ')
      .trim();
  }
  return { content, title: head.title(), cut };
}

function siteOf(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: false }) ?? hostname;
}

/**
 * Every http(s) link of a page in one pass, in document order, deduplicated by URL (the first text wins), without
 * links to the page itself: what `extractLinks` of the DOM path returns, for pages past its limits.
 */
export function extractLinksStreaming(
  html: string,
  pageUrl: string,
): { title: string | undefined; links: PageLink[]; cut: boolean } {
  const head = headReader(pageUrl);
  const self = new URL(pageUrl);
  self.hash = '';
  const site = siteOf(self.hostname);
  const seen = new Map<string, PageLink>();
  interface Anchor {
    url: URL | undefined;
    text: string;
    label: string;
    alt: string;
    title: string;
    rel: string | undefined;
  }
  const anchors: Anchor[] = [];
  let elements = 0;
  let cut = false;
  const add = (anchor: Anchor): void => {
    const url = anchor.url;
    if (!url) return;
    const text = (collapse(anchor.text) || anchor.label || anchor.alt || anchor.title).slice(0, 300);
    const existing = seen.get(url.href);
    if (existing) {
      if (!existing.text && text) existing.text = text;
      return;
    }
    const link: PageLink = { url: url.href, text, sameSite: siteOf(url.hostname) === site };
    if (anchor.rel) link.rel = anchor.rel;
    seen.set(url.href, link);
  };
  const linkUrl = (href: string | undefined): URL | undefined => {
    if (href === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(href.trim(), head.baseUrl);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href === self.href || url.username || url.password ? undefined : url;
  };
  const parser = createParser({
    onopentag(name, attributes) {
      if (++elements > MAX_STREAM_ELEMENTS) {
        cut = true;
        throw STOP;
      }
      head.onopentag(name, attributes);
      if (name === 'a' || name === 'area') {
        const anchor: Anchor = {
          url: linkUrl(attributes.href),
          text: '',
          label: collapse(attributes['aria-label'] ?? ''),
          alt: name === 'area' ? collapse(attributes.alt ?? '') : '',
          title: collapse(attributes.title ?? ''),
          rel: attributes.rel?.trim() || undefined,
        };
        if (name === 'area') add(anchor);
        else anchors.push(anchor);
      } else if (name === 'img' && attributes.alt) {
        const anchor = anchors[anchors.length - 1];
        if (anchor && !anchor.alt) anchor.alt = collapse(attributes.alt);
      }
    },
    ontext(text) {
      head.ontext(text);
      const anchor = anchors[anchors.length - 1];
      if (anchor && anchor.text.length < 1000) anchor.text += text;
    },
    onclosetag(name) {
      head.onclosetag(name);
      if (name !== 'a') return;
      const anchor = anchors.pop();
      if (anchor) add(anchor);
    },
  });
  try {
    parser.write(html);
    parser.end();
  } catch (error) {
    if (error !== STOP) throw error;
  }
  return { title: head.title(), links: [...seen.values()], cut };
}

/** The title of a page (`<title>`, else `og:title`, else the first `<h1>`), read without building a DOM. */
export function titleOf(html: string, pageUrl: string): string | undefined {
  const head = headReader(pageUrl);
  const parser = createParser({
    onopentag: (name, attributes) => head.onopentag(name, attributes),
    ontext: (text) => head.ontext(text),
    onclosetag(name) {
      head.onclosetag(name);
      // A <title> wins over the rest; else the first <h1> ends the search (og:title, in the head, came before).
      if ((name === 'title' || name === 'h1') && head.title()) throw STOP;
    },
  });
  try {
    parser.write(html);
    parser.end();
  } catch (error) {
    if (error !== STOP) throw error;
  }
  return head.title();
}
