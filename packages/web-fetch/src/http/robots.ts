/**
 * robots.txt per RFC 9309: fetched once per origin and cached; a 2xx body is parsed (longest match wins, Allow
 * wins a tie: robots-parser implements the RFC's matching); 4xx means no restrictions; 5xx, a network failure or a
 * policy refusal while fetching it means everything is disallowed ("unreachable" in the RFC's words).
 */
import { lazy } from '../lazy.js';
import { lazyLru } from './lazy-lru.js';

interface ParsedRobots {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
}
type RobotsParse = (url: string, contents: string) => ParsedRobots;

// robots-parser is CommonJS (`module.exports = fn`) while its typings declare a default export: under Node's ESM
// interop the default import is the function itself; accept either shape. Loaded with the first robots.txt parsed.
const loadRobotsParser = lazy(async (): Promise<RobotsParse> => {
  const robotsParserModule: unknown = (await import('robots-parser')).default;
  return typeof robotsParserModule === 'function'
    ? (robotsParserModule as RobotsParse)
    : (robotsParserModule as { default: RobotsParse }).default;
});

/** What was learned from one origin's robots.txt. */
export interface RobotsRules {
  /** How the verdict came about, for messages. */
  readonly source: 'parsed' | 'not-found' | 'unavailable';
  /** The HTTP status of robots.txt, when one was received. */
  readonly status: number | undefined;
  isAllowed(url: string): boolean;
}

/** Fetches robots.txt; resolves with status and body, rejects on network or policy failure. */
export type RobotsFetch = (robotsUrl: string, signal: AbortSignal) => Promise<{ status: number; body: string }>;

/** Options of {@link createRobotsCache}. */
export interface RobotsCacheOptions {
  /** The product token matched against `User-agent` lines (case-insensitive). */
  productToken: string;
  fetch: RobotsFetch;
  /** How long a fetched robots.txt is trusted; RFC 9309 says at most 24 h. Default 1 h. */
  ttlMs?: number;
  /** How long an unreachable robots.txt (5xx, network) is remembered before trying again. Default 60 s. */
  unavailableTtlMs?: number;
  /** Origins remembered. Default 1000. */
  maxOrigins?: number;
  /** Time limit of one robots.txt fetch; past it the file counts as unreachable. Default 10 s. */
  timeoutMs?: number;
  /** Aborts robots.txt fetches in flight (the pack closing). */
  signal?: AbortSignal;
  /**
   * Errors that say nothing about robots.txt but about the request itself (a policy refusal of the site's address):
   * passed on to the caller and not cached, instead of counting as "unreachable".
   */
  propagate?: (error: unknown) => boolean;
}

/** Answers "may this URL be fetched?" from a per-origin robots.txt cache. */
export interface RobotsCache {
  rulesFor(url: URL, signal: AbortSignal): Promise<RobotsRules>;
}

/** The robots.txt product token of a User-Agent string: its first token, before any `/` or space. */
export function productToken(userAgent: string): string {
  const token = userAgent.trim().split(/[/\s]/)[0] ?? '';
  return token.toLowerCase() || '*';
}

const allowAll = (status: number | undefined): RobotsRules => ({
  source: 'not-found',
  status,
  isAllowed: () => true,
});

const disallowAll = (status: number | undefined): RobotsRules => ({
  source: 'unavailable',
  status,
  isAllowed: () => false,
});

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Create the cache. Concurrent requests for one origin share one fetch of its robots.txt. */
export function createRobotsCache(options: RobotsCacheOptions): RobotsCache {
  const ttl = options.ttlMs ?? 60 * 60 * 1000;
  const unavailableTtl = options.unavailableTtlMs ?? 60 * 1000;
  const cache = lazyLru<string, Promise<RobotsRules>>({ max: options.maxOrigins ?? 1000, ttl });

  const timeoutMs = options.timeoutMs ?? 10_000;

  // One fetch per origin, shared by every caller, so it runs on its own time limit rather than on the signal of
  // whichever call happened to start it; each caller waits on its own signal (see `rulesFor`).
  const load = async (origin: string): Promise<RobotsRules> => {
    const robotsUrl = `${origin}/robots.txt`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const { status, body } = await options.fetch(robotsUrl, signal);
      if (status >= 200 && status < 300) {
        const robotsParser = await loadRobotsParser();
        const robot = robotsParser(robotsUrl, body);
        return {
          source: 'parsed',
          status,
          isAllowed: (url) => robot.isAllowed(url, options.productToken) !== false,
        };
      }
      // 3xx here means the redirect limit was reached: RFC 9309 lets us treat that as unavailable (4xx).
      if (status >= 300 && status < 500) return allowAll(status);
      return disallowAll(status);
    } catch (error) {
      if (options.propagate?.(error)) throw error;
      return disallowAll(undefined);
    }
  };

  return {
    rulesFor(url, signal) {
      const origin = url.origin;
      let pending = cache().get(origin);
      if (!pending) {
        const loading = load(origin);
        pending = loading;
        cache().set(origin, loading);
        loading.then(
          (rules) => {
            if (rules.source === 'unavailable' && cache().get(origin) === loading) {
              cache().set(origin, loading, { ttl: unavailableTtl });
            }
          },
          () => {
            if (cache().get(origin) === loading) cache().delete(origin);
          },
        );
      }
      return untilAborted(pending, signal);
    },
  };
}
