/**
 * The composer, `mcp-packs` (apps/server, built), measured side by side with two servers in the same run:
 *
 * - the floor: a minimal raw-SDK server with one tool (stdio and Streamable HTTP variants, written below);
 * - the reference: `@modelcontextprotocol/server-filesystem` from npm (stdio).
 *
 * Figures: cold start (spawn → initialize → tools/list answered on the transport, median of 10, variants
 * interleaved; also through the SDK Client, whose listTools compiles output-schema validators client-side), idle RSS
 * (2 s after tools/list, median of 3), tools/list size (bytes, per tool), and HTTP under load (50 concurrent clients,
 * 20,000 calls of a cheap tool, zero errors, throughput vs the raw SDK HTTP server, p50/p99 latency).
 *
 * `mcp-packs` runs with the built-in default config (whichever of our packs are installed; those that are not are
 * skipped) and with a config mounting the test fixture pack (apps/server/test/fixtures/local-pack.mjs); over HTTP
 * it serves the raw server's one tool as a pack (same name, input and text result), so the two do the same work.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type JSONRPCMessage, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { writeResult } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const serverDir = join(repo, 'apps', 'server');
const CLI = join(serverDir, 'dist', 'cli.js');
const FIXTURE_PACK = join(serverDir, 'test', 'fixtures', 'local-pack.mjs');
const TOKEN = 'bench-token-0123456789abcdef';

const COLD_RUNS = 10;
const RSS_RUNS = 3;
const HTTP_CLIENTS = 50;
const HTTP_CALLS = 20_000;
/** Rounds per server; even, as rounds alternate which server goes first (the second of a pair runs measurably slower). */
const HTTP_ROUNDS = 8;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The raw-SDK floor over stdio: one tool, nothing else. */
function rawStdioSource(): string {
  const mcp = import.meta.resolve('@modelcontextprotocol/sdk/server/mcp.js');
  const stdio = import.meta.resolve('@modelcontextprotocol/sdk/server/stdio.js');
  const zod = import.meta.resolve('zod');
  return `import { McpServer } from ${JSON.stringify(mcp)};
import { StdioServerTransport } from ${JSON.stringify(stdio)};
import { z } from ${JSON.stringify(zod)};
const server = new McpServer({ name: 'raw', version: '0' });
server.registerTool('echo', { description: 'Echo the text.', inputSchema: { text: z.string() } }, ({ text }) => ({
  content: [{ type: 'text', text }],
}));
await server.connect(new StdioServerTransport());
`;
}

/** The same one tool as a pack (no output schema, text result), for the HTTP comparison. */
function benchPackSource(): string {
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

/** The raw-SDK floor over Streamable HTTP: node:http, a server and transport per session, the same one tool. */
function rawHttpSource(): string {
  const mcp = import.meta.resolve('@modelcontextprotocol/sdk/server/mcp.js');
  const http = import.meta.resolve('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const zod = import.meta.resolve('zod');
  return `import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from ${JSON.stringify(mcp)};
import { StreamableHTTPServerTransport } from ${JSON.stringify(http)};
import { z } from ${JSON.stringify(zod)};
const sessions = new Map();
const httpServer = createServer(async (req, res) => {
  const id = req.headers['mcp-session-id'];
  if (typeof id === 'string') {
    const transport = sessions.get(id);
    if (!transport) { res.writeHead(404).end(); return; }
    await transport.handleRequest(req, res);
    return;
  }
  const server = new McpServer({ name: 'raw', version: '0' });
  server.registerTool('echo', { description: 'Echo the text.', inputSchema: { text: z.string() } }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    onsessioninitialized: (sid) => sessions.set(sid, transport),
  });
  transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
  await server.connect(transport);
  await transport.handleRequest(req, res);
});
httpServer.listen(0, '127.0.0.1', () => process.stderr.write('serving on http://127.0.0.1:' + httpServer.address().port + '/mcp\\n'));
process.on('SIGTERM', () => process.exit(0));
`;
}

interface StdioVariant {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('MCP_PACKS_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** The variant's server as a child process on a stdio transport (not started). */
function stdioTransport(variant: StdioVariant): StdioClientTransport {
  return new StdioClientTransport({
    command: variant.command,
    args: variant.args,
    env: childEnv(variant.env),
    ...(variant.cwd ? { cwd: variant.cwd } : {}),
    stderr: 'ignore',
  });
}

async function startStdio(variant: StdioVariant): Promise<{ client: Client; transport: StdioClientTransport }> {
  const transport = stdioTransport(variant);
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(transport);
  return { client, transport };
}

/**
 * Spawn → initialize → tools/list answered, in ms, timed on the transport: the moment the server's tools/list
 * response arrives, as a client sees it, before any client-side work on it. (The SDK's `Client.listTools` then
 * compiles an Ajv validator for every tool's output schema, ~1 ms each, in the client: that is measured separately,
 * as `sdkClientMs`, and not charged to the server.) Also returns the listed tools' JSON size.
 */
async function coldStart(variant: StdioVariant): Promise<{ ms: number; bytes: number; tools: number }> {
  const start = process.hrtime.bigint();
  const transport = stdioTransport(variant);
  const answers = new Map<number, (message: JSONRPCMessage) => void>();
  transport.onmessage = (message) => {
    if ('id' in message && typeof message.id === 'number') answers.get(message.id)?.(message);
  };
  const ask = (id: number, method: string, params: Record<string, unknown>) =>
    new Promise<JSONRPCMessage>((resolve) => {
      answers.set(id, resolve);
      void transport.send({ jsonrpc: '2.0', id, method, params });
    });
  await transport.start();
  await ask(0, 'initialize', {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'bench', version: '0' },
  });
  await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const listed = await ask(1, 'tools/list', {});
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await transport.close();
  const tools = ((listed as { result?: { tools?: unknown[] } }).result?.tools ?? []) as unknown[];
  return { ms, bytes: Buffer.byteLength(JSON.stringify(tools)), tools: tools.length };
}

/** The same through the SDK's `Client` (connect, then `listTools`), including its client-side processing. */
async function sdkClientStart(variant: StdioVariant): Promise<number> {
  const start = process.hrtime.bigint();
  const { client } = await startStdio(variant);
  await client.listTools();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await client.close();
  return ms;
}

function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kib / 1024;
  } catch {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
  }
}

async function idleRss(variant: StdioVariant): Promise<number> {
  const { client, transport } = await startStdio(variant);
  await client.listTools();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rss = rssMiB(transport.pid as number);
  await client.close();
  return rss;
}

async function startHttpChild(command: string, args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(command, args, { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
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
  calls: number;
}

/**
 * One load client: a session opened with initialize, then tools/call requests on a keep-alive connection, spoken
 * in plain HTTP (node:http) so the load generator stays cheap and the servers, not a client library, are measured.
 * Every answer is checked to carry the caller's own text.
 */
class LoadClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  readonly #url: string;
  readonly #token: string | undefined;
  #session = '';
  #id = 0;

  constructor(url: string, token: string | undefined) {
    this.#url = url;
    this.#token = token;
  }

  #post(body: unknown): Promise<{ status: number; session: string | undefined; text: string }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        this.#url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: {
            accept: 'application/json, text/event-stream',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'mcp-protocol-version': '2025-06-18',
            ...(this.#session ? { 'mcp-session-id': this.#session } : {}),
            ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            const session = res.headers['mcp-session-id'];
            resolve({ status: res.statusCode ?? 0, session: typeof session === 'string' ? session : undefined, text });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async open(): Promise<void> {
    const init = await this.#post({
      jsonrpc: '2.0',
      id: ++this.#id,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } },
    });
    if (init.status !== 200 || !init.session) throw new Error(`initialize failed: ${init.status} ${init.text}`);
    this.#session = init.session;
    await this.#post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Call the tool; true when the answer is right. */
  async call(tool: string, text: string): Promise<boolean> {
    const reply = await this.#post({
      jsonrpc: '2.0',
      id: ++this.#id,
      method: 'tools/call',
      params: { name: tool, arguments: { text } },
    });
    return reply.status === 200 && reply.text.includes(`"text":"${text}"`) && !reply.text.includes('"isError":true');
  }

  close(): void {
    this.#agent.destroy();
  }
}

async function connectClients(url: string, token?: string): Promise<LoadClient[]> {
  return Promise.all(
    Array.from({ length: HTTP_CLIENTS }, async () => {
      const client = new LoadClient(url, token);
      await client.open();
      return client;
    }),
  );
}

async function load(clients: readonly LoadClient[], tool: string, calls: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const perClient = Math.ceil(calls / clients.length);
  const start = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; i < perClient; i++) {
        const t0 = process.hrtime.bigint();
        try {
          if (!(await client.call(tool, `c${c}-${i}`))) errors++;
        } catch {
          errors++;
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    callsPerSecond: latencies.length / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    errors,
    calls: latencies.length,
  };
}

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
    const benchPack = join(work, 'bench-pack.mjs');
    writeFileSync(benchPack, benchPackSource());
    const httpConfig = join(work, 'http.config.json');
    writeFileSync(httpConfig, JSON.stringify({ packs: [{ use: benchPack, prefix: null }] }));
    const referencePackage = createRequire(import.meta.url).resolve(
      '@modelcontextprotocol/server-filesystem/package.json',
    );
    const referenceBin = join(dirname(referencePackage), 'dist', 'index.js');
    const referenceVersion = (JSON.parse(readFileSync(referencePackage, 'utf8')) as { version: string }).version;

    const variants: Record<string, StdioVariant> = {
      floor: { command: process.execPath, args: [rawStdio] },
      reference: { command: process.execPath, args: [referenceBin, work] },
      mcpPacksDefault: { command: process.execPath, args: [CLI], cwd: work, env: { XDG_DATA_HOME: work } },
      mcpPacksFixture: { command: process.execPath, args: [CLI, '--config', fixtureConfig] },
    };
    // Each of our packs that is installed, alone (as in the default config), to see what each adds.
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
      variants[`pack:${name}`] = { command: process.execPath, args: [CLI, '--config', file] };
    }
    const names = Object.keys(variants);

    console.log('cold start: warm-up round');
    for (const name of names) await coldStart(variants[name] as StdioVariant);
    const cold: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const sizes: Record<string, { bytes: number; tools: number }> = {};
    for (let r = 0; r < COLD_RUNS; r++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + r) % names.length] as string;
        const result = await coldStart(variants[name] as StdioVariant);
        cold[name]?.push(result.ms);
        sizes[name] = { bytes: result.bytes, tools: result.tools };
      }
    }
    const coldMedian = Object.fromEntries(names.map((name) => [name, round(median(cold[name] ?? []))]));
    console.log('cold start median ms', coldMedian);
    // For information: the same start through the SDK Client, whose listTools also compiles output-schema validators.
    const viaClient: Record<string, number[]> = { reference: [], mcpPacksDefault: [] };
    for (let r = 0; r < COLD_RUNS; r++) {
      for (const name of r % 2 ? ['reference', 'mcpPacksDefault'] : ['mcpPacksDefault', 'reference']) {
        viaClient[name]?.push(await sdkClientStart(variants[name] as StdioVariant));
      }
    }
    const sdkClientMs = Object.fromEntries(Object.entries(viaClient).map(([name, v]) => [name, round(median(v))]));
    console.log('cold start through the SDK Client, median ms', sdkClientMs);

    const rss: Record<string, number> = {};
    for (const name of names) {
      const samples: number[] = [];
      for (let i = 0; i < RSS_RUNS; i++) samples.push(await idleRss(variants[name] as StdioVariant));
      rss[name] = round(median(samples));
    }
    console.log('idle RSS MiB', rss);

    const listSize = Object.fromEntries(
      names.map((name) => {
        const size = sizes[name] ?? { bytes: 0, tools: 0 };
        return [name, { ...size, bytesPerTool: size.tools ? round(size.bytes / size.tools) : null }];
      }),
    );

    console.log(`HTTP load: ${HTTP_CLIENTS} clients, ${HTTP_CALLS} calls per round, ${HTTP_ROUNDS} rounds each`);
    const rawServer = await startHttpChild(process.execPath, [rawHttp], {});
    const ourServer = await startHttpChild(process.execPath, [CLI, '--http', '--port', '0', '--config', httpConfig], {
      MCP_PACKS_TOKEN: TOKEN,
    });
    const rawClients = await connectClients(rawServer.url);
    const ourClients = await connectClients(ourServer.url, TOKEN);
    await load(rawClients, 'echo', 2000);
    await load(ourClients, 'echo', 2000);
    const rawRounds: LoadResult[] = [];
    const ourRounds: LoadResult[] = [];
    for (let r = 0; r < HTTP_ROUNDS; r++) {
      const order = r % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw'];
      for (const which of order) {
        const pid = which === 'raw' ? rawServer.pid : ourServer.pid;
        const cpuBefore = cpuMs(pid);
        const result =
          which === 'raw' ? await load(rawClients, 'echo', HTTP_CALLS) : await load(ourClients, 'echo', HTTP_CALLS);
        result.serverCpuUsPerCall = ((cpuMs(pid) - cpuBefore) * 1000) / result.calls;
        (which === 'raw' ? rawRounds : ourRounds).push(result);
      }
      console.log(
        `round ${r + 1}: raw ${round(rawRounds[r]?.callsPerSecond ?? 0)} calls/s (${round(rawRounds[r]?.serverCpuUsPerCall ?? 0)} µs CPU/call), mcp-packs ${round(ourRounds[r]?.callsPerSecond ?? 0)} calls/s (${round(ourRounds[r]?.serverCpuUsPerCall ?? 0)} µs CPU/call)`,
      );
    }
    for (const client of [...rawClients, ...ourClients]) client.close();
    await rawServer.stop();
    await ourServer.stop();
    const ratios = ourRounds.map((ours, i) => ours.callsPerSecond / (rawRounds[i]?.callsPerSecond ?? Number.NaN));
    // Each pair of rounds has each server once first and once second: the geometric mean of its two ratios cancels
    // the position effect; the median over pairs is the figure held to the target.
    const pairRatios: number[] = [];
    for (let i = 0; i + 1 < ratios.length; i += 2) {
      pairRatios.push(Math.sqrt((ratios[i] as number) * (ratios[i + 1] as number)));
    }
    const summarize = (rounds: LoadResult[]) => ({
      callsPerSecond: round(median(rounds.map((x) => x.callsPerSecond))),
      serverCpuUsPerCall: round(median(rounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN))),
      p50Ms: round(median(rounds.map((x) => x.p50Ms)), 2),
      p99Ms: round(median(rounds.map((x) => x.p99Ms)), 2),
      errors: rounds.reduce((sum, x) => sum + x.errors, 0),
      calls: rounds.reduce((sum, x) => sum + x.calls, 0),
    });
    const http = {
      rawSdk: summarize(rawRounds),
      mcpPacks: summarize(ourRounds),
      roundRatios: ratios.map((ratio) => round(ratio, 3)),
      pairRatios: pairRatios.map((ratio) => round(ratio, 3)),
      medianRatio: round(median(pairRatios), 3),
      // Ratio of medians: CPU time is steadier than wall-clock throughput on a shared machine, but not paired.
      serverCpuRatio: round(
        median(ourRounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN)) /
          median(rawRounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN)),
        3,
      ),
    };
    console.log('HTTP', http);

    const coldVsReference = (coldMedian.mcpPacksDefault ?? 0) / (coldMedian.reference ?? 1);
    const coldVsFloor = (coldMedian.mcpPacksDefault ?? 0) / (coldMedian.floor ?? 1);
    const fixtureVsReference = (coldMedian.mcpPacksFixture ?? 0) / (coldMedian.reference ?? 1);
    const rssVsReference = (rss.mcpPacksDefault ?? 0) / (rss.reference ?? 1);
    writeResult({
      name: 'server',
      description:
        'mcp-packs (built CLI) vs a raw-SDK one-tool server (floor) and @modelcontextprotocol/server-filesystem (reference), same run. mcpPacksDefault = built-in default config with whichever of our packs are installed; mcpPacksFixture = the test fixture pack; pack:<name> = one of our packs alone.',
      results: {
        reference: `@modelcontextprotocol/server-filesystem@${referenceVersion}`,
        defaultConfigPacksMounted: sizes.mcpPacksDefault?.tools === 0 ? 'none installed (0 tools)' : 'see tools count',
        coldStartMs: { runs: COLD_RUNS, median: coldMedian, samples: cold, sdkClientMs },
        coldStartRatios: {
          defaultVsReference: round(coldVsReference, 3),
          defaultVsFloor: round(coldVsFloor, 3),
          fixtureVsReference: round(fixtureVsReference, 3),
        },
        idleRssMiB: { runs: RSS_RUNS, median: rss, defaultVsReference: round(rssVsReference, 3) },
        toolsList: listSize,
        http: { clients: HTTP_CLIENTS, callsPerRound: HTTP_CALLS, rounds: HTTP_ROUNDS, ...http },
      },
      targets: [
        {
          description: `cold start, default config, vs reference ${round(coldVsReference, 3)} <= 1.0 (vs floor ${round(coldVsFloor, 3)})`,
          met: coldVsReference <= 1.0,
        },
        {
          description: `cold start, fixture config, vs reference ${round(fixtureVsReference, 3)} <= 1.0`,
          met: fixtureVsReference <= 1.0,
        },
        {
          description: `idle RSS, default config, vs reference ${round(rssVsReference, 3)} <= 1.15`,
          met: rssVsReference <= 1.15,
        },
        {
          description: `HTTP: ${http.mcpPacks.calls} calls by ${HTTP_CLIENTS} clients with ${http.mcpPacks.errors} errors (0 wanted)`,
          met: http.mcpPacks.errors === 0,
        },
        {
          description: `HTTP throughput vs raw SDK ${http.medianRatio} >= 0.8 (median over order-balanced pairs of rounds; p50 ${http.mcpPacks.p50Ms} ms, p99 ${http.mcpPacks.p99Ms} ms; server CPU per call ${http.serverCpuRatio}x the raw server's)`,
          met: http.medianRatio >= 0.8,
        },
      ],
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
