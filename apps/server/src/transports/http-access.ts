/**
 * Who may talk to the endpoint: the Host allowlist and the Origin check (DNS-rebinding protection: a browser page on
 * another site cannot reach a server on this machine even by rebinding its DNS name to 127.0.0.1), and the bearer
 * token, compared in constant time. A keep-alive connection's Authorization and Host values are checked once in
 * full, then compared as strings on its later requests.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** The names every server answers to. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** The host name of a Host header or host string (port dropped, IPv6 in brackets), lower-cased. */
export function hostnameOf(host: string): string | undefined {
  try {
    const bracketed = host.includes(':') && !host.startsWith('[') && host.split(':').length > 2 ? `[${host}]` : host;
    return new URL(`http://${bracketed}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function originOf(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Tokens are compared as SHA-256 digests: equal lengths for timingSafeEqual, and nothing learned from timing. */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/** What {@link createAccessGuard} checks against. */
export interface AccessOptions {
  /** The bound address (a name or address that is not a wildcard is accepted as a Host). */
  host: string;
  token: string;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

/** The checks of one server, each a predicate on a request (or an Origin value). */
export function createAccessGuard(options: AccessOptions): {
  authorized(req: IncomingMessage): boolean;
  hostAllowed(req: IncomingMessage): boolean;
  originAllowed(origin: string): boolean;
} {
  const allowedHosts = new Set(LOOPBACK_NAMES);
  const bound = hostnameOf(options.host);
  if (bound && !WILDCARDS.has(bound)) allowedHosts.add(bound);
  for (const host of options.allowedHosts) {
    const name = hostnameOf(host);
    if (name) allowedHosts.add(name);
  }
  const allowedOrigins = new Set(
    options.allowedOrigins.map((origin) => originOf(origin)?.origin ?? origin.replace(/\/+$/, '')),
  );
  const tokenDigest = digest(options.token);

  // What a keep-alive connection has already proven: its Authorization and Host values, checked once in full, then
  // compared as strings on later requests. Safe: only a connection that sent the token can have it cached.
  const proven = new WeakMap<Socket, { authorization?: string; host?: string }>();
  const provenOf = (req: IncomingMessage) => {
    let entry = proven.get(req.socket);
    if (!entry) {
      entry = {};
      proven.set(req.socket, entry);
    }
    return entry;
  };

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    if (header === undefined) return false;
    const entry = provenOf(req);
    if (entry.authorization === header) return true;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1] as string), tokenDigest)) return false;
    entry.authorization = header;
    return true;
  };

  const hostAllowed = (req: IncomingMessage): boolean => {
    const host = req.headers.host;
    if (host === undefined) return false;
    const entry = provenOf(req);
    if (entry.host === host) return true;
    const name = hostnameOf(host);
    if (!name || !allowedHosts.has(name)) return false;
    entry.host = host;
    return true;
  };

  const originAllowed = (origin: string): boolean => {
    const url = originOf(origin);
    if (!url) return false;
    return LOOPBACK_NAMES.includes(url.hostname.toLowerCase()) || allowedOrigins.has(url.origin);
  };

  return { authorized, hostAllowed, originAllowed };
}
