/** The HTTP load generator of server.bench.ts: plain-HTTP clients in each era, and a load of concurrent calls. */
import { Agent, request as httpRequest } from 'node:http';
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

  #envelope(): Record<string, unknown> {
    return {
      'io.modelcontextprotocol/protocolVersion': this.#era,
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
  }

  #post(
    body: { method: string; params?: Record<string, unknown>; id?: number },
    name?: string,
  ): Promise<{ status: number; session: string | undefined; text: string }> {
    const modern = this.#era === '2026-07-28';
    const payload = JSON.stringify({
      jsonrpc: '2.0',
      ...body,
      ...(modern ? { params: { ...body.params, _meta: this.#envelope() } } : {}),
    });
    const headers: Record<string, string | number> = {
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
    };
    if (modern) {
      headers['mcp-protocol-version'] = this.#era;
      headers['mcp-method'] = body.method;
      if (name) headers['mcp-name'] = name;
    } else if (this.#session) {
      headers['mcp-protocol-version'] = this.#era;
      headers['mcp-session-id'] = this.#session;
    }
    return this.#send(payload, headers);
  }

  /**
   * One POST. A keep-alive socket the server closed while idle (its 5 s keep-alive timeout, reached while the other
   * server's round ran) can fail the next request with ECONNRESET: Node's documented remedy is to retry on
   * a reused socket, done here once and counted in `staleSocketRetries` (the echo tool is safe to repeat).
   */
  #send(
    payload: string,
    headers: Record<string, string | number>,
    retried = false,
  ): Promise<{ status: number; session: string | undefined; text: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(this.#url, { method: 'POST', agent: this.#agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const session = res.headers['mcp-session-id'];
          resolve({ status: res.statusCode ?? 0, session: typeof session === 'string' ? session : undefined, text });
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET') {
          this.staleSocketRetries++;
          resolve(this.#send(payload, headers, true));
        } else reject(error);
      });
      req.end(payload);
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
