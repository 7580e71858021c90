/**
 * The guarded HTTP client: every hop (redirects included) passes the request policy and robots.txt, connects only
 * to addresses the guarded lookup checked, waits for a per-host slot, and reads at most `maxBytes` of body while
 * streaming. Built on got, with redirects followed here rather than by got, so each hop is checked before it is
 * sent. got, node:http(s) and hpagent are loaded by the first request, not when the pack loads.
 */
import type { BodyClass } from '../content/media-type.js';
import { createAddressPolicy } from '../policy/address-policy.js';
import { FetchError, findFetchError, policyError } from '../policy/fetch-error.js';
import { createRequestPolicy, normalizeHost, type RequestPolicy } from '../policy/request-policy.js';
import { classifyError } from './classify-error.js';
import { createGuardedLookup, type Resolver, systemResolver } from './guarded-lookup.js';
import { createHopSender, type HopResult } from './hop-sender.js';
import { createHostLimiter, type HostLimiter } from './host-limiter.js';
import { type FetchProgress, readResponse } from './read-response.js';
import { REDIRECT_STATUSES, redirectedHop } from './redirect.js';
import { createRobotsCache, productToken, type RobotsCache } from './robots.js';

/** Options of {@link createFetcher}; the pack builds them from its config. */
export interface FetcherOptions {
  allowPrivateNetwork?: boolean;
  allowAddresses?: readonly string[];
  allowHosts?: readonly string[];
  denyHosts?: readonly string[];
  allowedHeaders?: readonly string[];
  allowedMethods?: readonly string[];
  /** Body cap in bytes after decompression. */
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  respectRobotsTxt: boolean;
  /** An http(s) proxy URL for every request. */
  proxy?: string | undefined;
  maxConcurrentPerHost: number;
  /** DNS resolution; the system resolver by default. Tests pass their own to simulate hostile DNS. */
  resolver?: Resolver;
  /** Robots.txt cache time; default 1 h. */
  robotsTtlMs?: number;
}

/** One fetch. */
export interface FetchRequest {
  url: string;
  method?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Time limit for the whole fetch: waiting for a slot, robots.txt, every hop and the body. */
  timeoutMs: number;
  /** Aborts the fetch (the caller cancelled). */
  signal?: AbortSignal;
  /** Called as the body arrives, at most every 256 KiB, with the bytes so far and the declared total if known. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Check robots.txt (default: the fetcher's `respectRobotsTxt`). */
  robots?: boolean;
}

/** One redirect that was followed. */
export interface RedirectHop {
  url: string;
  status: number;
}

/** What came back. */
export interface FetchResponse {
  /** The URL asked for, normalised. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  status: number;
  statusText: string;
  /** Every redirect followed, in order: the URL that redirected and its status. */
  redirects: RedirectHop[];
  /** A safe subset of the response headers (lower-case names). */
  headers: Record<string, string>;
  /** Content-Type essence (`text/html`), if the server sent a valid one. */
  mediaType: string | undefined;
  /** The charset label from Content-Type, if any. */
  charsetLabel: string | undefined;
  /** How the body is to be treated. For `binary` the body was not downloaded (or only sniffed). */
  bodyClass: BodyClass;
  /** The media type sniffed from the bytes when the header did not say. */
  sniffedMediaType: string | undefined;
  body: Buffer;
  /** True when the body was cut at `maxBytes`. */
  bodyTruncated: boolean;
  /** Content-Length as declared, when present. */
  declaredLength: number | undefined;
}

/** The guarded client. */
export interface Fetcher {
  fetch(request: FetchRequest): Promise<FetchResponse>;
  readonly requestPolicy: RequestPolicy;
  readonly limiter: HostLimiter;
  /** Close idle keep-alive sockets and stop robots.txt fetches. */
  close(): void;
}

const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_MAX_REDIRECTS = 5;

/**
 * Create the guarded client. One per mount: it owns keep-alive agents, the robots.txt cache and the per-host
 * limiter.
 *
 * @example
 * const fetcher = createFetcher({ maxBytes: 5 << 20, maxRedirects: 5, userAgent: 'me/1', respectRobotsTxt: true,
 *   maxConcurrentPerHost: 4 });
 * const res = await fetcher.fetch({ url: 'https://example.com/', timeoutMs: 10_000 });
 */
export function createFetcher(options: FetcherOptions): Fetcher {
  const addressPolicy = createAddressPolicy({
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    allowAddresses: options.allowAddresses ?? [],
  });
  const requestPolicy = createRequestPolicy({
    addressPolicy,
    allowHosts: options.allowHosts ?? [],
    denyHosts: options.denyHosts ?? [],
    allowedHeaders: options.allowedHeaders ?? [],
    allowedMethods: options.allowedMethods ?? ['GET', 'HEAD'],
  });
  const resolver = options.resolver ?? systemResolver;
  const limiter = createHostLimiter(options.maxConcurrentPerHost);
  const closing = new AbortController();
  const hops = createHopSender({
    userAgent: options.userAgent,
    proxy: options.proxy,
    addressPolicy,
    resolver,
    lookup: createGuardedLookup(addressPolicy, resolver),
    closing: closing.signal,
  });

  const robots: RobotsCache = createRobotsCache({
    productToken: productToken(options.userAgent),
    ttlMs: options.robotsTtlMs,
    signal: closing.signal,
    // A robots.txt the policy will not let us fetch means the page is out of bounds too: say why.
    propagate: (error) => findFetchError(error)?.kind === 'policy',
    fetch: async (robotsUrl, signal) => {
      const response = await run(
        { url: robotsUrl, timeoutMs: 10_000, signal, robots: false },
        { maxBytes: ROBOTS_MAX_BYTES, maxRedirects: ROBOTS_MAX_REDIRECTS, internal: true },
      );
      return { status: response.status, body: response.body.toString('utf8') };
    },
  });

  const checkRobots = async (url: URL, signal: AbortSignal): Promise<void> => {
    const rules = await robots.rulesFor(url, signal);
    if (rules.isAllowed(url.href)) return;
    if (rules.source === 'unavailable') {
      throw policyError(
        'robots_unavailable',
        `${url.origin}/robots.txt could not be read (${rules.status ? `HTTP ${rules.status}` : 'unreachable'}), and RFC 9309 says to fetch nothing from a site in that case`,
        {
          hint: 'Try again later, or use another source.',
          details: { url: url.href, robotsStatus: rules.status ?? null },
        },
      );
    }
    throw policyError('robots_disallowed', `${url.origin}/robots.txt disallows ${url.pathname} for automated agents`, {
      hint: 'Respect the site owner’s wishes: use another source, or ask the user to open the page themselves.',
      details: { url: url.href },
    });
  };

  async function run(
    request: FetchRequest,
    // `internal` is the pack's own robots.txt fetch: always a plain GET, whatever methods calls may use.
    limits: { maxBytes: number; maxRedirects: number; internal?: boolean },
  ): Promise<FetchResponse> {
    const method = limits.internal ? 'GET' : requestPolicy.checkMethod(request.method ?? 'GET');
    let headers = requestPolicy.checkHeaders(request.headers);
    if (request.body !== undefined && (method === 'GET' || method === 'HEAD')) {
      throw new FetchError(`A ${method} request cannot have a body.`, {
        code: 'invalid_body',
        kind: 'input',
        hint: 'Leave out body, or use a method that takes one (if this server allows it).',
      });
    }
    const useRobots = request.robots ?? options.respectRobotsTxt;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('deadline')), request.timeoutMs);
    timer.unref?.();
    const signals = [deadline.signal, closing.signal];
    if (request.signal) signals.push(request.signal);
    const signal = AbortSignal.any(signals);

    const progress: FetchProgress = { phase: 'waiting for the response', received: 0 };
    let current = requestPolicy.checkUrl(request.url);
    const requestedUrl = current.href;
    const redirects: RedirectHop[] = [];
    let currentMethod = method;
    let currentBody = request.body;

    try {
      for (;;) {
        if (useRobots) {
          progress.phase = 'checking robots.txt';
          await checkRobots(current, signal);
        }
        progress.phase = 'waiting for a connection slot';
        const release = await limiter.acquire(normalizeHost(current.hostname), signal);
        let hop: HopResult | undefined;
        try {
          progress.phase = 'waiting for the response';
          hop = await hops.send(current, currentMethod, headers, currentBody, signal);
          const { response, request: stream } = hop;
          const status = response.statusCode ?? 0;
          const location = response.headers.location;
          if (REDIRECT_STATUSES.has(status) && location) {
            stream.destroy();
            const next = redirectedHop(
              { url: current, method: currentMethod, body: currentBody, headers },
              { status, location, redirects, maxRedirects: limits.maxRedirects, requestedUrl, requestPolicy },
            );
            current = next.url;
            currentMethod = next.method;
            currentBody = next.body;
            headers = next.headers;
            continue;
          }

          return await readResponse(hop, {
            request,
            requestedUrl,
            url: current,
            method: currentMethod,
            status,
            redirects,
            limits,
            progress,
          });
        } finally {
          if (hop && !hop.request.readableEnded) hop.request.destroy();
          release();
        }
      }
    } catch (error) {
      throw classifyError(error, {
        url: current,
        phase: progress.phase,
        received: progress.received,
        timeoutMs: request.timeoutMs,
        timedOut: deadline.signal.aborted,
        cancelled: request.signal?.aborted === true || closing.signal.aborted,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    requestPolicy,
    limiter,
    fetch: (request) => run(request, { maxBytes: options.maxBytes, maxRedirects: options.maxRedirects }),
    close() {
      closing.abort(new Error('closed'));
      hops.close();
    },
  };
}
