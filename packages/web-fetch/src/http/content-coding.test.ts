import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FetchError } from '../policy/fetch-error.js';
import { checkCodings, decodedStream, isDecodeError, parseCodings } from './content-coding.js';

async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const decode = (data: Buffer, codings: string[]) => collect(decodedStream(Readable.from([data]), codings));
const text = 'a body worth compressing, '.repeat(50);

function failure(run: () => unknown): FetchError {
  try {
    run();
  } catch (error) {
    return error as FetchError;
  }
  throw new Error('expected a refusal');
}

describe('content codings', () => {
  it('reads Content-Encoding in the order applied, without identity, x-gzip as gzip', () => {
    expect(parseCodings(undefined)).toEqual([]);
    expect(parseCodings(' GZip , identity,, br ')).toEqual(['gzip', 'br']);
    expect(parseCodings(['x-gzip', 'deflate'])).toEqual(['gzip', 'deflate']);
  });

  it('refuses codings it did not ask for, and more than two', () => {
    const unknown = failure(() => checkCodings(['compress'], 'example.com'));
    expect(unknown.code).toBe('unsupported_encoding');
    expect(unknown.kind).toBe('http');
    expect(unknown.message).toMatch(/did not ask for and cannot decode \(compress\)/);
    const stacked = failure(() => checkCodings(['gzip', 'gzip', 'gzip'], 'example.com'));
    expect(stacked.code).toBe('unsupported_encoding');
    expect(stacked.message).toMatch(/stacked 3 content codings on the body; at most 2/);
    expect(() => checkCodings(['gzip', 'br'], 'example.com')).not.toThrow();
  });

  it('decodes gzip, zlib and raw deflate, brotli, zstd and two stacked codings', async () => {
    const body = Buffer.from(text);
    expect(await decode(zlib.gzipSync(body), ['gzip'])).toBe(text);
    expect(await decode(zlib.deflateSync(body), ['deflate'])).toBe(text);
    expect(await decode(zlib.deflateRawSync(body), ['deflate'])).toBe(text);
    expect(await decode(zlib.brotliCompressSync(body), ['br'])).toBe(text);
    if (typeof zlib.zstdCompressSync === 'function')
      expect(await decode(zlib.zstdCompressSync(body), ['zstd'])).toBe(text);
    expect(await decode(zlib.brotliCompressSync(zlib.gzipSync(body)), ['gzip', 'br'])).toBe(text);
  });

  it('an empty body decodes to nothing', async () => {
    expect(await collect(decodedStream(Readable.from([]), ['gzip']))).toBe('');
  });

  it('a corrupt body fails with a decoder error', async () => {
    const error = await decode(Buffer.alloc(64, 0xff), ['gzip']).catch((caught: unknown) => caught);
    expect(isDecodeError(error)).toBe(true);
  });

  it.runIf(typeof zlib.createZstdCompress === 'function')('refuses a zstd window over 8 MB', async () => {
    const compressor = zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_windowLog]: 27 } });
    const chunks: Buffer[] = [];
    compressor.on('data', (chunk: Buffer) => chunks.push(chunk));
    compressor.write(Buffer.alloc(1024 * 1024));
    await new Promise((resolve) => compressor.flush(resolve as () => void));
    const error = await decode(Buffer.concat(chunks), ['zstd']).catch((caught: unknown) => caught);
    expect(isDecodeError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/too much memory/);
    compressor.destroy();
  });
});
