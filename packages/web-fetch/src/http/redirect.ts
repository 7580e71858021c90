/**
 * Where a redirect leads: the next hop's URL (checked by the request policy, as every hop is), method, body and
 * headers (credentials dropped across origins), or the error when the chain is too long or the Location is not a URL.
 */
import { FetchError, policyError } from '../policy/fetch-error.js';
import { CREDENTIAL_HEADERS, type RequestPolicy } from '../policy/request-policy.js';
import type { RedirectHop } from './fetcher.js';

/** The statuses that redirect (when a Location comes with them). */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** What one hop sends. */
export interface Hop {
  url: URL;
  method: string;
  body: string | undefined;
  headers: Record<string, string>;
}

/** What {@link redirectedHop} needs besides the hop that redirected. */
export interface RedirectContext {
  status: number;
  location: string;
  /** The chain so far; the redirecting hop is appended. */
  redirects: RedirectHop[];
  maxRedirects: number;
  /** The URL first asked for, for the message. */
  requestedUrl: string;
  requestPolicy: RequestPolicy;
}

/** The hop a redirect of `hop` leads to; appends `hop` to `redirects`. */
export function redirectedHop(hop: Hop, context: RedirectContext): Hop {
  const { status, location, redirects, maxRedirects, requestedUrl, requestPolicy } = context;
  let { method: currentMethod, body: currentBody, headers } = hop;
  if (redirects.length >= maxRedirects) {
    throw policyError('too_many_redirects', `${requestedUrl} redirected more than ${maxRedirects} times`, {
      hint: 'Fetch the last URL of the chain directly if you trust it, or use another source.',
      details: { redirects: [...redirects, { url: hop.url.href, status }] },
    });
  }
  redirects.push({ url: hop.url.href, status });
  let target: URL;
  try {
    target = new URL(location, hop.url);
  } catch (cause) {
    throw new FetchError(
      `${hop.url.href} redirected (HTTP ${status}) to a Location that is not a valid URL: ${JSON.stringify(location.slice(0, 200))}. This is a fault of the server, not a policy refusal.`,
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
  if (next.origin !== hop.url.origin) {
    headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name)));
  }
  if (status === 303 || ((status === 301 || status === 302) && currentMethod === 'POST')) {
    if (currentMethod !== 'HEAD') currentMethod = 'GET';
    currentBody = undefined;
  }
  return { url: next, method: currentMethod, body: currentBody, headers };
}
