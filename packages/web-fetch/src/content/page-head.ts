/**
 * The head of a page read by a one-pass reader: its title and base URL, and the small text helpers the readers share.
 */
import { createParser, STOP } from './linear-parser.js';

/** An absolute http(s) or mailto URL for `value` against `base`, or undefined. */
export function resolveUrl(value: string | undefined, base: URL): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Whitespace runs collapsed to one space, trimmed. */
export const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The head of a page: its title and base URL, read by the same pass as the rest. */
interface HeadReader {
  onopentag(name: string, attributes: Record<string, string>): void;
  ontext(text: string): void;
  onclosetag(name: string): void;
  readonly baseUrl: URL;
  title(): string | undefined;
}

/** A reader of the head, fed the same parser events as the rest of the pass. */
export function headReader(pageUrl: string): HeadReader {
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
