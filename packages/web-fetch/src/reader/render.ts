/**
 * From a fetched response to the text a model reads, in the format asked for: Markdown, plain text or cleaned
 * HTML of the main content; the raw body; pretty-printed JSON; a short description of a binary.
 */
import { decodeBody } from '../content/charset.js';
import { type Extraction, parsePage, selectContent, toPlainText } from '../content/html-page.js';
import { convertStreaming, measureMarkup, streamedNote, titleOf } from '../content/html-stream.js';
import { toMarkdown } from '../content/markdown.js';
import { describeMediaType } from '../content/media-type.js';
import type { FetchResponse } from '../http/fetcher.js';
import { type Format, formatBytes } from './formats.js';

/** What kind of body the content came from. */
export type ContentKind = 'html' | 'json' | 'xml' | 'text' | 'binary' | 'empty';

/** A rendered document, before paging. */
export interface RenderedDocument {
  content: string;
  kind: ContentKind;
  title: string | undefined;
  charset: string | undefined;
  /** Set when the declared charset was wrong or unknown. */
  charsetNote: string | undefined;
  /**
   * How the main content was found (HTML in markdown, text or html format): `streamed` for a page past the DOM
   * path's limits, converted whole in one pass; else `none`.
   */
  extraction: Extraction | 'streamed' | 'none';
  /** Set when the page was streamed: why. */
  renderNote?: string;
}

/** How deep JSON may nest to be pretty-printed. */
const MAX_JSON_DEPTH = 1000;

/** True when `[` and `{` nest deeper than `max` in `text`, outside strings (a linear scan, no parse). */
function jsonDepthOver(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Render a response. Pure apart from parsing: no I/O. */
export function renderResponse(response: FetchResponse, format: Format, mainContent: boolean): RenderedDocument {
  const base = { title: undefined, charset: undefined, charsetNote: undefined, extraction: 'none' as const };
  if (response.bodyClass === 'binary') {
    const mediaType = response.sniffedMediaType ?? response.mediaType ?? 'application/octet-stream';
    const size = response.declaredLength === undefined ? 'of unknown size' : formatBytes(response.declaredLength);
    const name = response.headers['content-disposition']?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)/i)?.[1];
    return {
      ...base,
      kind: 'binary',
      content:
        `This URL returns ${describeMediaType(mediaType)}, ${size}${name ? `, named "${decodeURIComponent(name)}"` : ''}. ` +
        'Its bytes are not shown: this tool returns text only, and the body was not downloaded.',
    };
  }
  if (response.body.length === 0) return { ...base, kind: 'empty', content: '' };

  const decoded = decodeBody(response.body, response.charsetLabel, response.bodyClass);
  const common = { charset: decoded.charset, charsetNote: decoded.note };
  switch (response.bodyClass) {
    case 'html': {
      if (format === 'raw') {
        return {
          ...base,
          ...common,
          kind: 'html',
          title: titleOf(decoded.text, response.finalUrl),
          content: decoded.text,
        };
      }
      // The DOM path costs more than linearly in the page and recurses per level of nesting: past its limits, one
      // pass without a DOM, whatever the page's shape.
      const shape = measureMarkup(decoded.text);
      if (shape.over) {
        const streamed = convertStreaming(decoded.text, response.finalUrl, format, mainContent);
        return {
          ...common,
          kind: 'html',
          title: streamed.title,
          extraction: 'streamed',
          renderNote: streamedNote(shape, streamed.cut),
          content: streamed.content,
        };
      }
      const page = parsePage(decoded.text, response.finalUrl);
      const selected = selectContent(page, mainContent);
      const content =
        format === 'markdown'
          ? toMarkdown(selected.root)
          : format === 'text'
            ? toPlainText(selected.root)
            : selected.root.outerHTML;
      return { ...common, kind: 'html', title: page.title, extraction: selected.extraction, content };
    }
    case 'json': {
      if (format === 'raw') return { ...base, ...common, kind: 'json', content: decoded.text };
      // Pretty-printing recurses per level: JSON nested past MAX_JSON_DEPTH is shown as it came, without parsing.
      if (jsonDepthOver(decoded.text, MAX_JSON_DEPTH)) {
        return {
          ...base,
          ...common,
          kind: 'json',
          content: decoded.text,
          renderNote: `The JSON nests deeper than ${MAX_JSON_DEPTH} levels; it is shown as it came, not pretty-printed.`,
        };
      }
      try {
        return { ...base, ...common, kind: 'json', content: JSON.stringify(JSON.parse(decoded.text), null, 2) };
      } catch {
        // Not valid JSON (or cut at maxBytes): show it as it came.
        return { ...base, ...common, kind: 'json', content: decoded.text };
      }
    }
    case 'xml':
      return { ...base, ...common, kind: 'xml', content: decoded.text };
    default:
      return { ...base, ...common, kind: 'text', content: decoded.text };
  }
}
