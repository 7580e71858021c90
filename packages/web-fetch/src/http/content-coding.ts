/**
 * Content codings (`Content-Encoding`), decoded here rather than by got, so that the pack decides what it accepts:
 * only the codings it asked for, at most two of them (`gzip, gzip` happens; five hundred stacked gzips do not), a
 * zstd window of at most 8 MB (RFC 9659; a frame may otherwise make the decoder reserve 128 MB or more), and a
 * server that sends a coding nobody asked for gets an error instead of its compressed bytes shown as text. The size
 * cap counts what comes out of the decoders (see the fetcher), so a bomb stops at `maxBytes` like any body.
 */
import { Duplex, PassThrough, pipeline, type Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { FetchError } from '../policy/fetch-error.js';

const zstd = typeof zlib.createZstdDecompress === 'function';

/** What requests say they accept (`Accept-Encoding`), and so what responses may use. */
export const ACCEPT_ENCODING = zstd ? 'gzip, deflate, br, zstd' : 'gzip, deflate, br';

/** Most codings one response may stack. */
export const MAX_CODINGS = 2;

/** The largest zstd window decoded: 8 MB (2²³), what RFC 9659 asks decoders of HTTP bodies to support. */
export const ZSTD_WINDOW_LOG_MAX = 23;

const SUPPORTED = new Set(['gzip', 'deflate', 'br', ...(zstd ? ['zstd'] : [])]);

/** The codings of a `Content-Encoding` header in the order they were applied (`identity` dropped, `x-gzip` as gzip). */
export function parseCodings(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .map((coding) => (coding === 'x-gzip' ? 'gzip' : coding));
}

/** Refuse codings this client cannot or will not decode, before any of the body is read. */
export function checkCodings(codings: readonly string[], host: string): void {
  const unknown = codings.filter((coding) => !SUPPORTED.has(coding));
  if (unknown.length > 0) {
    throw new FetchError(
      `${host} sent the body in a content coding this tool did not ask for and cannot decode (${unknown.slice(0, 3).join(', ').slice(0, 100)}). This is a fault of the server, not a policy refusal.`,
      {
        code: 'unsupported_encoding',
        kind: 'http',
        hint: `The tool accepts ${ACCEPT_ENCODING}; use another source for this page.`,
        details: { codings: codings.slice(0, 10) },
      },
    );
  }
  if (codings.length > MAX_CODINGS) {
    throw new FetchError(
      `${host} stacked ${codings.length} content codings on the body; at most ${MAX_CODINGS} are decoded. This is a fault of the server, not a policy refusal.`,
      {
        code: 'unsupported_encoding',
        kind: 'http',
        hint: 'Use another source for this page.',
        details: { codings: codings.length, max: MAX_CODINGS },
      },
    );
  }
}

/** True for an error a decoder raised on bad input (zlib, brotli or zstd). */
export function isDecodeError(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return /^(Z_|ERR__ERROR|ZSTD_error)/.test(code);
}

/** The error for a body that could not be decoded. */
export function decodeError(codings: readonly string[], host: string, cause: unknown): FetchError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new FetchError(
    `The body from ${host} could not be decoded (${codings.join(', ')}): ${reason.slice(0, 120)}. The server sent a corrupt or truncated body; this is not a network failure or a policy refusal.`,
    {
      code: 'decode_error',
      kind: 'http',
      hint: 'Use another source for this page.',
      details: { codings: [...codings], reason: String((cause as { code?: unknown })?.code ?? '') || undefined },
      cause,
    },
  );
}

/**
 * A decoder made when its first chunk arrives (`make` sees that chunk): an empty body decodes to nothing instead of
 * failing, and `deflate` can tell a zlib stream (RFC 9110) from the raw deflate some servers send.
 */
function lazyDecoder(make: (first: Buffer) => Transform): Duplex {
  const output = new PassThrough();
  let started = false;
  const input = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!started) {
        started = true;
        pipeline(input, make(chunk), output, (error) => {
          if (error) output.destroy(error);
        });
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (!started) output.end();
      callback();
    },
  });
  return Duplex.from({ writable: input, readable: output });
}

function decoderFor(coding: string): Duplex {
  switch (coding) {
    case 'gzip':
      return lazyDecoder(() => zlib.createGunzip());
    case 'deflate':
      return lazyDecoder((first) => {
        // A zlib header: compression method 8 in the low nibble, the two bytes a multiple of 31 (RFC 1950).
        const [cmf, flg] = first;
        const zlibWrapped =
          cmf === undefined || flg === undefined || ((cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0);
        return zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
      });
    case 'br':
      return lazyDecoder(() => zlib.createBrotliDecompress());
    case 'zstd':
      return lazyDecoder(() =>
        zlib.createZstdDecompress({ params: { [zlib.constants.ZSTD_d_windowLogMax]: ZSTD_WINDOW_LOG_MAX } }),
      );
    default:
      throw new Error(`no decoder for ${coding}`);
  }
}

/**
 * The body of `stream` with `codings` (as {@link parseCodings} gave them, already checked) undone, last applied
 * first. Reading it pulls from the network only as fast as it is read; destroying it destroys the whole chain.
 */
export function decodedStream(stream: Readable, codings: readonly string[]): Readable {
  if (codings.length === 0) return stream;
  const decoders = codings.toReversed().map(decoderFor);
  return pipeline([stream, ...decoders] as never, () => {}) as unknown as Readable;
}
