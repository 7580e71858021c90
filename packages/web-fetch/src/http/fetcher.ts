/**
 * The guarded HTTP client: every hop (redirects included) passes the request policy and robots.txt, connects only
 * to addresses the guarded lookup checked, waits for a per-host slot, and reads at most `maxBytes` of body while
 * streaming. Built on got, with redirects followed here rather than by got, so each hop is checked before it is
 * sent. got, node:http(s) and hpagent are loaded by the first request, not when the pack loads.
 */
import type http from 'node:http';
import type https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import type { Agents, Request as GotRequest } from 'got';
import { type BodyClass, classifyMediaType, parseMediaType, sniffBody } from '../content/media-type.js';
import { lazy } from '../lazy.js';
import { type AddressPolicy, createAddressPolicy } from '../policy/address-policy.js';
import { FetchError, findFetchError, policyError } from '../policy/fetch-error.js';
import {
  blockedAddressError,
  CREDENTIAL_HEADERS,
  createRequestPolicy,
  normalizeHost,
  type RequestPolicy,
} from '../policy/request-policy.js';
import { BodyBuffer } from './body-buffer.js';
import {
  ACCEPT_ENCODING,
  checkCodings,
  decodedStream,
  decodeError,
  isDecodeError,
  parseCodings,
} from './content-coding.js';
import { createGuardedLookup, type LookupFunction, type Resolver, systemResolver } from './guarded-lookup.js';
import { createHostLimiter, type HostLimiter } from './host-limiter.js';
import { createRobotsCache, productToken, type RobotsCache } from './robots.js';

const loadGot = lazy(async () => (await import('got')).default);

type HttpAgents = { http: http.Agent; https: https.Agent };

/** Keep-alive agents: Node's own, or hpagent's through a proxy. */
async function createAgents(proxy: string | undefined): Promise<HttpAgents> {
  if (proxy) {
    const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
    const agentOptions = { proxy, keepAlive: true, maxFreeSockets: 32 };
    return { http: new HttpProxyAgent(agentOptions), https: new HttpsProxyAgent(agentOptions) };
  }
  const [{ Agent: HttpAgent }, { Agent: HttpsAgent }] = await Promise.all([import('node:http'), import('node:https')]);
  return {
    http: new HttpAgent({ keepAlive: true, maxFreeSockets: 32 }),
    https: new HttpsAgent({ keepAlive: true, maxFreeSockets: 32 }),
  };
}

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

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_MAX_REDIRECTS = 5;
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

type Phase = 'waiting for a connection slot' | 'checking robots.txt' | 'waiting for the response' | 'reading the body';

interface HopResult {
  response: http.IncomingMessage;
  request: GotRequest;
}

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
  const addressPolicy: AddressPolicy = createAddressPolicy({
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
  const lookup: LookupFunction = createGuardedLookup(addressPolicy, resolver);
  const limiter = createHostLimiter(options.maxConcurrentPerHost);
  const closing = new AbortController();

  // Made with the first request. `agents` is what close() destroys.
  let agents: HttpAgents | undefined;
  const destroyAgents = (): void => {
    agents?.http.destroy();
    agents?.https.destroy();
  };
  const getAgents = lazy(async () => {
    agents = await createAgents(options.proxy);
    if (closing.signal.aborted) destroyAgents(); // closed while they were being made
    return agents;
  });

  /**
   * With a proxy, the proxy connects to the target, so the lookup hook never sees it: resolve and check here. The
   * proxy may resolve again, so DNS pinning is then the proxy's responsibility (documented).
   */
  const checkThroughProxy = async (url: URL): Promise<void> => {
    const host = normalizeHost(url.hostname);
    if (isIP(host)) return; // literals were checked by checkUrl
    const answers = await resolver(host, 0).catch((cause: unknown) => {
      throw new FetchError(`Could not resolve ${host}.`, {
        code: 'dns_failed',
        kind: 'network',
        hint: 'Check the host name.',
        cause,
      });
    });
    for (const answer of answers) {
      const verdict = addressPolicy.check(answer.address);
      if (!verdict.allowed) throw blockedAddressError(host, verdict.address, verdict.range);
    }
  };

  const sendHop = async (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<HopResult> => {
    if (options.proxy) await checkThroughProxy(url);
    const [got, hopAgents] = await Promise.all([loadGot(), getAgents()]);
    signal.throwIfAborted();
    const request = got.stream(url, {
      method: method as 'GET',
      headers: { ...headers, 'accept-encoding': ACCEPT_ENCODING, 'user-agent': options.userAgent },
      ...(body === undefined ? {} : { body }),
      followRedirect: false,
      throwHttpErrors: false,
      retry: { limit: 0 },
      // Decoded by the fetcher (content-coding.ts): only what was asked for, two codings at most, bounded windows.
      decompress: false,
      ...(options.proxy ? {} : { dnsLookup: lookup as never }),
      agent: hopAgents satisfies Agents,
      http2: false,
      signal,
      // got checks Content-Length against what arrived; a body we cut short on purpose must not count as an error.
      strictContentLength: false,
    });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
    });
    return { response, request };
  };

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

    let phase: Phase = 'waiting for the response';
    let received = 0;
    let current = requestPolicy.checkUrl(request.url);
    const requestedUrl = current.href;
    const redirects: RedirectHop[] = [];
    let currentMethod = method;
    let currentBody = request.body;

    try {
      for (;;) {
        if (useRobots) {
          phase = 'checking robots.txt';
          await checkRobots(current, signal);
        }
        phase = 'waiting for a connection slot';
        const release = await limiter.acquire(normalizeHost(current.hostname), signal);
        let hop: HopResult | undefined;
        try {
          phase = 'waiting for the response';
          hop = await sendHop(current, currentMethod, headers, currentBody, signal);
          const { response, request: stream } = hop;
          const status = response.statusCode ?? 0;
          const location = response.headers.location;
          if (REDIRECT_STATUSES.has(status) && location) {
            stream.destroy();
            if (redirects.length >= limits.maxRedirects) {
              throw policyError(
                'too_many_redirects',
                `${requestedUrl} redirected more than ${limits.maxRedirects} times`,
                {
                  hint: 'Fetch the last URL of the chain directly if you trust it, or use another source.',
                  details: { redirects: [...redirects, { url: current.href, status }] },
                },
              );
            }
            redirects.push({ url: current.href, status });
            let target: URL;
            try {
              target = new URL(location, current);
            } catch (cause) {
              throw new FetchError(
                `${current.href} redirected (HTTP ${status}) to a Location that is not a valid URL: ${JSON.stringify(location.slice(0, 200))}. This is a fault of the server, not a policy refusal.`,
                {
                  code: 'invalid_redirect',
                  kind: 'http',
                  hint: 'Use another source for this page.',
                  details: { redirects: [...redirects] },
                  cause,
                },
              );
            }
            const next = requestPolicy.checkUrl(target);
            if (next.origin !== current.origin) {
              headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name)));
            }
            if (status === 303 || ((status === 301 || status === 302) && currentMethod === 'POST')) {
              if (currentMethod !== 'HEAD') currentMethod = 'GET';
              currentBody = undefined;
            }
            current = next;
            continue;
          }

          const media = parseMediaType(response.headers['content-type']);
          let bodyClass: BodyClass = limits.internal ? 'text' : classifyMediaType(media?.essence);
          const declared = Number(response.headers['content-length']);
          const declaredLength = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
          const exact = response.headers['content-encoding'] === undefined ? declaredLength : undefined;
          const collected = new BodyBuffer(limits.maxBytes, exact);
          let sniffedMediaType: string | undefined;
          phase = 'reading the body';
          let decoded: Readable | undefined;
          if (currentMethod !== 'HEAD' && bodyClass !== 'binary') {
            const codings = parseCodings(response.headers['content-encoding']);
            checkCodings(codings, current.host);
            decoded = decodedStream(stream as unknown as Readable, codings);
            let nextProgress = PROGRESS_STEP;
            try {
              for await (const chunk of decoded as AsyncIterable<Buffer>) {
                const more = collected.push(chunk);
                received = collected.length;
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
              if (isDecodeError(error)) throw decodeError(codings, current.host, error);
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
            finalUrl: current.href,
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
        } finally {
          if (hop && !hop.request.readableEnded) hop.request.destroy();
          release();
        }
      }
    } catch (error) {
      throw classifyError(error, {
        url: current,
        phase,
        received,
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
      destroyAgents();
    },
  };
}

interface ErrorContext {
  url: URL;
  phase: Phase;
  received: number;
  timeoutMs: number;
  timedOut: boolean;
  cancelled: boolean;
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_CERT)/;

function classifyError(error: unknown, context: ErrorContext): FetchError {
  const host = context.url.host;
  if (context.cancelled) {
    return new FetchError(`The fetch of ${context.url.href} was cancelled.`, {
      code: 'cancelled',
      kind: 'cancelled',
      cause: error,
    });
  }
  const known = findFetchError(error);
  if (known) return known;
  if (context.timedOut) {
    const progress = context.phase === 'reading the body' ? ` after ${context.received} bytes of body` : '';
    return new FetchError(
      `Timed out after ${context.timeoutMs} ms while ${context.phase} from ${host}${progress}. This is a network timeout, not a policy refusal.`,
      {
        code: 'timeout',
        kind: 'network',
        retryable: true,
        hint: 'Try again, perhaps with a larger timeoutMs, or use another source.',
        details: { phase: context.phase, receivedBytes: context.received, timeoutMs: context.timeoutMs },
        cause: error,
      },
    );
  }
  const code = String((error as { code?: unknown }).code ?? '');
  const network = (errorCode: string, message: string, hint: string, retryable = true): FetchError =>
    new FetchError(`${message} This is a network failure, not a policy refusal.`, {
      code: errorCode,
      kind: 'network',
      retryable,
      hint,
      details: { host, systemCode: code || undefined },
      cause: error,
    });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return network(
      'dns_failed',
      `The host ${context.url.hostname} could not be resolved (${code}).`,
      'Check the spelling of the host name.',
      code === 'EAI_AGAIN',
    );
  }
  if (code === 'ECONNREFUSED') {
    return network('connection_refused', `${host} refused the connection.`, 'The server may be down; try again later.');
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return network(
      'connection_reset',
      `The connection to ${host} was closed unexpectedly while ${context.phase}.`,
      'Try again.',
    );
  }
  if (code === 'ETIMEDOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return network('unreachable', `${host} could not be reached (${code}).`, 'Try again later.');
  }
  if (TLS_CODES.test(code)) {
    return network(
      'tls_error',
      `The TLS connection to ${host} failed (${code}).`,
      'The site’s certificate is not valid; do not retry.',
      false,
    );
  }
  if (code.startsWith('HPE_')) {
    const why =
      code === 'HPE_HEADER_OVERFLOW'
        ? 'its headers are larger than the 16 KiB this client reads'
        : `${error instanceof Error ? error.message : code}`.slice(0, 120);
    return new FetchError(
      `${host} sent a response that is not valid HTTP while ${context.phase} (${why}). This is a fault of the server, not a network failure or a policy refusal.`,
      {
        code: 'invalid_response',
        kind: 'http',
        hint: 'Use another source for this page.',
        details: { host, systemCode: code },
        cause: error,
      },
    );
  }
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return new FetchError('A request header name or value is not valid HTTP.', {
      code: 'invalid_header',
      kind: 'input',
      hint: 'Use plain ASCII header names and single-line values.',
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return network(
    'network_error',
    `The request to ${host} failed while ${context.phase}: ${message.slice(0, 200)}.`,
    'Try again later.',
  );
}
