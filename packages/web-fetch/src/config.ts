import { z } from 'zod';
import { isValidCidrOrAddress } from './policy/address-policy.js';
import { FORBIDDEN_REQUEST_HEADERS } from './policy/request-policy.js';

/** 5 MiB: the default cap on a response body, counted after decompression. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** The User-Agent sent by default. Its product token (`mcp-packs-web-fetch`) is what robots.txt groups match. */
export const DEFAULT_USER_AGENT = 'mcp-packs-web-fetch/0.1 (+https://github.com/mcp-packs/mcp-packs)';

const hostPattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\*\.)?[a-z0-9.:[\]-]+$/,
    'expected a host name ("example.com"), a wildcard for its subdomains ("*.example.com") or an IP literal',
  );

const methodName = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The config of the web-fetch pack. Every default is the safe choice. */
export const webFetchConfigSchema = z
  .object({
    allowPrivateNetwork: z
      .boolean()
      .default(false)
      .describe(
        'Allow requests to loopback, private (RFC 1918), link-local, CGNAT, unique-local IPv6 and other non-public addresses. Cloud metadata addresses stay blocked unless listed in allowAddresses.',
      ),
    allowAddresses: z
      .array(z.string().refine(isValidCidrOrAddress, 'expected an IP address or CIDR range such as "10.1.0.0/16"'))
      .default([])
      .describe(
        'IP addresses or CIDR ranges that may be reached even though they are not public, e.g. ["127.0.0.1/32"] for a local dev server. Narrower than allowPrivateNetwork.',
      ),
    allowHosts: z
      .array(hostPattern)
      .default([])
      .describe(
        'If not empty, only these hosts may be fetched ("example.com" exactly, "*.example.com" for its subdomains). Redirects are held to the same list. Does not lift the address checks.',
      ),
    denyHosts: z
      .array(hostPattern)
      .default([])
      .describe('Hosts that may never be fetched (same patterns as allowHosts); wins over allowHosts.'),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .default(DEFAULT_MAX_BYTES)
      .describe(
        'Largest response body read, in bytes after decompression; the download stops at this size (default 5 MiB).',
      ),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .default(30_000)
      .describe('Default time limit of one fetch, redirects and robots.txt included, in ms.'),
    maxTimeoutMs: z
      .number()
      .int()
      .min(100)
      .default(120_000)
      .describe('Highest time limit a call may ask for with its timeoutMs argument, in ms.'),
    maxRedirects: z.number().int().min(0).max(20).default(5).describe('Most redirects followed in one fetch.'),
    userAgent: z
      .string()
      .min(1)
      .default(DEFAULT_USER_AGENT)
      .describe('The User-Agent header. Its first product token is matched against robots.txt user-agent groups.'),
    respectRobotsTxt: z
      .boolean()
      .default(true)
      .describe(
        'Honour robots.txt (RFC 9309) for every URL fetched by a tool, redirects included. Cached per origin; 4xx means allowed, 5xx or unreachable means disallowed.',
      ),
    proxy: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'An HTTP(S) proxy for every request, e.g. "http://proxy.internal:3128". Target addresses are still checked, but DNS pinning is then the proxy’s job.',
      ),
    allowedHeaders: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'expected an HTTP header name')
          .refine((name) => !FORBIDDEN_REQUEST_HEADERS.has(name), {
            message: 'this header is controlled by the pack and cannot be allowed',
          }),
      )
      .default(['accept', 'accept-language', 'cache-control', 'if-modified-since', 'if-none-match'])
      .describe(
        'Request header names a call may set. Authorization and Cookie are refused unless listed here. Hop-by-hop and framing headers (Host, Content-Length, …) can never be set.',
      ),
    allowedMethods: z
      .array(methodName)
      .default(['GET', 'HEAD'])
      .describe(
        'HTTP methods a call may use. Anything beyond GET and HEAD lets the model change things on remote servers: enable with care.',
      ),
    maxConcurrentPerHost: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(6)
      .describe('Most requests in flight to one host at a time (6, as browsers do); further calls wait their turn.'),
    defaultMaxLength: z
      .number()
      .int()
      .min(100)
      .default(20_000)
      .describe('Characters of content returned per call when the call does not say (maxLength).'),
  })
  .refine((config) => config.timeoutMs <= config.maxTimeoutMs, {
    message: 'timeoutMs must not exceed maxTimeoutMs',
    path: ['timeoutMs'],
  })
  .describe('Config of @mcp-packs/web-fetch.');

/** The validated config, defaults applied. */
export type WebFetchConfig = z.output<typeof webFetchConfigSchema>;

/** The config a mount accepts: every field optional. */
export type WebFetchConfigInput = z.input<typeof webFetchConfigSchema>;
