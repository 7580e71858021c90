/**
 * The composer, `mcp-packs` (apps/server, built), measured through a real SDK v2 client in each protocol era,
 * side by side in one run with:
 *
 * - the floor: a raw SDK v2 server with one tool (`echo`), written below: `serveStdio` on stdio (both eras), and on
 *   Streamable HTTP `createMcpHandler` for 2026-07-28 next to a session per client for 2025-11-25, routed with the
 *   SDK's own `isLegacyRequest` (the wiring the SDK documents, and the composer's);
 * - the reference: `@modelcontextprotocol/server-filesystem` from npm (stdio). It is built on SDK v1 and speaks the
 *   2025 era only: its 2026 figures are absent, and the results say why (with the error a pinned client gets).
 *
 * Eras: 2026-07-28 is a client pinned to it (`server/discover`, then requests that each carry the `_meta`
 * envelope); 2025-11-25 is the default `legacy` client (`initialize`). The client's stdio transport is a subclass
 * of the SDK's, so its version probe runs on the connection itself, not on a sibling process it would spawn.
 *
 * Figures, every variant and era interleaved within each phase:
 * - cold start: spawn → connected → tools/list answered (median of 10 per server and era), as the client sees it
 *   (`listTools()` resolved), with the moment the response reached the transport beside it (the rest is the
 *   client's own work on the list);
 * - per-call: sequential calls of a cheap tool through the client, each era, each server (median of batch means,
 *   p50/p99 of single calls, paired ratios): `echo` on the floor and on mcp-packs serving the same tool as a pack,
 *   `fs_list_allowed_directories` on the default config next to the reference's `list_allowed_directories`;
 * - idle RSS: the server's process tree 2 s after tools/list (median of 3), and again after the per-call phase;
 * - tools/list size (bytes, per tool, per era);
 * - HTTP under load, each era: 50 concurrent clients of a cheap tool, zero errors, throughput vs the raw v2 server,
 *   p50/p99 latency and server CPU per call. 2026-07-28: every request stands alone (a fresh protocol server per
 *   request, on both servers); 2025-11-25: a session per client.
 *
 * `mcp-packs` runs with the built-in default config (whichever of our packs are installed), with a config mounting
 * the test fixture pack (apps/server/test/fixtures/local-pack.mjs), with a pack of the floor's one tool (same name,
 * input and text result, so the two do the same work), and with each of our packs alone.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client, type JSONRPCMessage, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { compare, pairedRatio, type VariantStats, writeResult } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const serverDir = join(repo, 'apps', 'server');
const CLI = join(serverDir, 'dist', 'cli.js');
const FIXTURE_PACK = join(serverDir, 'test', 'fixtures', 'local-pack.mjs');
const TOKEN = 'bench-token-0123456789abcdef';

/** The protocol eras, newest first: 2026-07-28 (stateless, `server/discover`) and 2025-11-25 (`initialize`). */
const ERAS = ['2026-07-28', '2025-11-25'] as const;
type Era = (typeof ERAS)[number];

const COLD_RUNS = 10;
const RSS_RUNS = 3;
const CALL_BATCH = 50;
const CALL_BATCHES = 40;
const HTTP_CLIENTS = 50;
const HTTP_CALLS = 6000;
/** Rounds per server and era; even, as rounds alternate which server goes first (the second of a pair runs slower). */
const HTTP_ROUNDS = 6;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const hr = () => process.hrtime.bigint();
const msSince = (start: bigint, end = hr()) => Number(end - start) / 1e6;

/**
 * The raw SDK v2 floor over stdio: one tool, nothing else, served in both eras by the SDK's `serveStdio`. It turns
 * on Node's compile cache as the `mcp-packs` CLI does, so that start-up ratios compare the servers' work, not
 * whether bytecode was cached.
 */
function rawStdioSource(): string {
  const server = import.meta.resolve('@modelcontextprotocol/server');
  const stdio = import.meta.resolve('@modelcontextprotocol/server/stdio');
  const zod = import.meta.resolve('zod');
  return `import module from 'node:module';
module.enableCompileCache?.();
const { McpServer } = await import(${JSON.stringify(server)});
const { serveStdio } = await import(${JSON.stringify(stdio)});
const { z } = await import(${JSON.stringify(zod)});
const input = z.object({ text: z.string() });
serveStdio(() => {
  const server = new McpServer({ name: 'raw', version: '0' });
  server.registerTool('echo', { description: 'Echo the text.', inputSchema: input }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
});
`;
}

/** The same one tool as a pack (no output schema, text result). */
function oneToolPackSource(): string {
  const core = pathToFileURL(join(repo, 'packages', 'core', 'dist', 'index.js')).href;
  const zod = import.meta.resolve('zod');
  return `import { definePack, defineTool } from ${JSON.stringify(core)};
import { z } from ${JSON.stringify(zod)};
export default definePack({
  name: 'bench',
  description: 'One cheap tool.',
  tools: {
    echo: defineTool({
      description: 'Echo the text.',
      inputSchema: z.object({ text: z.string() }),
      annotations: { readOnlyHint: true },
      execute: ({ text }) => text,
    }),
  },
});
`;
}

/**
 * The raw SDK v2 floor over Streamable HTTP, both eras at one endpoint as the SDK documents it: a request with a
 * session id goes to its session; otherwise `isLegacyRequest` decides: 2025 (`initialize`) opens a session with a
 * server of its own, 2026 goes to `createMcpHandler` (a fresh server per request). Every body is read and parsed
 * once, here, and handed on (as the composer does).
 *
 * A floor, so as cheap as the SDK allows: the tool's schema is built once, not in the factory, and every server
 * shares one JSON Schema validator (the composer does both). Written as the SDK's examples write a factory (a fresh
 * `z.object` and a default validator per server), each 2026-era request costs ~2x as much in-process (measured
 * while writing this: ~420 µs vs ~200 µs per tools/call through `createMcpHandler`), which would flatter mcp-packs.
 */
function rawHttpSource(): string {
  const server = import.meta.resolve('@modelcontextprotocol/server');
  const ajv = import.meta.resolve('@modelcontextprotocol/server/validators/ajv');
  const node = import.meta.resolve('@modelcontextprotocol/node');
  const zod = import.meta.resolve('zod');
  return `import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import module from 'node:module';
module.enableCompileCache?.();
const { McpServer, createMcpHandler, isLegacyRequest } = await import(${JSON.stringify(server)});
const { AjvJsonSchemaValidator } = await import(${JSON.stringify(ajv)});
const { NodeStreamableHTTPServerTransport, toNodeHandler } = await import(${JSON.stringify(node)});
const { z } = await import(${JSON.stringify(zod)});
const input = z.object({ text: z.string() });
const jsonSchemaValidator = new AjvJsonSchemaValidator();
const newServer = () => {
  const server = new McpServer({ name: 'raw', version: '0' }, { jsonSchemaValidator });
  server.registerTool('echo', { description: 'Echo the text.', inputSchema: input }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
};
const modern = toNodeHandler(createMcpHandler(newServer, { legacy: 'reject' }));
const sessions = new Map();
const readBody = async (req) => {
  if (req.method !== 'POST') return undefined;
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};
const httpServer = createServer(async (req, res) => {
  const id = req.headers['mcp-session-id'];
  const body = await readBody(req);
  if (typeof id === 'string') {
    const transport = sessions.get(id);
    if (!transport) { res.writeHead(404).end(); return; }
    await transport.handleRequest(req, res, body);
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  if (!(await isLegacyRequest(new Request('http://localhost' + req.url, { method: req.method, headers }), body))) {
    await modern(req, res, body);
    return;
  }
  const server = newServer();
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    onsessioninitialized: (sid) => sessions.set(sid, transport),
  });
  transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
});
httpServer.listen(0, '127.0.0.1', () => process.stderr.write('serving on http://127.0.0.1:' + httpServer.address().port + '/mcp\\n'));
process.on('SIGTERM', () => process.exit(0));
`;
}

/** A tool call: which tool, with what. */
interface ToolCallSpec {
  name: string;
  arguments: Record<string, unknown>;
}

/** A server under test, started as a child process on stdio. */
interface StdioServer {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** The eras it speaks. */
  eras: readonly Era[];
  /** A cheap tool for the per-call figures (none: cold start and memory only). */
  cheapCall?: ToolCallSpec;
}

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('MCP_PACKS_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * The SDK's stdio client transport, probing in place: on the base class exactly, a client pinned to 2026-07-28 (or
 * in `auto` mode) runs its version probe on a sibling process spawned just for it, which would double every start.
 */
class InPlaceStdioClientTransport extends StdioClientTransport {}

/** A real SDK v2 client in `era`: pinned to 2026-07-28, or the default 2025 `initialize` handshake. */
function newClient(era: Era): Client {
  return new Client(
    { name: 'bench', version: '0' },
    { versionNegotiation: { mode: era === '2025-11-25' ? 'legacy' : { pin: era } } },
  );
}

function transportFor(server: StdioServer): InPlaceStdioClientTransport {
  return new InPlaceStdioClientTransport({
    command: server.command,
    args: server.args,
    env: childEnv(server.env),
    ...(server.cwd ? { cwd: server.cwd } : {}),
    stderr: 'ignore',
  });
}

interface Started {
  client: Client;
  transport: InPlaceStdioClientTransport;
  pid: number;
  /** Spawn → `connect()` resolved (2026: `server/discover` answered; 2025: `initialize` done), in ms. */
  connectedMs: number;
  /** Spawn → the tools/list response reached the transport, in ms. */
  answeredMs: number;
  /** Spawn → `listTools()` resolved, the client's own work on the list included, in ms. */
  listedMs: number;
  tools: number;
  /** The listed tools as JSON, in bytes. */
  toolsBytes: number;
  /** The whole tools/list response as JSON, in bytes (the 2026 era adds result metadata). */
  responseBytes: number;
  /** The revision the client and server agreed on. */
  protocol: string | undefined;
}

/** Spawn the server, connect a client in `era`, list its tools; timed from before the spawn. */
async function start(server: StdioServer, era: Era): Promise<Started> {
  const t0 = hr();
  const transport = transportFor(server);
  const client = newClient(era);
  await client.connect(transport);
  const connectedMs = msSince(t0);
  let answeredAt: bigint | undefined;
  let responseBytes = 0;
  const deliver = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    if (
      answeredAt === undefined &&
      'result' in message &&
      Array.isArray((message.result as { tools?: unknown }).tools)
    ) {
      answeredAt = hr();
      responseBytes = Buffer.byteLength(JSON.stringify(message));
    }
    deliver?.(message);
  };
  const { tools } = await client.listTools();
  const listedAt = hr();
  transport.onmessage = deliver;
  return {
    client,
    transport,
    pid: transport.pid as number,
    connectedMs,
    answeredMs: msSince(t0, answeredAt ?? listedAt),
    listedMs: msSince(t0, listedAt),
    tools: tools.length,
    toolsBytes: Buffer.byteLength(JSON.stringify(tools)),
    responseBytes,
    protocol: client.getNegotiatedProtocolVersion(),
  };
}

/** The process and its descendants (the math pack's evaluation workers are child processes), from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended meanwhile.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
  }
}

/** RSS of a server with every process it started, in MiB, and how many processes that is. */
function treeRss(pid: number): { rssMiB: number; processes: number } {
  const tree = process.platform === 'linux' ? processTree(pid) : [pid];
  return { rssMiB: tree.reduce((sum, p) => sum + rssMiB(p), 0), processes: tree.length };
}

async function startHttpChild(command: string, args: string[], env: Record<string, string>, cwd?: string) {
  const child: ChildProcess = spawn(command, args, {
    env: childEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${stderr}`)), 20_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = / on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
  return {
    url,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; in clock ticks (USER_HZ, 100).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

interface LoadResult {
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
class LoadClient {
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

async function connectClients(url: string, era: Era, token?: string): Promise<LoadClient[]> {
  return Promise.all(
    Array.from({ length: HTTP_CLIENTS }, async () => {
      const client = new LoadClient(url, token, era);
      await client.open();
      return client;
    }),
  );
}

async function load(clients: readonly LoadClient[], tool: string, calls: number): Promise<LoadResult> {
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

/** What a client pinned to 2026-07-28 gets from a server that speaks only 2025: the error, as the record of it. */
async function tryModern(server: StdioServer): Promise<string> {
  const transport = transportFor(server);
  const client = newClient('2026-07-28');
  try {
    const outcome = await Promise.race([
      client.connect(transport).then(() => `connected (${client.getNegotiatedProtocolVersion()})`),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 15 s'), 15_000).unref()),
    ]);
    return outcome;
  } catch (error) {
    return `refused: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
  }
}

const key = (server: string, era: Era) => `${server}@${era}`;

export default async function run(): Promise<void> {
  console.log('building @mcp-packs/server and its workspace dependencies');
  execFileSync(
    join(repo, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--filter=@mcp-packs/server...', '--output-logs=errors-only'],
    { cwd: repo, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );

  const work = mkdtempSync(join(tmpdir(), 'mcp-packs-bench-'));
  try {
    const rawStdio = join(work, 'raw-stdio.mjs');
    const rawHttp = join(work, 'raw-http.mjs');
    writeFileSync(rawStdio, rawStdioSource());
    writeFileSync(rawHttp, rawHttpSource());
    const fixtureConfig = join(work, 'fixture.config.json');
    writeFileSync(fixtureConfig, JSON.stringify({ packs: [{ use: FIXTURE_PACK, prefix: 'fx' }] }));
    const oneToolPack = join(work, 'one-tool-pack.mjs');
    writeFileSync(oneToolPack, oneToolPackSource());
    const oneToolConfig = join(work, 'one-tool.config.json');
    writeFileSync(oneToolConfig, JSON.stringify({ packs: [{ use: oneToolPack, prefix: null }] }));
    const referencePackage = createRequire(import.meta.url).resolve(
      '@modelcontextprotocol/server-filesystem/package.json',
    );
    const referenceBin = join(dirname(referencePackage), 'dist', 'index.js');
    const referenceVersion = (JSON.parse(readFileSync(referencePackage, 'utf8')) as { version: string }).version;
    // The built-in default config keeps notes in the user's data dir: keep it, and the cache dir, in the temp dir.
    const userDirs = { XDG_DATA_HOME: join(work, 'data'), XDG_CACHE_HOME: join(work, 'cache') };

    const echo: ToolCallSpec = { name: 'echo', arguments: { text: 'hi' } };
    const servers: Record<string, StdioServer> = {
      rawV2: { command: process.execPath, args: [rawStdio], eras: ERAS, cheapCall: echo },
      reference: {
        command: process.execPath,
        args: [referenceBin, work],
        eras: ['2025-11-25'],
        cheapCall: { name: 'list_allowed_directories', arguments: {} },
      },
      mcpPacksDefault: {
        command: process.execPath,
        args: [CLI],
        cwd: work,
        env: userDirs,
        eras: ERAS,
        cheapCall: { name: 'fs_list_allowed_directories', arguments: {} },
      },
      mcpPacksFixture: {
        command: process.execPath,
        args: [CLI, '--config', fixtureConfig],
        env: userDirs,
        eras: ERAS,
        cheapCall: { name: 'fx_echo', arguments: { text: 'hi' } },
      },
      mcpPacksOneTool: {
        command: process.execPath,
        args: [CLI, '--config', oneToolConfig],
        env: userDirs,
        eras: ERAS,
        cheapCall: echo,
      },
    };
    // Each of our packs that is installed, alone (as in the default config), to see what each adds at start.
    const ownPacks: Record<string, Record<string, unknown>> = {
      math: {},
      filesystem: { roots: [work], allowWrite: false },
      sysinfo: {},
      'web-fetch': { allowPrivateNetwork: false },
      notes: { directory: join(work, 'notes') },
    };
    for (const [name, config] of Object.entries(ownPacks)) {
      if (!existsSync(join(serverDir, 'node_modules', '@mcp-packs', name))) continue;
      const file = join(work, `${name}.config.json`);
      writeFileSync(file, JSON.stringify({ packs: [{ use: `@mcp-packs/${name}`, config }] }));
      servers[`pack:${name}`] = { command: process.execPath, args: [CLI, '--config', file], env: userDirs, eras: ERAS };
    }
    const entries = Object.entries(servers).flatMap(([name, server]) =>
      server.eras.map((era) => ({ name, era, key: key(name, era), server })),
    );
    const keys = entries.map((entry) => entry.key);

    // --- cold start -------------------------------------------------------------------------------------------
    console.log(`cold start: ${entries.length} server/era pairs, a warm-up round, then ${COLD_RUNS} rounds`);
    const cold: Record<string, { listed: number[]; answered: number[]; connected: number[] }> = Object.fromEntries(
      keys.map((k) => [k, { listed: [], answered: [], connected: [] }]),
    );
    const sizes: Record<string, { tools: number; toolsBytes: number; responseBytes: number }> = {};
    const negotiated: Record<string, string | undefined> = {};
    for (let r = -1; r < COLD_RUNS; r++) {
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[(i + Math.max(r, 0)) % entries.length] as (typeof entries)[number];
        const started = await start(entry.server, entry.era);
        await started.client.close();
        if (r < 0) continue;
        const samples = cold[entry.key] as (typeof cold)[string];
        samples.listed.push(started.listedMs);
        samples.answered.push(started.answeredMs);
        samples.connected.push(started.connectedMs);
        sizes[entry.key] = {
          tools: started.tools,
          toolsBytes: started.toolsBytes,
          responseBytes: started.responseBytes,
        };
        negotiated[entry.key] = started.protocol;
      }
    }
    const coldMedian = (k: string, phase: 'listed' | 'answered' | 'connected') => median(cold[k]?.[phase] ?? []);
    /** Median over rounds of a/b, each ratio within one round (the two started a few hundred ms apart). */
    const coldRatio = (a: string, b: string) => {
      const x = cold[a]?.listed ?? [];
      const y = cold[b]?.listed ?? [];
      return median(x.map((value, i) => value / (y[i] ?? Number.NaN)));
    };
    console.log(
      'cold start median ms (listTools resolved)',
      Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'listed'))])),
    );

    // --- idle RSS -----------------------------------------------------------------------------------------------
    console.log(
      `idle RSS: every server/era pair started together, read 2 s after the last tools/list, ${RSS_RUNS} runs`,
    );
    const rssSamples: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
    const processCount: Record<string, number> = {};
    for (let r = 0; r < RSS_RUNS; r++) {
      const live: { key: string; started: Started }[] = [];
      for (const entry of entries) live.push({ key: entry.key, started: await start(entry.server, entry.era) });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (const { key: k, started } of live) {
        const { rssMiB: rss, processes } = treeRss(started.pid);
        rssSamples[k]?.push(rss);
        processCount[k] = processes;
      }
      await Promise.all(live.map(({ started }) => started.client.close()));
    }
    const rss = Object.fromEntries(keys.map((k) => [k, round(median(rssSamples[k] ?? []))]));
    console.log('idle RSS MiB', rss);

    // --- per-call ----------------------------------------------------------------------------------------------
    const callEntries = entries.filter((entry) => entry.server.cheapCall);
    console.log(
      `per-call: ${callEntries.length} server/era pairs, ${CALL_BATCHES} batches of ${CALL_BATCH} sequential calls each, interleaved`,
    );
    const connected: Record<string, Started & { requests: number }> = {};
    for (const entry of callEntries) {
      const started = await start(entry.server, entry.era);
      const counted = Object.assign(started, { requests: 0 });
      const send = started.transport.send.bind(started.transport);
      started.transport.send = (message: JSONRPCMessage) => {
        if ('method' in message && 'id' in message) counted.requests++;
        return send(message);
      };
      const call = entry.server.cheapCall as ToolCallSpec;
      const probe = await started.client.callTool(call);
      if (probe.isError) throw new Error(`${entry.key}: ${call.name} failed: ${JSON.stringify(probe.content)}`);
      connected[entry.key] = counted;
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const warmupBatches = 4;
    for (const started of Object.values(connected)) started.requests = 0;
    const perCall = await compare(
      Object.fromEntries(
        callEntries.map((entry) => {
          const client = connected[entry.key]?.client as Client;
          const call = entry.server.cheapCall as ToolCallSpec;
          return [entry.key, () => client.callTool(call)];
        }),
      ),
      { batchSize: CALL_BATCH, batches: CALL_BATCHES, warmupBatches, perOperation: true },
    );
    const callsMade = (warmupBatches + CALL_BATCHES) * CALL_BATCH;
    const requestsPerCall = Object.fromEntries(
      Object.entries(connected).map(([k, started]) => [k, round(started.requests / callsMade, 3)]),
    );
    const rssAfterCalls = Object.fromEntries(
      Object.entries(connected).map(([k, started]) => [k, round(treeRss(started.pid).rssMiB)]),
    );
    await Promise.all(Object.values(connected).map((started) => started.client.close()));
    console.log(
      'per-call ms (median of batch means / p50 / p99)',
      Object.fromEntries(
        Object.entries(perCall).map(([k, s]) => [
          k,
          `${s.medianMs.toFixed(3)} / ${(s.operationP50Ms ?? 0).toFixed(3)} / ${(s.operationP99Ms ?? 0).toFixed(3)}`,
        ]),
      ),
    );
    console.log('requests on the wire per call', requestsPerCall);

    const referenceModern = await tryModern(servers.reference as StdioServer);
    console.log(`reference with a client pinned to 2026-07-28: ${referenceModern}`);

    // --- HTTP under load ---------------------------------------------------------------------------------------
    console.log(
      `HTTP load: ${HTTP_CLIENTS} clients, ${HTTP_CALLS} calls per round, ${HTTP_ROUNDS} rounds per server and era`,
    );
    const rawServer = await startHttpChild(process.execPath, [rawHttp], {});
    const ourServer = await startHttpChild(
      process.execPath,
      [CLI, '--http', '--port', '0', '--config', oneToolConfig],
      { MCP_PACKS_TOKEN: TOKEN, ...userDirs },
    );
    const http: Record<string, unknown> = {};
    const httpRatio: Record<Era, number> = { '2026-07-28': Number.NaN, '2025-11-25': Number.NaN };
    const httpErrors: Record<Era, number> = { '2026-07-28': 0, '2025-11-25': 0 };
    const summarize = (rounds: LoadResult[]) => ({
      callsPerSecond: round(median(rounds.map((x) => x.callsPerSecond))),
      serverCpuUsPerCall: round(median(rounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN))),
      p50Ms: round(median(rounds.map((x) => x.p50Ms)), 2),
      p99Ms: round(median(rounds.map((x) => x.p99Ms)), 2),
      errors: rounds.reduce((sum, x) => sum + x.errors, 0),
      staleSocketRetries: rounds.reduce((sum, x) => sum + x.staleSocketRetries, 0),
      errorKinds: rounds.reduce<Record<string, number>>((kinds, x) => {
        for (const [kind, count] of Object.entries(x.errorKinds ?? {})) kinds[kind] = (kinds[kind] ?? 0) + count;
        return kinds;
      }, {}),
      calls: rounds.reduce((sum, x) => sum + x.calls, 0),
    });
    for (const era of ERAS) {
      const rawClients = await connectClients(rawServer.url, era);
      const ourClients = await connectClients(ourServer.url, era, TOKEN);
      await load(rawClients, 'echo', 1000);
      await load(ourClients, 'echo', 1000);
      const rawRounds: LoadResult[] = [];
      const ourRounds: LoadResult[] = [];
      for (let r = 0; r < HTTP_ROUNDS; r++) {
        for (const which of r % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw']) {
          const pid = which === 'raw' ? rawServer.pid : ourServer.pid;
          const cpuBefore = cpuMs(pid);
          const result = await load(which === 'raw' ? rawClients : ourClients, 'echo', HTTP_CALLS);
          result.serverCpuUsPerCall = ((cpuMs(pid) - cpuBefore) * 1000) / result.calls;
          (which === 'raw' ? rawRounds : ourRounds).push(result);
        }
        console.log(
          `${era} round ${r + 1}: raw v2 ${round(rawRounds[r]?.callsPerSecond ?? 0)} calls/s (${round(rawRounds[r]?.serverCpuUsPerCall ?? 0)} µs CPU/call), mcp-packs ${round(ourRounds[r]?.callsPerSecond ?? 0)} calls/s (${round(ourRounds[r]?.serverCpuUsPerCall ?? 0)} µs CPU/call)`,
        );
      }
      for (const client of [...rawClients, ...ourClients]) client.close();
      const ratios = ourRounds.map((ours, i) => ours.callsPerSecond / (rawRounds[i]?.callsPerSecond ?? Number.NaN));
      // Each pair of rounds has each server once first and once second: the geometric mean of its two ratios
      // cancels the position effect; the median over pairs is the figure held to the target.
      const pairRatios: number[] = [];
      for (let i = 0; i + 1 < ratios.length; i += 2) {
        pairRatios.push(Math.sqrt((ratios[i] as number) * (ratios[i + 1] as number)));
      }
      const ours = summarize(ourRounds);
      httpRatio[era] = median(pairRatios);
      httpErrors[era] = ours.errors;
      http[era] = {
        serving:
          era === '2026-07-28' ? 'a fresh protocol server per request, on both' : 'a session per client, on both',
        rawV2: summarize(rawRounds),
        mcpPacks: ours,
        roundRatios: ratios.map((ratio) => round(ratio, 3)),
        pairRatios: pairRatios.map((ratio) => round(ratio, 3)),
        medianRatio: round(httpRatio[era], 3),
        // Ratio of medians: CPU time is steadier than wall-clock throughput on a shared machine, but not paired.
        serverCpuRatio: round(
          median(ourRounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN)) /
            median(rawRounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN)),
          3,
        ),
      };
      console.log(`HTTP ${era}`, http[era]);
    }

    // Sequential calls through a real SDK v2 client over HTTP: in the 2026 era each is a request of its own, served
    // by a fresh protocol server, so what building one costs (and how it grows with the composition) shows here.
    const defaultServer = await startHttpChild(
      process.execPath,
      [CLI, '--http', '--port', '0'],
      { MCP_PACKS_TOKEN: TOKEN, ...userDirs },
      work,
    );
    const httpTargets: Record<string, { url: string; token?: string; call: ToolCallSpec }> = {
      rawV2: { url: rawServer.url, call: echo },
      mcpPacksOneTool: { url: ourServer.url, token: TOKEN, call: echo },
      mcpPacksDefault: {
        url: defaultServer.url,
        token: TOKEN,
        call: { name: 'fs_list_allowed_directories', arguments: {} },
      },
    };
    const httpClients: Record<string, { client: Client; requests: number }> = {};
    for (const [name, target] of Object.entries(httpTargets)) {
      for (const era of ERAS) {
        const client = newClient(era);
        const counted = { client, requests: 0 };
        await client.connect(
          new StreamableHTTPClientTransport(new URL(target.url), {
            ...(target.token ? { requestInit: { headers: { authorization: `Bearer ${target.token}` } } } : {}),
            fetch: (url, init) => {
              if (init?.method === 'POST') counted.requests++;
              return fetch(url, init);
            },
          }),
        );
        await client.listTools();
        const probe = await client.callTool(target.call);
        if (probe.isError) throw new Error(`HTTP ${name}@${era}: ${target.call.name} failed`);
        httpClients[key(name, era)] = counted;
      }
    }
    for (const counted of Object.values(httpClients)) counted.requests = 0;
    const httpCallBatches = Math.round(CALL_BATCHES / 2);
    console.log(
      `HTTP per-call: ${Object.keys(httpClients).length} server/era pairs, ${httpCallBatches} batches of ${CALL_BATCH} sequential calls each, through the SDK client`,
    );
    const httpPerCall = await compare(
      Object.fromEntries(
        Object.entries(httpClients).map(([k, { client }]) => {
          const call = httpTargets[k.split('@')[0] as string]?.call as ToolCallSpec;
          return [k, () => client.callTool(call)];
        }),
      ),
      { batchSize: CALL_BATCH, batches: httpCallBatches, warmupBatches, perOperation: true },
    );
    const httpCallsMade = (warmupBatches + httpCallBatches) * CALL_BATCH;
    const httpRequestsPerCall = Object.fromEntries(
      Object.entries(httpClients).map(([k, counted]) => [k, round(counted.requests / httpCallsMade, 3)]),
    );
    await Promise.all(Object.values(httpClients).map(({ client }) => client.close()));
    const httpRss = {
      rawV2: round(treeRss(rawServer.pid).rssMiB),
      mcpPacksOneTool: round(treeRss(ourServer.pid).rssMiB),
      mcpPacksDefault: round(treeRss(defaultServer.pid).rssMiB),
    };
    console.log(
      'HTTP per-call ms (median of batch means / p50 / p99)',
      Object.fromEntries(
        Object.entries(httpPerCall).map(([k, s]) => [
          k,
          `${s.medianMs.toFixed(3)} / ${(s.operationP50Ms ?? 0).toFixed(3)} / ${(s.operationP99Ms ?? 0).toFixed(3)}`,
        ]),
      ),
    );
    console.log('HTTP requests per call', httpRequestsPerCall, 'server RSS after it all, MiB', httpRss);
    await rawServer.stop();
    await ourServer.stop();
    await defaultServer.stop();

    // --- results -----------------------------------------------------------------------------------------------
    const callStat = (k: string): VariantStats | undefined => perCall[k];
    const summary: Record<string, Record<string, unknown>> = {};
    for (const [name, server] of Object.entries(servers)) {
      const byEra: Record<string, unknown> = {};
      summary[name] = byEra;
      for (const era of ERAS) {
        const k = key(name, era);
        if (!server.eras.includes(era)) {
          byEra[era] = { served: false, why: `speaks the 2025 era only (SDK v1); a pinned client: ${referenceModern}` };
          continue;
        }
        const stat = callStat(k);
        byEra[era] = {
          coldStartMs: round(coldMedian(k, 'listed')),
          coldStartAnsweredMs: round(coldMedian(k, 'answered')),
          connectedMs: round(coldMedian(k, 'connected')),
          idleRssMiB: rss[k],
          ...(stat
            ? {
                perCall: {
                  tool: server.cheapCall?.name,
                  medianMs: round(stat.medianMs, 4),
                  p50Ms: round(stat.operationP50Ms ?? Number.NaN, 4),
                  p99Ms: round(stat.operationP99Ms ?? Number.NaN, 4),
                  rssAfterCallsMiB: rssAfterCalls[k],
                },
              }
            : {}),
          ...(httpPerCall[k]
            ? {
                httpPerCall: {
                  tool: httpTargets[name]?.call.name,
                  medianMs: round(httpPerCall[k]?.medianMs ?? Number.NaN, 4),
                  p50Ms: round(httpPerCall[k]?.operationP50Ms ?? Number.NaN, 4),
                  p99Ms: round(httpPerCall[k]?.operationP99Ms ?? Number.NaN, 4),
                },
              }
            : {}),
          tools: sizes[k]?.tools,
          protocol: negotiated[k],
        };
      }
    }

    const M = '2026-07-28';
    const L = '2025-11-25';
    const ratio = (a: number | undefined, b: number | undefined) => round((a ?? Number.NaN) / (b ?? Number.NaN), 3);
    const eraRatios = (era: Era) => ({
      coldStart: {
        defaultVsRawV2: round(coldRatio(key('mcpPacksDefault', era), key('rawV2', era)), 3),
        fixtureVsRawV2: round(coldRatio(key('mcpPacksFixture', era), key('rawV2', era)), 3),
        oneToolVsRawV2: round(coldRatio(key('mcpPacksOneTool', era), key('rawV2', era)), 3),
        // The reference speaks 2025 only: in the 2026 era, it is the reference's 2025 start a client would get.
        defaultVsReference: round(coldRatio(key('mcpPacksDefault', era), key('reference', L)), 3),
        fixtureVsReference: round(coldRatio(key('mcpPacksFixture', era), key('reference', L)), 3),
      },
      perCall: {
        oneToolVsRawV2: round(pairedRatio(perCall, key('mcpPacksOneTool', era), key('rawV2', era)), 3),
        fixtureVsRawV2: round(pairedRatio(perCall, key('mcpPacksFixture', era), key('rawV2', era)), 3),
        ...(era === L
          ? { defaultVsReference: round(pairedRatio(perCall, key('mcpPacksDefault', era), key('reference', era)), 3) }
          : {}),
      },
      httpPerCall: {
        oneToolVsRawV2: round(pairedRatio(httpPerCall, key('mcpPacksOneTool', era), key('rawV2', era)), 3),
        defaultVsOneTool: round(pairedRatio(httpPerCall, key('mcpPacksDefault', era), key('mcpPacksOneTool', era)), 3),
      },
      idleRss: {
        defaultVsRawV2: ratio(rss[key('mcpPacksDefault', era)], rss[key('rawV2', era)]),
        defaultVsReference: ratio(rss[key('mcpPacksDefault', era)], rss[key('reference', L)]),
      },
    });
    const ratios = {
      [M]: eraRatios(M),
      [L]: eraRatios(L),
      modernVsLegacy: Object.fromEntries(
        Object.keys(servers)
          .filter((name) => servers[name]?.eras.includes(M) && servers[name]?.eras.includes(L))
          .map((name) => [
            name,
            {
              coldStart: ratio(coldMedian(key(name, M), 'listed'), coldMedian(key(name, L), 'listed')),
              ...(perCall[key(name, M)] ? { perCall: round(pairedRatio(perCall, key(name, M), key(name, L)), 3) } : {}),
              ...(httpPerCall[key(name, M)]
                ? { httpPerCall: round(pairedRatio(httpPerCall, key(name, M), key(name, L)), 3) }
                : {}),
            },
          ]),
      ),
    };
    console.log('ratios', JSON.stringify(ratios));

    const defaultTools = sizes[key('mcpPacksDefault', L)]?.tools ?? 0;
    const listSize = Object.fromEntries(
      keys.map((k) => {
        const size = sizes[k] ?? { tools: 0, toolsBytes: 0, responseBytes: 0 };
        return [k, { ...size, bytesPerTool: size.tools ? round(size.toolsBytes / size.tools) : null }];
      }),
    );
    const toolsByPrefix: Record<string, number> = {};
    {
      const { client } = await start(servers.mcpPacksDefault as StdioServer, L);
      for (const tool of (await client.listTools()).tools) {
        const prefix = tool.name.split('_')[0] as string;
        toolsByPrefix[prefix] = (toolsByPrefix[prefix] ?? 0) + 1;
      }
      await client.close();
    }

    const coldL = ratios[L].coldStart;
    const rssVsReference = ratios[L].idleRss.defaultVsReference;
    writeResult({
      name: 'server',
      description:
        "mcp-packs (built CLI) vs a raw SDK v2 one-tool server (rawV2, the floor) and @modelcontextprotocol/server-filesystem (reference, SDK v1, 2025 era only), through a real SDK v2 client in each era (2026-07-28 pinned, 2025-11-25 legacy), same run. mcpPacksDefault = built-in default config; mcpPacksFixture = the test fixture pack; mcpPacksOneTool = the floor's one tool as a pack; pack:<name> = one of our packs alone. Keys are <server>@<era>. Times in ms, memory in MiB (the server's process tree).",
      results: {
        reference: `@modelcontextprotocol/server-filesystem@${referenceVersion}`,
        referenceIn2026Era: referenceModern,
        eras: {
          [M]: 'Client pinned to 2026-07-28: server/discover, then every request carries the _meta envelope',
          [L]: 'Client in legacy mode: initialize, then requests in the session',
        },
        defaultConfigToolsByPrefix: toolsByPrefix,
        summary,
        ratios,
        coldStartMs: {
          runs: COLD_RUNS,
          measures:
            'spawn → connect() → listTools() resolved (listed); answered = the tools/list response reached the transport; connected = connect() resolved',
          median: Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'listed'))])),
          answeredMedian: Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'answered'))])),
          connectedMedian: Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'connected'))])),
          samples: Object.fromEntries(keys.map((k) => [k, (cold[k]?.listed ?? []).map((ms) => round(ms))])),
        },
        perCall: {
          measures: `client.callTool of a cheap tool, ${CALL_BATCHES} batches of ${CALL_BATCH} sequential calls per server and era, interleaved; medianMs = median of batch means, operationP50Ms/operationP99Ms = over single calls`,
          tools: Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, s.cheapCall?.name ?? null])),
          stats: perCall,
          requestsOnTheWirePerCall: requestsPerCall,
          rssAfterCallsMiB: rssAfterCalls,
        },
        idleRssMiB: {
          runs: RSS_RUNS,
          measures: "VmRSS of the server process and its descendants, 2 s after tools/list (after the server's settle)",
          median: rss,
          processes: processCount,
        },
        toolsList: listSize,
        httpPerCall: {
          measures: `client.callTool over Streamable HTTP (SDK v2 client, keep-alive fetch), ${httpCallBatches} batches of ${CALL_BATCH} sequential calls per server and era, interleaved; 2026-07-28 builds a protocol server per request, 2025-11-25 reuses the session's`,
          tools: Object.fromEntries(Object.entries(httpTargets).map(([name, target]) => [name, target.call.name])),
          stats: httpPerCall,
          requestsOnTheWirePerCall: httpRequestsPerCall,
          serverRssAfterAllMiB: httpRss,
        },
        http: { clients: HTTP_CLIENTS, callsPerRound: HTTP_CALLS, rounds: HTTP_ROUNDS, tool: 'echo', ...http },
      },
      targets: [
        {
          description: `cold start, default config (${defaultTools} tools), 2025 era, vs reference ${coldL.defaultVsReference} <= 1.0 (vs raw v2 ${coldL.defaultVsRawV2}; 2026 era vs the reference's 2025 start ${ratios[M].coldStart.defaultVsReference})`,
          met: coldL.defaultVsReference <= 1.0,
        },
        {
          description: `cold start, fixture config, 2025 era, vs reference ${coldL.fixtureVsReference} <= 1.0`,
          met: coldL.fixtureVsReference <= 1.0,
        },
        {
          description: `idle RSS, default config, 2025 era, vs reference ${rssVsReference} <= 1.15`,
          met: rssVsReference <= 1.15,
        },
        ...ERAS.flatMap((era) => [
          {
            description: `HTTP ${era}: ${HTTP_CALLS * HTTP_ROUNDS} calls by ${HTTP_CLIENTS} clients with ${httpErrors[era]} errors (0 wanted)`,
            met: httpErrors[era] === 0,
          },
          {
            description: `HTTP ${era} throughput vs raw v2 ${round(httpRatio[era], 3)} >= 0.8 (median over order-balanced pairs of rounds)`,
            met: httpRatio[era] >= 0.8,
          },
        ]),
      ],
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
