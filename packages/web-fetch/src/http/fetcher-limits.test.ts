import { describe, expect, it } from 'vitest';
import { failure, useFetchers } from '../test-support/fetcher.js';
import { sleep, startServer } from '../test-support/server.js';

const { fetcher, server } = useFetchers();

describe('time limits and cancellation', () => {
  it('times out a server that never answers, and says it is a network timeout', async () => {
    const s = await server({ '/hang': () => new Promise(() => {}) });
    const started = Date.now();
    const error = await failure(fetcher().fetch({ url: `${s.origin}/hang`, timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/not a policy refusal/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out a slow-drip body', async () => {
    const s = await server({
      '/drip': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 100 && !res.destroyed; i++) {
          res.write('x');
          await sleep(50);
        }
        res.end();
      },
    });
    const error = await failure(fetcher().fetch({ url: `${s.origin}/drip`, timeoutMs: 400 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/reading the body/);
  });

  it('aborts the request when the caller cancels', async () => {
    let closed = false;
    const s = await server({
      '/slow': (req) =>
        new Promise<void>((resolve) => {
          req.socket.on('close', () => {
            closed = true;
            resolve();
          });
        }),
    });
    const controller = new AbortController();
    const pending = fetcher().fetch({ url: `${s.origin}/slow`, timeoutMs: 10_000, signal: controller.signal });
    await sleep(100);
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('cancelled');
    await sleep(50);
    expect(closed).toBe(true);
  });

  it('caps concurrent requests per host', async () => {
    let active = 0;
    let peak = 0;
    const s = await server({
      '*': async (_req, res) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(40);
        active--;
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      },
    });
    const f = fetcher({ maxConcurrentPerHost: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => f.fetch({ url: `${s.origin}/${i}`, timeoutMs: 5000 })));
    expect(peak).toBe(2);
    expect(f.limiter.stats('127.0.0.1')).toEqual({ active: 0, waiting: 0 });
  });

  it('reports a refused connection as a network failure', async () => {
    // Closed here, not after the test: nothing listens on its port any more.
    const s = await startServer();
    const port = s.port;
    await s.close();
    const error = await failure(fetcher().fetch({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2000 }));
    expect(error.code).toBe('connection_refused');
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/not a policy refusal/);
  });
});
