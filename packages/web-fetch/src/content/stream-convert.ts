/**
 * A page converted in one pass without a DOM ({@link convertStreaming}): Markdown, text or cleaned HTML.
 */
import { createParser, STOP } from './linear-parser.js';
import { MAX_STREAM_ELEMENTS } from './markup-shape.js';
import { collapse, headReader, resolveUrl } from './page-head.js';

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
