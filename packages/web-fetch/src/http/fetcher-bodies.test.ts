import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { failure, useFetchers } from '../test-support/fetcher.js';
import { redirect, respond, sleep } from '../test-support/server.js';

const { fetcher, server } = useFetchers();

describe('bodies', () => {
  it('stops reading at maxBytes while streaming', async () => {
    let written = 0;
    const s = await server({
      '/big': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        // Write up to 50 MB unless the client goes away first.
        while (written < 50 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        }
        res.end();
      },
    });
    const response = await fetcher({ maxBytes: 100_000 }).fetch({ url: `${s.origin}/big`, timeoutMs: 5000 });
    expect(response.body.length).toBe(100_000);
    expect(response.bodyTruncated).toBe(true);
    await sleep(50);
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('counts the cap after decompression (gzip bombs stop at the cap)', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 'x'));
    const s = await server({ '/': respond(bomb, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }) });
    const response = await fetcher({ maxBytes: 1_000_000 }).fetch({ url: `${s.origin}/`, timeoutMs: 5000 });
    expect(response.body.length).toBe(1_000_000);
    expect(response.bodyTruncated).toBe(true);
  });

  it('decodes gzip and brotli', async () => {
    const text = 'compressed body '.repeat(100);
    const s = await server({
      '/gz': respond(gzipSync(text), { 'content-type': 'text/plain', 'content-encoding': 'gzip' }),
      '/br': respond(brotliCompressSync(text), { 'content-type': 'text/plain', 'content-encoding': 'br' }),
    });
    const f = fetcher();
    expect((await f.fetch({ url: `${s.origin}/gz`, timeoutMs: 2000 })).body.toString()).toBe(text);
    expect((await f.fetch({ url: `${s.origin}/br`, timeoutMs: 2000 })).body.toString()).toBe(text);
    expect(s.requests[0]?.headers['accept-encoding']).toMatch(/gzip/);
    expect(s.requests[0]?.headers['accept-encoding']).toMatch(/br/);
  });

  it('refuses codings it did not ask for, and says when a body does not decode', async () => {
    const s = await server({
      '/compress': respond('compressed', { 'content-type': 'text/plain', 'content-encoding': 'compress' }),
      '/stacked': respond(gzipSync(gzipSync(gzipSync('x'))), {
        'content-type': 'text/plain',
        'content-encoding': 'gzip, gzip, gzip',
      }),
      '/corrupt': respond(Buffer.concat([gzipSync('x').subarray(0, 10), Buffer.alloc(100, 0xff)]), {
        'content-type': 'text/plain',
        'content-encoding': 'gzip',
      }),
    });
    const f = fetcher();
    const unknown = await failure(f.fetch({ url: `${s.origin}/compress`, timeoutMs: 2000 }));
    expect(unknown).toMatchObject({ code: 'unsupported_encoding', kind: 'http', retryable: false });
    const stacked = await failure(f.fetch({ url: `${s.origin}/stacked`, timeoutMs: 2000 }));
    expect(stacked).toMatchObject({ code: 'unsupported_encoding' });
    const corrupt = await failure(f.fetch({ url: `${s.origin}/corrupt`, timeoutMs: 2000 }));
    expect(corrupt).toMatchObject({ code: 'decode_error', kind: 'http', retryable: false });
    expect(corrupt.message).toMatch(/could not be decoded \(gzip\)/);
  });

  it('does not download a binary body, and sniffs an unlabelled one', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2 * 1024 * 1024, 1)]);
    const s = await server({
      '/doc.pdf': respond(pdf, { 'content-type': 'application/pdf' }),
      '/blob': respond(pdf, { 'content-type': 'application/octet-stream' }),
    });
    const f = fetcher();
    const labelled = await f.fetch({ url: `${s.origin}/doc.pdf`, timeoutMs: 2000 });
    expect(labelled.bodyClass).toBe('binary');
    expect(labelled.body.length).toBe(0);
    expect(labelled.declaredLength).toBe(pdf.length);
    const sniffed = await f.fetch({ url: `${s.origin}/blob`, timeoutMs: 2000 });
    expect(sniffed.bodyClass).toBe('binary');
    expect(sniffed.sniffedMediaType).toBe('application/pdf');
  });

  it('reports progress on large downloads', async () => {
    const s = await server({ '/': respond(Buffer.alloc(1024 * 1024, 'b'), { 'content-type': 'text/plain' }) });
    const seen: [number, number | undefined][] = [];
    await fetcher().fetch({
      url: `${s.origin}/`,
      timeoutMs: 2000,
      onProgress: (received, total) => seen.push([received, total]),
    });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toEqual([1024 * 1024, 1024 * 1024]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.[0]).toBeGreaterThan(seen[i - 1]?.[0] ?? 0);
  });

  it('answers HEAD without a body', async () => {
    const s = await server({ '/': respond('body here') });
    const response = await fetcher().fetch({ url: `${s.origin}/`, method: 'HEAD', timeoutMs: 2000 });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(s.requests[0]?.method).toBe('HEAD');
  });
});

describe('broken servers', () => {
  it("a redirect to a Location that is no URL is the server's fault, not the network's", async () => {
    const s = await server({ '/': redirect('http://[::1') });
    const error = await failure(fetcher().fetch({ url: `${s.origin}/`, timeoutMs: 2000 }));
    expect(error).toMatchObject({ code: 'invalid_redirect', kind: 'http', retryable: false });
  });

  it('a response that is not HTTP, or whose headers pass 16 KiB, is an invalid response', async () => {
    const { createServer } = await import('node:net');
    const raw = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (data) => {
        const huge = data.toString().startsWith('GET /huge');
        socket.end(huge ? `HTTP/1.1 200 OK\r\nX-Huge: ${'h'.repeat(64 * 1024)}\r\n\r\nhi` : 'SSH-2.0-OpenSSH_9.6\r\n');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
    try {
      const f = fetcher();
      const huge = await failure(f.fetch({ url: `${origin}/huge`, timeoutMs: 2000 }));
      expect(huge).toMatchObject({ code: 'invalid_response', kind: 'http', retryable: false });
      expect(huge.message).toMatch(/headers are larger than the 16 KiB/);
      const ssh = await failure(f.fetch({ url: `${origin}/ssh`, timeoutMs: 2000 }));
      expect(ssh).toMatchObject({ code: 'invalid_response' });
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});
