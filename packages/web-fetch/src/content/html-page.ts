/// <reference lib="dom" />
/**
 * An HTML page as the model should see it: parsed with linkedom (a light, fast DOM; jsdom is 3–5 times slower to
 * build and ten times larger to install), stripped of what never carries content (scripts, styles, SVG, hidden
 * elements, form controls), and narrowed to the main content.
 *
 * Main content: a page with exactly one `<main>` (or `role="main"`), or else exactly one `<article>`, that holds
 * most of the text is taken at its word, minus navigation and asides; any other page goes through Mozilla's
 * Readability (the algorithm behind Firefox Reader View). Landmarks come first because Readability costs about a
 * second per megabyte of markup, while a page that marks its main content is already telling us where it is.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { getDomain } from 'tldts';
import type { PageLink } from './page-link.js';

/**
 * Most elements, and most links, a page may have for Readability: on linkedom it costs more than linearly, up to
 * half a millisecond per link on a page of links (each candidate's link density walks its subtree). Past either,
 * a page without landmarks is converted whole (minus navigation, asides and forms), as when Readability finds
 * nothing.
 */
export const READABILITY_MAX_ELEMENTS = 3000;
export const READABILITY_MAX_LINKS = 1000;

/** How the main content was found. */
export type Extraction = 'landmark' | 'readability' | 'page';

/** A parsed page. */
export interface HtmlPage {
  readonly document: Document;
  /** The base URL for relative links: `<base href>` when valid, else the page URL. */
  readonly baseUrl: URL;
  /** `<title>`, else `og:title`, else the first `<h1>`. */
  readonly title: string | undefined;
  /** `<html lang>`, if set. */
  readonly lang: string | undefined;
}

/** Elements that never carry readable content. */
const NOISE =
  'script,style,noscript,template,svg,canvas,iframe,frame,frameset,object,embed,applet,dialog,link,meta,' +
  'input,select,textarea,button,option,[hidden],[aria-hidden="true"]';

/** Page furniture dropped from the main content. */
const BOILERPLATE =
  'nav,aside,footer,form,[role="navigation"],[role="complementary"],[role="search"],[role="contentinfo"],' +
  '[role="banner"],[role="dialog"],[aria-modal="true"]';

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Parse HTML into a page. Fragments without `<html>` are wrapped, so they get a body like any page. */
export function parsePage(html: string, pageUrl: string): HtmlPage {
  const source = /<html[\s>]/i.test(html.slice(0, 4096))
    ? html
    : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const { document } = parseHTML(source) as unknown as { document: Document };
  let baseUrl = new URL(pageUrl);
  const baseHref = document.querySelector('base[href]')?.getAttribute('href');
  if (baseHref) {
    try {
      const candidate = new URL(baseHref, pageUrl);
      if (candidate.protocol === 'http:' || candidate.protocol === 'https:') baseUrl = candidate;
    } catch {
      // an invalid <base> is ignored, as browsers do
    }
  }
  const title =
    collapse(document.querySelector('title')?.textContent ?? '') ||
    collapse(document.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? '') ||
    collapse(document.querySelector('h1')?.textContent ?? '') ||
    undefined;
  const lang = document.documentElement?.getAttribute('lang')?.trim() || undefined;
  return { document, baseUrl, title, lang };
}

function removeAll(root: ParentNode, selector: string): void {
  for (const element of Array.from(root.querySelectorAll(selector))) element.remove();
}

function textLength(element: Element | null | undefined): number {
  return element ? collapse(element.textContent ?? '').length : 0;
}

/** Make every link and image URL absolute; drop `javascript:` links and inline event handlers and styles. */
function absolutize(root: Element, baseUrl: URL): void {
  const resolve = (value: string): string | undefined => {
    try {
      return new URL(value.trim(), baseUrl).href;
    } catch {
      return undefined;
    }
  };
  for (const element of Array.from(root.querySelectorAll('[href],[src]'))) {
    for (const name of ['href', 'src']) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const absolute = resolve(value);
      if (!absolute || /^(javascript|vbscript|data):/i.test(absolute)) element.removeAttribute(name);
      else element.setAttribute(name, absolute);
    }
  }
  for (const element of [root, ...Array.from(root.querySelectorAll('*'))]) {
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcset') element.removeAttribute(attribute.name);
    }
  }
}

/** The content a format is made from, and how it was found. */
export interface MainContent {
  root: Element;
  extraction: Extraction;
  /** Readability's byline, when it ran and found one. */
  byline: string | undefined;
}

/**
 * Find the content to convert. With `mainContent` false, the whole body (without scripts, styles and hidden
 * elements). Mutates the page's document.
 */
export function selectContent(page: HtmlPage, mainContent: boolean): MainContent {
  const { document } = page;
  removeAll(document, NOISE);
  const body = document.body ?? document.documentElement;
  if (!mainContent) {
    absolutize(body, page.baseUrl);
    return { root: body, extraction: 'page', byline: undefined };
  }

  const mains = document.querySelectorAll('main,[role="main"]');
  const articles = document.querySelectorAll('article');
  const landmark = mains.length === 1 ? mains[0] : articles.length === 1 ? articles[0] : undefined;
  if (landmark) {
    const total = textLength(body);
    const own = textLength(landmark);
    if (own >= 200 && own >= total * 0.3) {
      removeAll(landmark, BOILERPLATE);
      absolutize(landmark, page.baseUrl);
      return { root: landmark, extraction: 'landmark', byline: undefined };
    }
  }

  // Readability's own maxElemsToParse counts getElementsByTagName('*'), which linkedom answers with nothing.
  const article =
    document.querySelectorAll('*').length <= READABILITY_MAX_ELEMENTS &&
    document.querySelectorAll('a').length <= READABILITY_MAX_LINKS
      ? new Readability<Element>(document, { serializer: (node) => node as Element, charThreshold: 250 }).parse()
      : null;
  if (article?.content && textLength(article.content) >= 100) {
    absolutize(article.content, page.baseUrl);
    return { root: article.content, extraction: 'readability', byline: article.byline ?? undefined };
  }
  // Readability gave up (too little text, or an unusual layout): fall back to the whole body.
  removeAll(body, BOILERPLATE);
  absolutize(body, page.baseUrl);
  return { root: body, extraction: 'page', byline: undefined };
}

const BLOCKS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TR',
  'UL',
]);

/** Plain text of an element: paragraphs and list items on their own lines, table cells separated by tabs. */
export function toPlainText(root: Element): string {
  const parts: string[] = [];
  const preformatted: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      parts.push((node.nodeValue ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as Element;
    const tag = element.tagName.toUpperCase();
    if (tag === 'BR') {
      parts.push('\n');
      return;
    }
    if (tag === 'PRE') {
      // Kept aside so whitespace clean-up below cannot touch it.
      preformatted.push((element.textContent ?? '').replace(/\n+$/, ''));
      parts.push(`\n\n\uE000${preformatted.length - 1}\uE000\n\n`);
      return;
    }
    if (tag === 'TD' || tag === 'TH') parts.push(element.previousElementSibling ? '\t' : '');
    const block = BLOCKS.has(tag);
    if (block) parts.push(tag === 'LI' ? '\n- ' : tag === 'UL' || tag === 'OL' || tag === 'TR' ? '\n' : '\n\n');
    for (let child = element.firstChild; child; child = child.nextSibling) walk(child);
    if (block && tag !== 'TR' && tag !== 'LI') parts.push('\n');
  };
  walk(root);
  return parts
    .join('')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n(- [^\n]*)\n\n(?=- )/g, '\n$1\n')
    .replace(/\uE000(\d+)\uE000/g, (_match, index: string) => preformatted[Number(index)] ?? '')
    .trim();
}

function siteOf(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: false }) ?? hostname;
}

/**
 * Every http(s) link of a page, in document order, deduplicated by URL (the first text wins), without links to
 * the page itself. Reads the document as parsed: call it before {@link selectContent}, which mutates it.
 */
export function extractLinks(page: HtmlPage, pageUrl: string): PageLink[] {
  const self = new URL(pageUrl);
  self.hash = '';
  const site = siteOf(self.hostname);
  const seen = new Map<string, PageLink>();
  for (const anchor of Array.from(page.document.querySelectorAll('a[href],area[href]'))) {
    let url: URL;
    try {
      url = new URL((anchor.getAttribute('href') ?? '').trim(), page.baseUrl);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    url.hash = '';
    if (url.href === self.href || url.username || url.password) continue;
    const text =
      collapse(anchor.textContent ?? '') ||
      collapse(anchor.getAttribute('aria-label') ?? '') ||
      collapse(anchor.querySelector('img[alt]')?.getAttribute('alt') ?? '') ||
      collapse(anchor.getAttribute('title') ?? '');
    const existing = seen.get(url.href);
    if (existing) {
      if (!existing.text && text) existing.text = text.slice(0, 300);
      continue;
    }
    const link: PageLink = { url: url.href, text: text.slice(0, 300), sameSite: siteOf(url.hostname) === site };
    const rel = anchor.getAttribute('rel')?.trim();
    if (rel) link.rel = rel;
    seen.set(url.href, link);
  }
  return [...seen.values()];
}
