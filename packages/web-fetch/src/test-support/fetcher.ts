/**
 * Fixtures of the fetcher's tests: fetchers allowed to reach loopback, real servers on 127.0.0.1, both closed after
 * each test by the file that calls {@link useFetchers}.
 */
import { afterEach } from 'vitest';
import { createFetcher, type Fetcher, type FetcherOptions } from '../http/fetcher.js';
import type { FetchError } from '../policy/fetch-error.js';
import { startServer, type TestServer } from './server.js';

export const LOOPBACK = ['127.0.0.1/32'];
const base: FetcherOptions = {
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'test-agent/1.0',
  respectRobotsTxt: false,
  maxConcurrentPerHost: 4,
  allowedHeaders: ['accept', 'x-trace'],
};

/**
 * Register, in the calling test file, an `afterEach` that closes every fetcher and server the returned helpers made
 * during the test (call it at the top of the file: a hook registered by importing a module would run for the first
 * file only when test files share modules).
 */
export function useFetchers(): {
  fetcher(options?: Partial<FetcherOptions>): Fetcher;
  server(...args: Parameters<typeof startServer>): Promise<TestServer>;
} {
  const open: (Fetcher | TestServer)[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      if ('fetch' in item) item.close();
      else await item.close();
    }
  });

  function fetcher(options: Partial<FetcherOptions> = {}): Fetcher {
    const f = createFetcher({ ...base, allowAddresses: LOOPBACK, ...options });
    open.push(f);
    return f;
  }

  async function server(...args: Parameters<typeof startServer>): Promise<TestServer> {
    const s = await startServer(...args);
    open.push(s);
    return s;
  }
  return { fetcher, server };
}

/** The error `promise` rejects with; throws when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    return error as FetchError;
  }
  throw new Error('expected the fetch to fail');
}
