/** The HTTP load generator of server.bench.ts: plain-HTTP clients in each era, and a load of concurrent calls. */
import { Agent } from 'node:http';
import { type RawReply, rawPost } from './raw-mcp.ts';
import { type Era, HTTP_CLIENTS, hr, msSince, quantile } from './server-common.ts';

export interface LoadResult {
  /** Server CPU time per call, in microseconds: robust to other load on the machine, unlike throughput. */
  serverCpuUsPerCall?: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** What went wrong, when something did: HTTP status, socket error code, or a wrong answer. */
  errorKinds?: Record<string, number>;
  /** Requests retried once on a keep-alive socket the server had closed (not errors of the server's). */
  staleSocketRetries: number;
  calls: number;
}

/**
 * One load client, spoken in plain HTTP (node:http) on a keep-alive connection so the load generator stays cheap
 * and the servers, not a client library, are measured. It speaks what an SDK v2 client puts on the wire:
 * - 2026-07-28: `server/discover` once, then each `tools/call` standing alone, carrying the `_meta` envelope
 *   (revision, client info and capabilities) and the `Mcp-Method` / `Mcp-Name` headers;
 * - 2025-11-25: a session opened with `initialize`, then `tools/call` requests with its `Mcp-Session-Id`.
 * Every answer is checked to carry the caller's own text.
 */
export class LoadClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  readonly #url: string;
  readonly #token: string | undefined;
  readonly #era: Era;
  #session = '';
  #id = 0;
  /** Requests sent again because their keep-alive socket had been closed by the server meanwhile. */
  staleSocketRetries = 0;

  constructor(url: string, token: string | undefined, era: Era) {
    this.#url = url;
    this.#token = token;
    this.#era = era;
  }

  /** One POST, retried once on a stale keep-alive socket (see `rawPost`; the echo tool is safe to repeat). */
  #post(body: { method: string; params?: Record<string, unknown>; id?: number }, name?: string): Promise<RawReply> {
    const target = { url: this.#url, agent: this.#agent, era: this.#era, token: this.#token, session: this.#session };
    return rawPost(target, body, name, () => {
      this.staleSocketRetries++;
    });
  }

  async open(): Promise<void> {
    if (this.#era === '2026-07-28') {
      const discover = await this.#post({ id: ++this.#id, method: 'server/discover', params: {} });
      if (discover.status !== 200 || !discover.text.includes(this.#era)) {
        throw new Error(`server/discover failed: ${discover.status} ${discover.text}`);
      }
      return;
    }
    const init = await this.#post({
      id: ++this.#id,
      method: 'initialize',
      params: { protocolVersion: this.#era, capabilities: {}, clientInfo: { name: 'bench', version: '0' } },
    });
    if (init.status !== 200 || !init.session) throw new Error(`initialize failed: ${init.status} ${init.text}`);
    this.#session = init.session;
    await this.#post({ method: 'notifications/initialized' });
  }

  /** Call the tool; undefined when the answer is right, else what was wrong with it. */
  async call(tool: string, text: string): Promise<string | undefined> {
    const reply = await this.#post(
      { id: ++this.#id, method: 'tools/call', params: { name: tool, arguments: { text } } },
      tool,
    );
    if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.text.slice(0, 120)}`;
    if (reply.text.includes('"isError":true')) return `tool error: ${reply.text.slice(0, 120)}`;
    return reply.text.includes(`"text":"${text}"`) ? undefined : `wrong answer: ${reply.text.slice(0, 120)}`;
  }

  close(): void {
    this.#agent.destroy();
  }
}

export async function connectClients(url: string, era: Era, token?: string): Promise<LoadClient[]> {
  return Promise.all(
    Array.from({ length: HTTP_CLIENTS }, async () => {
      const client = new LoadClient(url, token, era);
      await client.open();
      return client;
    }),
  );
}

export async function load(clients: readonly LoadClient[], tool: string, calls: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const fail = (kind: string) => {
    errors++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  const perClient = Math.ceil(calls / clients.length);
  const retriesBefore = clients.reduce((sum, client) => sum + client.staleSocketRetries, 0);
  const start = hr();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; i < perClient; i++) {
        const t0 = hr();
        try {
          const wrong = await client.call(tool, `c${c}-${i}`);
          if (wrong !== undefined) fail(wrong);
        } catch (error) {
          fail(
            `${(error as { code?: string }).code ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        latencies.push(msSince(t0));
      }
    }),
  );
  const seconds = msSince(start) / 1000;
  const staleSocketRetries = clients.reduce((sum, client) => sum + client.staleSocketRetries, 0) - retriesBefore;
  latencies.sort((a, b) => a - b);
  return {
    callsPerSecond: latencies.length / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    errors,
    ...(errors > 0 ? { errorKinds } : {}),
    staleSocketRetries,
    calls: latencies.length,
  };
}
