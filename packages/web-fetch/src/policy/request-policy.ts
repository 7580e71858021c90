/**
 * Checks on a request before anything is sent: the URL (scheme, credentials, host lists, IP literals), the
 * method and the headers. The resolved address of a host name is checked later, at connect time, by the guarded
 * lookup, because only then is the address that will be used known.
 */
import { type AddressPolicy, RANGE_DESCRIPTIONS } from './address-policy.js';
import { FetchError, policyError } from './fetch-error.js';

/** Headers the pack controls (framing, hop-by-hop, routing, compression): never settable by a call or config. */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-connection',
  'proxy-authorization',
  'accept-encoding',
  'user-agent',
]);

/** Headers that carry credentials: refused unless config allows them, and dropped on cross-origin redirects. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Options of {@link createRequestPolicy}. */
export interface RequestPolicyOptions {
  addressPolicy: AddressPolicy;
  allowHosts?: readonly string[];
  denyHosts?: readonly string[];
  allowedHeaders?: readonly string[];
  allowedMethods?: readonly string[];
}

/** The checks applied to every request and every redirect hop. */
export interface RequestPolicy {
  /** Parse and check a URL; returns it normalised or throws a {@link FetchError}. */
  checkUrl(url: string | URL): URL;
  /** Check a method; returns it upper-cased or throws. */
  checkMethod(method: string): string;
  /** Check request headers; returns them with lower-case names or throws. */
  checkHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string>;
  /** The address policy, for the connect-time check. */
  readonly addressPolicy: AddressPolicy;
}

/** The host of a URL as host lists see it: lower case, no trailing dot, IPv6 without brackets. */
export function normalizeHost(hostname: string): string {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  while (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

/** True when `host` matches `pattern`: exact (`example.com`) or any subdomain (`*.example.com`). */
export function hostMatches(host: string, pattern: string): boolean {
  const normalized = normalizeHost(pattern);
  if (normalized.startsWith('*.')) return host.endsWith(normalized.slice(1));
  return host === normalized;
}

/**
 * Build the request policy.
 *
 * @example
 * const policy = createRequestPolicy({ addressPolicy: createAddressPolicy(), denyHosts: ['*.internal'] });
 * policy.checkUrl('ftp://example.com/'); // throws FetchError blocked_scheme
 */
export function createRequestPolicy(options: RequestPolicyOptions): RequestPolicy {
  const allowHosts = options.allowHosts ?? [];
  const denyHosts = options.denyHosts ?? [];
  const allowedHeaders = new Set((options.allowedHeaders ?? []).map((name) => name.toLowerCase()));
  const allowedMethods = new Set((options.allowedMethods ?? ['GET', 'HEAD']).map((name) => name.toUpperCase()));
  const addressPolicy = options.addressPolicy;

  return {
    addressPolicy,
    checkUrl(input) {
      let url: URL;
      try {
        url = typeof input === 'string' ? new URL(input) : new URL(input.href);
      } catch (cause) {
        throw new FetchError(`Not a valid absolute URL: ${JSON.stringify(String(input).slice(0, 200))}.`, {
          code: 'invalid_url',
          kind: 'input',
          hint: 'Pass a full URL including the scheme, e.g. "https://example.com/page".',
          cause,
        });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw policyError('blocked_scheme', `only http and https URLs are fetched, not ${url.protocol}`, {
          hint: 'Use an http:// or https:// URL.',
          details: { url: url.href.slice(0, 500) },
        });
      }
      if (url.username !== '' || url.password !== '') {
        throw policyError('credentials_in_url', 'URLs with a user name or password in them are not fetched', {
          hint: 'Remove the "user:password@" part of the URL.',
        });
      }
      // WHATWG URL parsing has already turned odd IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1, 127.1) into
      // dotted decimal and IPv6 into its canonical form, so a literal is recognised here whatever its spelling.
      const host = normalizeHost(url.hostname);
      if (denyHosts.some((pattern) => hostMatches(host, pattern))) {
        throw policyError('host_denied', `the host ${host} is on this server's deny list`, {
          hint: 'Use another source; this host cannot be fetched here.',
          details: { host },
        });
      }
      if (allowHosts.length > 0 && !allowHosts.some((pattern) => hostMatches(host, pattern))) {
        throw policyError('host_not_allowed', `the host ${host} is not on this server's allow list`, {
          hint: `Only these hosts can be fetched: ${allowHosts.join(', ')}.`,
          details: { host, allowHosts: [...allowHosts] },
        });
      }
      const verdict = addressPolicy.check(host);
      if (verdict.range !== 'invalid' && !verdict.allowed)
        throw blockedAddressError(host, verdict.address, verdict.range);
      return url;
    },
    checkMethod(method) {
      const upper = method.toUpperCase();
      if (!allowedMethods.has(upper)) {
        throw policyError('method_not_allowed', `the ${upper} method is not enabled on this server`, {
          hint: `Use one of: ${[...allowedMethods].join(', ')}.`,
          details: { method: upper },
        });
      }
      return upper;
    },
    checkHeaders(headers) {
      const out: Record<string, string> = {};
      for (const [rawName, value] of Object.entries(headers ?? {})) {
        const name = rawName.trim().toLowerCase();
        if (FORBIDDEN_REQUEST_HEADERS.has(name)) {
          throw policyError('header_not_allowed', `the ${name} header is set by this server and cannot be overridden`, {
            hint: 'Leave it out.',
            details: { header: name },
          });
        }
        if (!allowedHeaders.has(name)) {
          const credential = CREDENTIAL_HEADERS.has(name);
          throw policyError(
            'header_not_allowed',
            credential
              ? `the ${name} header carries credentials and this server is not configured to send it`
              : `the ${name} header is not on this server's list of allowed headers`,
            {
              hint:
                allowedHeaders.size > 0
                  ? `Headers you may set: ${[...allowedHeaders].join(', ')}.`
                  : 'This server allows no custom headers.',
              details: { header: name },
            },
          );
        }
        if (/[\r\n\0]/.test(value)) {
          throw new FetchError(`The value of the ${name} header contains a line break or NUL.`, {
            code: 'invalid_header',
            kind: 'input',
            hint: 'Header values are single-line text.',
          });
        }
        out[name] = value;
      }
      return out;
    },
  };
}

/** The error for a connection refused because of the address it would reach. */
export function blockedAddressError(host: string, address: string, range: keyof typeof RANGE_DESCRIPTIONS): FetchError {
  const target = host === address ? address : `${host} (${address})`;
  return policyError(
    'blocked_address',
    `${target} is ${RANGE_DESCRIPTIONS[range]}, and this server only fetches public addresses`,
    {
      hint:
        range === 'cloud-metadata'
          ? 'Cloud metadata endpoints are never fetched.'
          : 'Use a public URL. An operator who wants this address reachable can set allowPrivateNetwork or allowAddresses in the pack config.',
      details: { host, address, range },
    },
  );
}
