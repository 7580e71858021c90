/**
 * The web reader: fetch (through the guarded fetcher), render, page. Long documents are kept for a while as
 * snapshots, so a cursor continues the very document the first call saw, without fetching it again; when a
 * snapshot has expired (or another replica serves the call), the URL is fetched again and the result says so.
 */
import { randomUUID } from 'node:crypto';
import { decodeBody } from '../content/charset.js';
import type { PageLink } from '../content/page-link.js';
import type { Fetcher, FetchResponse, RedirectHop } from '../http/fetcher.js';
import { lazyLru } from '../http/lazy-lru.js';
import { lazy } from '../lazy.js';
import { FetchError } from '../policy/fetch-error.js';
import type { Format } from './formats.js';
import { decodeCursor, encodeCursor, fingerprint, takeWindow } from './paging.js';
import type { ContentKind } from './render.js';

// The HTML parser (linkedom), Readability, tldts and turndown: loaded by the first read that needs them.
const loadRender = lazy(() => import('./render.js'));
const loadHtml = lazy(() => import('../content/html-page.js'));
const loadStream = lazy(() => import('../content/html-stream.js'));

/** Options of {@link createWebReader}. */
export interface WebReaderOptions {
  fetcher: Fetcher;
  /** Characters per call when the call does not say. */
  defaultMaxLength: number;
  /** Time limit when the call does not say. */
  timeoutMs: number;
  /** Highest time limit a call may ask for. */
  maxTimeoutMs: number;
  /** How long a snapshot for cursors is kept; default 15 minutes. */
  snapshotTtlMs?: number;
  /** Total characters kept in snapshots (LRU); default 8 million (about 16 MB). */
  snapshotMaxChars?: number;
  /** The fetcher's body cap, for messages. */
  maxBytes?: number;
}

/** What the response said, shared by every result. */
export interface ResponseFacts {
  url: string;
  finalUrl: string;
  status: number;
  statusText: string;
  redirects: RedirectHop[];
  contentType: string | undefined;
  headers: Record<string, string>;
  /** Body bytes read (after decompression). */
  bytes: number;
  /** True when the body was cut at the configured maxBytes. */
  bodyTruncated: boolean;
}

/** One read. */
export interface ReadRequest {
  url: string;
  format: Format;
  mainContent: boolean;
  maxLength?: number;
  cursor?: string;
  timeoutMs?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | undefined) => void;
  /** Check robots.txt; default the fetcher's setting. A user-initiated fetch (the prompt) passes false. */
  robots?: boolean;
}

/** A read: the facts, and one window of the rendered content. */
export interface ReadResult extends ResponseFacts {
  format: Format;
  kind: ContentKind;
  title: string | undefined;
  charset: string | undefined;
  extraction: string;
  /** Total characters of the rendered content. */
  length: number;
  /** Offset of this window in the rendered content. */
  start: number;
  /** True when content remains after this window. */
  truncated: boolean;
  nextCursor: string | undefined;
  content: string;
  /** Things worth knowing (charset trouble, cut bodies, re-fetches). */
  notes: string[];
}

/** One listing of links. */
export interface LinksRequest {
  url: string;
  sameSiteOnly?: boolean;
  limit: number;
  cursor?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | undefined) => void;
}

/** A page of links. */
export interface LinksResult extends ResponseFacts {
  title: string | undefined;
  /** Links found (after the same-site filter). */
  total: number;
  start: number;
  links: PageLink[];
  truncated: boolean;
  nextCursor: string | undefined;
  notes: string[];
}

/** Reads pages for tools and prompts. */
export interface WebReader {
  read(request: ReadRequest): Promise<ReadResult>;
  links(request: LinksRequest): Promise<LinksResult>;
}

interface DocumentSnapshot {
  type: 'document';
  print: string;
  facts: ResponseFacts;
  rendered: { kind: ContentKind; title: string | undefined; charset: string | undefined; extraction: string };
  content: string;
  notes: string[];
}

interface LinksSnapshot {
  type: 'links';
  print: string;
  facts: ResponseFacts;
  title: string | undefined;
  links: PageLink[];
  notes: string[];
}

type Snapshot = DocumentSnapshot | LinksSnapshot;

function facts(response: FetchResponse): ResponseFacts {
  return {
    url: response.url,
    finalUrl: response.finalUrl,
    status: response.status,
    statusText: response.statusText,
    redirects: response.redirects,
    contentType: response.headers['content-type'],
    headers: response.headers,
    bytes: response.body.length,
    bodyTruncated: response.bodyTruncated,
  };
}

function httpError(response: FetchResponse): FetchError {
  const status = response.status;
  let excerpt = '';
  if (response.body.length > 0 && response.bodyClass !== 'binary') {
    excerpt = decodeBody(response.body.subarray(0, 4096), response.charsetLabel, response.bodyClass)
      .text.replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
  }
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  const hint =
    status === 404 || status === 410
      ? 'The page does not exist (any more): check the URL, or look for it from the site’s home page.'
      : status === 401 || status === 403
        ? 'The server refuses access to this page; it may need a login this tool does not have.'
        : status === 429
          ? `The server is rate-limiting${response.headers['retry-after'] ? ` (Retry-After: ${response.headers['retry-after']})` : ''}; wait before trying again.`
          : retryable
            ? 'The server had a problem; try again later.'
            : 'Check the URL and the request.';
  return new FetchError(
    `${response.finalUrl} answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}.${excerpt ? ` The page says: "${excerpt}"` : ''}`,
    {
      code: 'http_error',
      kind: 'http',
      retryable,
      hint,
      details: { status, url: response.url, finalUrl: response.finalUrl, redirects: response.redirects },
    },
  );
}

function notesOf(
  response: FetchResponse,
  maxBytes: number | undefined,
  charsetNote?: string,
  renderNote?: string,
): string[] {
  const notes: string[] = [];
  if (response.bodyTruncated) {
    notes.push(
      `The body is larger than this server's limit${maxBytes ? ` of ${maxBytes} bytes` : ''}; only its beginning was downloaded and is shown.`,
    );
  }
  if (charsetNote) notes.push(`Character encoding: ${charsetNote}.`);
  if (renderNote) notes.push(renderNote);
  return notes;
}

/**
 * Create the reader.
 *
 * @example
 * const reader = createWebReader({ fetcher, defaultMaxLength: 20_000, timeoutMs: 30_000, maxTimeoutMs: 120_000 });
 * const first = await reader.read({ url: 'https://example.com/', format: 'markdown', mainContent: true });
 * if (first.nextCursor) await reader.read({ url: first.url, format: 'markdown', mainContent: true, cursor: first.nextCursor });
 */
export function createWebReader(options: WebReaderOptions): WebReader {
  const snapshots = lazyLru<string, Snapshot>({
    maxSize: options.snapshotMaxChars ?? 8_000_000,
    ttl: options.snapshotTtlMs ?? 15 * 60 * 1000,
    sizeCalculation: (snapshot) =>
      Math.max(
        1,
        snapshot.type === 'document'
          ? snapshot.content.length
          : snapshot.links.reduce((sum, link) => sum + link.url.length + link.text.length + 16, 0),
      ),
  });

  const timeoutOf = (requested: number | undefined): number =>
    Math.min(requested ?? options.timeoutMs, options.maxTimeoutMs);

  const resolveCursor = (cursor: string | undefined, print: string): { offset: number; snapshot?: Snapshot } => {
    if (cursor === undefined) return { offset: 0 };
    const state = decodeCursor(cursor);
    if (!state) {
      throw new FetchError('The cursor is not valid.', {
        code: 'invalid_cursor',
        kind: 'input',
        hint: 'Pass nextCursor exactly as a previous result gave it, or leave cursor out to start from the beginning.',
      });
    }
    if (state.fingerprint !== print) {
      throw new FetchError('The cursor belongs to a different request (another URL, format or option).', {
        code: 'invalid_cursor',
        kind: 'input',
        hint: 'Repeat the url and options of the call that returned this cursor, or leave cursor out.',
      });
    }
    const snapshot = snapshots().get(state.snapshot);
    return snapshot && snapshot.print === print ? { offset: state.offset, snapshot } : { offset: state.offset };
  };

  const fetchResponse = async (
    request: Pick<
      ReadRequest,
      'url' | 'method' | 'headers' | 'body' | 'timeoutMs' | 'signal' | 'onProgress' | 'robots'
    >,
  ): Promise<FetchResponse> => {
    const response = await options.fetcher.fetch({
      url: request.url,
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      timeoutMs: timeoutOf(request.timeoutMs),
      signal: request.signal,
      onProgress: request.onProgress,
      robots: request.robots,
    });
    if (response.status >= 400) throw httpError(response);
    return response;
  };

  return {
    async read(request) {
      const maxLength = request.maxLength ?? options.defaultMaxLength;
      const method = (request.method ?? 'GET').toUpperCase();
      const print = fingerprint([
        'read',
        request.url,
        request.format,
        request.mainContent,
        method,
        request.headers ?? {},
      ]);
      const resumed = resolveCursor(request.cursor, print);
      let snapshot = resumed.snapshot?.type === 'document' ? resumed.snapshot : undefined;
      const notes: string[] = [];
      if (!snapshot) {
        if (request.cursor !== undefined) {
          notes.push('The earlier copy of this document expired, so it was fetched again; it may have changed.');
        }
        const response = await fetchResponse(request);
        const { renderResponse } = await loadRender();
        const rendered = renderResponse(response, request.format, request.mainContent);
        snapshot = {
          type: 'document',
          print,
          facts: facts(response),
          rendered: {
            kind: rendered.kind,
            title: rendered.title,
            charset: rendered.charset,
            extraction: rendered.extraction,
          },
          content: rendered.content,
          notes: notesOf(response, options.maxBytes, rendered.charsetNote, rendered.renderNote),
        };
      }
      const window = takeWindow(snapshot.content, resumed.offset, maxLength);
      let nextCursor: string | undefined;
      if (window.more) {
        const id = resumed.snapshot ? (decodeCursor(request.cursor ?? '')?.snapshot ?? randomUUID()) : randomUUID();
        if (!snapshots().has(id)) snapshots().set(id, snapshot);
        nextCursor = encodeCursor({ snapshot: id, offset: window.end, fingerprint: print });
      }
      return {
        ...snapshot.facts,
        format: request.format,
        kind: snapshot.rendered.kind,
        title: snapshot.rendered.title,
        charset: snapshot.rendered.charset,
        extraction: snapshot.rendered.extraction,
        length: snapshot.content.length,
        start: window.start,
        truncated: window.more,
        nextCursor,
        content: window.text,
        notes: [...snapshot.notes, ...notes],
      };
    },

    async links(request) {
      const print = fingerprint(['links', request.url, request.sameSiteOnly ?? false]);
      const resumed = resolveCursor(request.cursor, print);
      let snapshot = resumed.snapshot?.type === 'links' ? resumed.snapshot : undefined;
      const notes: string[] = [];
      if (!snapshot) {
        if (request.cursor !== undefined) {
          notes.push('The earlier copy of this page expired, so it was fetched again; its links may have changed.');
        }
        const response = await fetchResponse({ ...request, method: 'GET' });
        if (response.bodyClass !== 'html') {
          throw new FetchError(
            `${response.finalUrl} is not an HTML page (${response.sniffedMediaType ?? response.mediaType ?? 'unknown type'}), so it has no links to list.`,
            {
              code: 'not_html',
              kind: 'input',
              hint: 'Use the fetch tool to read it instead.',
              details: { contentType: response.headers['content-type'] ?? null },
            },
          );
        }
        const decoded = decodeBody(response.body, response.charsetLabel, 'html');
        const stream = await loadStream();
        let found: { title: string | undefined; links: PageLink[] };
        let renderNote: string | undefined;
        // As for reading: past the DOM path's limits, one pass without a DOM.
        if (stream.measureMarkup(decoded.text).over) {
          const streamed = stream.extractLinksStreaming(decoded.text, response.finalUrl);
          found = streamed;
          if (streamed.cut) {
            const max = stream.MAX_STREAM_ELEMENTS.toLocaleString('en-US');
            renderNote = `The page has more than ${max} elements; only the links among its first ${max} are listed.`;
          }
        } else {
          const { extractLinks, parsePage } = await loadHtml();
          const page = parsePage(decoded.text, response.finalUrl);
          found = { title: page.title, links: extractLinks(page, response.finalUrl) };
        }
        snapshot = {
          type: 'links',
          print,
          facts: facts(response),
          title: found.title,
          links: request.sameSiteOnly ? found.links.filter((link) => link.sameSite) : found.links,
          notes: notesOf(response, options.maxBytes, decoded.note, renderNote),
        };
      }
      const start = Math.min(resumed.offset, snapshot.links.length);
      const end = Math.min(snapshot.links.length, start + request.limit);
      let nextCursor: string | undefined;
      if (end < snapshot.links.length) {
        const id = resumed.snapshot ? (decodeCursor(request.cursor ?? '')?.snapshot ?? randomUUID()) : randomUUID();
        if (!snapshots().has(id)) snapshots().set(id, snapshot);
        nextCursor = encodeCursor({ snapshot: id, offset: end, fingerprint: print });
      }
      return {
        ...snapshot.facts,
        title: snapshot.title,
        total: snapshot.links.length,
        start,
        links: snapshot.links.slice(start, end),
        truncated: end < snapshot.links.length,
        nextCursor,
        notes: [...snapshot.notes, ...notes],
      };
    },
  };
}
