/**
 * The body of a final (non-redirect) response read into a {@link FetchResponse}: decoded as the server encoded it,
 * cut at `maxBytes` while streaming, sniffed when the Content-Type does not say whether it is text, not downloaded
 * when it is binary, with progress reported as it arrives. A body read whole leaves its socket to the keep-alive pool.
 */
import type http from 'node:http';
import type { Readable } from 'node:stream';
import { type BodyClass, classifyMediaType, parseMediaType, sniffBody } from '../content/media-type.js';
import { BodyBuffer } from './body-buffer.js';
import type { Phase } from './classify-error.js';
import { checkCodings, decodedStream, decodeError, isDecodeError, parseCodings } from './content-coding.js';
import type { FetchRequest, FetchResponse, RedirectHop } from './fetcher.js';
import type { HopResult } from './hop-sender.js';

const PROGRESS_STEP = 256 * 1024;
const SNIFF_BYTES = 512;

const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'content-language',
  'content-disposition',
  'last-modified',
  'etag',
  'cache-control',
  'expires',
  'date',
  'age',
  'server',
  'location',
  'retry-after',
  'x-robots-tag',
  'link',
] as const;

function keptHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, 1000);
  }
  return out;
}

/** How far a fetch got, kept up to date for the error a failure becomes. */
export interface FetchProgress {
  phase: Phase;
  /** Bytes of body received so far. */
  received: number;
}

/** What {@link readResponse} needs besides the hop. */
export interface ResponseContext {
  request: FetchRequest;
  /** The URL first asked for, and the one that answered. */
  requestedUrl: string;
  url: URL;
  method: string;
  status: number;
  redirects: RedirectHop[];
  /** `internal` is the pack's own robots.txt fetch, always read as text. */
  limits: { maxBytes: number; internal?: boolean };
  progress: FetchProgress;
}

/** Read the final response of a fetch. */
export async function readResponse(hop: HopResult, context: ResponseContext): Promise<FetchResponse> {
  const { response, request: stream } = hop;
  const { request, requestedUrl, url, method, status, redirects, limits, progress } = context;
  let received = 0;
  const media = parseMediaType(response.headers['content-type']);
  let bodyClass: BodyClass = limits.internal ? 'text' : classifyMediaType(media?.essence);
  const declared = Number(response.headers['content-length']);
  const declaredLength = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
  const exact = response.headers['content-encoding'] === undefined ? declaredLength : undefined;
  const collected = new BodyBuffer(limits.maxBytes, exact);
  let sniffedMediaType: string | undefined;
  progress.phase = 'reading the body';
  let decoded: Readable | undefined;
  if (method !== 'HEAD' && bodyClass !== 'binary') {
    const codings = parseCodings(response.headers['content-encoding']);
    checkCodings(codings, url.host);
    decoded = decodedStream(stream as unknown as Readable, codings);
    let nextProgress = PROGRESS_STEP;
    try {
      for await (const chunk of decoded as AsyncIterable<Buffer>) {
        const more = collected.push(chunk);
        received = collected.length;
        progress.received = received;
        if (received >= nextProgress) {
          request.onProgress?.(received, declaredLength);
          nextProgress = received + PROGRESS_STEP;
        }
        if (bodyClass === 'unknown' && received >= SNIFF_BYTES) {
          const sniffed = sniffBody(collected.bytes());
          if (sniffed.kind === 'binary') {
            bodyClass = 'binary';
            sniffedMediaType = sniffed.mediaType;
            break;
          }
          bodyClass = 'text';
        }
        if (!more) break;
      }
    } catch (error) {
      if (isDecodeError(error)) throw decodeError(codings, url.host, error);
      throw error;
    }
  }
  const ended = (decoded ?? stream).readableEnded;
  // A fully read response leaves its socket to the keep-alive pool; one cut short must not be reused.
  if (decoded && !decoded.readableEnded) decoded.destroy();
  if (!stream.readableEnded) stream.destroy();
  const bodyTruncated = collected.truncated || (collected.length >= limits.maxBytes && !ended);
  let body = collected.bytes();
  if (bodyClass === 'unknown') {
    const sniffed = body.length > 0 ? sniffBody(body) : ({ kind: 'text' } as const);
    bodyClass = sniffed.kind === 'binary' ? 'binary' : 'text';
    if (sniffed.kind === 'binary') sniffedMediaType = sniffed.mediaType;
  }
  if (bodyClass === 'binary') body = Buffer.alloc(0);
  if (received > 0) request.onProgress?.(received, declaredLength);
  return {
    url: requestedUrl,
    finalUrl: url.href,
    status,
    statusText: response.statusMessage ?? '',
    redirects,
    headers: keptHeaders(response.headers),
    mediaType: media?.essence,
    charsetLabel: media?.charset,
    bodyClass,
    sniffedMediaType,
    body,
    bodyTruncated,
    declaredLength,
  };
}
