/**
 * One hop of a fetch on the wire: a single request through got, never following redirects itself, connected only to
 * addresses the guarded lookup checked (or, through a proxy, to a proxy after the target's addresses were checked
 * here), over keep-alive agents made with the first request. got, node:http(s) and hpagent load on first use.
 */
import type http from 'node:http';
import type https from 'node:https';
import { isIP } from 'node:net';
import type { Agents, Request as GotRequest } from 'got';
import { lazy } from '../lazy.js';
import type { AddressPolicy } from '../policy/address-policy.js';
import { FetchError } from '../policy/fetch-error.js';
import { blockedAddressError, normalizeHost } from '../policy/request-policy.js';
import { ACCEPT_ENCODING } from './content-coding.js';
import type { LookupFunction, Resolver } from './guarded-lookup.js';

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

/** A hop's response head and the stream its body comes on. */
export interface HopResult {
  response: http.IncomingMessage;
  request: GotRequest;
}

/** Sends hops; owns the keep-alive agents. */
export interface HopSender {
  send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<HopResult>;
  /** Destroy the agents (idle keep-alive sockets); agents still being made are destroyed once made. */
  close(): void;
}

/** What {@link createHopSender} needs from the fetcher. */
export interface HopSenderOptions {
  userAgent: string;
  proxy: string | undefined;
  addressPolicy: AddressPolicy;
  resolver: Resolver;
  lookup: LookupFunction;
  /** Aborted when the fetcher closes. */
  closing: AbortSignal;
}

/** The hop sender of one fetcher. */
export function createHopSender(options: HopSenderOptions): HopSender {
  const { addressPolicy, resolver, lookup } = options;
  // Made with the first request. `agents` is what close() destroys.
  let agents: HttpAgents | undefined;
  const destroyAgents = (): void => {
    agents?.http.destroy();
    agents?.https.destroy();
  };
  const getAgents = lazy(async () => {
    agents = await createAgents(options.proxy);
    if (options.closing.aborted) destroyAgents(); // closed while they were being made
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

  const send = async (
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

  return {
    send,
    close() {
      destroyAgents();
    },
  };
}
