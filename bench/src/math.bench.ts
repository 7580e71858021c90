/**
 * @mcp-packs/math: what the sandbox costs, and whether the server's memory stays flat under abuse.
 *
 * 1. Latency of `math_evaluate("2+2")` and of a 50-expression batch through a real SDK v2 Client (core's
 *    `connectPack`, worker round trip included) in each protocol era: 2026-07-28 through the SDK's
 *    `createMcpHandler` by in-process fetch (a fresh server per request), 2025-11-25 over the in-memory transport;
 *    next to `mathjs.evaluate` called directly in-process, in one run: p50/p99 per call from interleaved single
 *    calls, and the paired median ratio from the shared harness. Target: p50 <= 2 ms for the single call, each era.
 * 2. Server memory across 10,000 calls, 100 of them hostile (sandbox escapes, matrix bombs, deep recursion,
 *    memory hogs and endless loops that kill their worker): a real stdio server in a child process (this file,
 *    started with MATH_BENCH_SERVER=1, served by the SDK v2 `serveStdio`), driven by an SDK v2 client in the
 *    2026-07-28 era; its RSS read from outside, alone and together with its evaluation worker processes. Target:
 *    the server's median RSS over the last 1,000 calls within ±20 MB of the first 1,000 after warm-up.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPackInstance } from '@mcp-packs/core/host';
import { connectPack, TEST_PROTOCOLS } from '@mcp-packs/core/testing';
import { mathPack } from '@mcp-packs/math';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { compare, pairedRatio, writeResult } from './harness.ts';

/** The config of the server under abuse: a short time limit and a small heap, so that hostile calls hit them. */
const ABUSE_CONFIG = { timeoutMs: 1000, memoryLimitMb: 64 };

/**
 * Run as the child process: a plain stdio MCP server with the math pack, plus one bench-only tool that runs a full
 * garbage collection (the process starts with --expose-gc) and reports `process.memoryUsage()`, so the bench can
 * tell memory that is retained from garbage V8 has not collected yet.
 */
async function serve(): Promise<void> {
  // Set up once; attached to the server the stdio entry builds for the connection (as the composer does).
  const math = await createPackInstance(mathPack, { config: ABUSE_CONFIG, sdk: 'v2', logSink: () => {} });
  const gc = (globalThis as { gc?: () => void }).gc;
  serveStdio(() => {
    const server = new McpServer({ name: 'math-bench', version: '0.0.0' });
    math.attach(server);
    server.registerTool('bench_memory', { description: 'Collect garbage, then report memory usage.' }, async () => {
      gc?.();
      await new Promise((resolve) => setImmediate(resolve));
      gc?.();
      return { content: [{ type: 'text', text: JSON.stringify(process.memoryUsage()) }] };
    });
    return server;
  });
}

/** The SDK's stdio client transport, probing in place (on the base class exactly, a pinned client's version probe spawns a sibling server). */
class InPlaceStdioClientTransport extends StdioClientTransport {}

if (process.env.MATH_BENCH_SERVER === '1') await serve();

const BATCH = [
  'a = 3',
  'b = 4',
  'c = sqrt(a^2 + b^2)',
  'area = a * b / 2',
  'sin(pi / 6)',
  'cos(0.5)^2 + sin(0.5)^2',
  'log(1000, 10)',
  'exp(1)',
  'x = 2.5',
  'x^3 - 2x + 1',
  'f(t) = t^2 + 1',
  'f(3)',
  'f(x) * c',
  '5 cm + 2 inch',
  '60 km/h to m/s',
  '9.81 m/s^2 * 3 s',
  '100 degF to degC',
  'M = [1, 2; 3, 4]',
  'det(M)',
  'inv(M)',
  'M * [5; 6]',
  "M'",
  'trace(M)',
  'v = [1, 2, 3, 4, 5]',
  'sum(v)',
  'mean(v)',
  'std(v)',
  'max(v) - min(v)',
  'combinations(10, 3)',
  'permutations(5, 2)',
  '10!',
  'gcd(84, 36)',
  'lcm(4, 6)',
  'mod(17, 5)',
  '2 + 3i',
  '(1 + 2i) * (3 - i)',
  'abs(3 + 4i)',
  'round(pi, 4)',
  'floor(-2.5)',
  'ceil(2.1)',
  'hypot(3, 4)',
  'nthRoot(27, 3)',
  'cube(3)',
  'a > b ? a : b',
  'isPrime(97)',
  'dot([1, 2, 3], [4, 5, 6])',
  'cross([1, 0, 0], [0, 1, 0])',
  'norm([3, 4])',
  'c / area',
  'round(c * area, 2)',
];

const HOSTILE = [
  'f=[].map.constructor("return process")(); f()',
  'sqrt.constructor("return process")()',
  'evaluate("1 + 1")',
  'zeros(1e5, 1e5)',
  'range(1, 1e9)',
  'f(n) = n + f(n - 1); f(1)',
  'a = ones(1000, 1000); b = a + 1; c = b + 1; d = c + 1; g = d + 1; h = g + 1; k = h + 1; l = k + 1; m = l + 1',
  'f(x) = x > 0 ? f(x - 1) + f(x - 1) : 1; f(60)',
  'string(sqrt)',
  '{}.constructor.assign(cos.constructor, {binding: cos.bind})',
];

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

function latencies(samples: number[]): { p50Ms: number; p99Ms: number; meanMs: number; samples: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return {
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    samples: samples.length,
  };
}

/** Time each variant's operation once per round, interleaved, for per-call percentiles. */
async function sample(variants: Record<string, () => Promise<unknown>>, rounds: number) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, op] of Object.entries(variants)) {
      const start = process.hrtime.bigint();
      await op();
      times[name]?.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, latencies(values)]));
}

/** The resident memory of process `pid` in MB (Linux /proc, else ps); 0 once it is gone. */
function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match) return Math.round((Number(match[1]) / 1024) * 10) / 10;
  } catch {
    // not Linux, or the process just exited
  }
  try {
    return (
      Math.round(
        (Number(
          execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
            .toString()
            .trim(),
        ) /
          1024) *
          10,
      ) / 10
    );
  } catch {
    return 0;
  }
}

/** The ids of the child processes of `pid` (the evaluation workers). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    try {
      return execFileSync('pgrep', ['-P', String(pid)])
        .toString()
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }
}

/** RSS of the server alone and with its workers, in MB. */
function serverRss(pid: number): { server: number; total: number } {
  const server = rssMb(pid);
  const total = childPids(pid).reduce((sum, child) => sum + rssMb(child), server);
  return { server, total: Math.round(total * 10) / 10 };
}

function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export default async function run(): Promise<void> {
  // --- latency -------------------------------------------------------------------------------------------------
  // Imported here, not at the top: the server child process (this same file) should not load a second mathjs.
  const { evaluate: mathjsEvaluate } = await import('mathjs');
  const single: Record<string, () => Promise<unknown>> = { direct: async () => mathjsEvaluate('2+2') };
  const batch: Record<string, () => Promise<unknown>> = {
    direct: async () => {
      const scope = new Map<string, unknown>();
      for (const expression of BATCH) mathjsEvaluate(expression, scope);
    },
  };
  const conns = [];
  for (const protocol of TEST_PROTOCOLS) {
    const conn = await connectPack(mathPack, { protocol, logSink: () => {}, logLevel: null });
    conns.push(conn);
    single[`pack@${protocol}`] = () => conn.callTool('evaluate', { expression: '2+2' });
    batch[`pack@${protocol}`] = () => conn.callTool('evaluate', { expression: BATCH });
    const check = await conn.callTool('evaluate', { expression: BATCH });
    const failed = (check.structuredContent as { results: { error?: string }[] }).results.filter((r) => r.error);
    if (failed.length > 0) throw new Error(`the batch has failing expressions: ${JSON.stringify(failed)}`);
  }
  for (let i = 0; i < 300; i++) {
    await Promise.all([...Object.values(single), ...Object.values(batch)].map((op) => op()));
  }

  const singleLatency = await sample(single, 3000);
  const batchLatency = await sample(batch, 400);
  const singleStats = await compare(single, { batchSize: 200, batches: 21 });
  const batchStats = await compare(batch, { batchSize: 20, batches: 21 });
  const ratios = (stats: typeof singleStats) =>
    Object.fromEntries(TEST_PROTOCOLS.map((protocol) => [protocol, pairedRatio(stats, `pack@${protocol}`, 'direct')]));
  const singleRatio = ratios(singleStats);
  const batchRatio = ratios(batchStats);
  for (const conn of conns) await conn.close();

  // --- memory under abuse, in a real stdio server ---------------------------------------------------------------
  const transport = new InPlaceStdioClientTransport({
    command: process.execPath,
    args: [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)],
    env: { ...(process.env as Record<string, string>), MATH_BENCH_SERVER: '1' },
    stderr: 'inherit', // the server writes nothing there unless it fails
  });
  const client = new Client(
    { name: 'math-bench', version: '0.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(transport);
  const pid = transport.pid as number;
  const call = (expression: string | string[]) =>
    client.callTool({ name: 'math_evaluate', arguments: { expression } }, { timeout: 60_000 });
  const collected = async (): Promise<{ rss: number; heapUsed: number }> => {
    const result = await client.callTool({ name: 'bench_memory', arguments: {} });
    const usage = JSON.parse((result.content as { text: string }[])[0]?.text ?? '{}') as {
      rss: number;
      heapUsed: number;
    };
    return {
      rss: Math.round((usage.rss / 2 ** 20) * 10) / 10,
      heapUsed: Math.round((usage.heapUsed / 2 ** 20) * 10) / 10,
    };
  };
  for (let i = 0; i < 1000; i++) await call(i % 2 ? BATCH : `${i} * 2`);
  for (const expression of HOSTILE) await call(expression);
  for (let i = 0; i < 500; i++) await call(`sqrt(${i}) * 2 cm to inch`);
  const warmRss = serverRss(pid);
  const codes: Record<string, number> = {};
  const rssSamples: number[] = [];
  const totalSamples: number[] = [];
  const collectedRss: number[] = [];
  const collectedHeap: number[] = [];
  const TOTAL = 10_000;
  const hostileEvery = TOTAL / 100;
  const started = Date.now();
  for (let i = 1; i <= TOTAL; i++) {
    if (i % hostileEvery === 0) {
      const result = await call(HOSTILE[(i / hostileEvery) % HOSTILE.length] as string);
      const code = (result._meta?.['mcp-packs/error'] as { code?: string } | undefined)?.code ?? 'ok';
      codes[code] = (codes[code] ?? 0) + 1;
    } else {
      await call(i % 10 === 0 ? BATCH : `sqrt(${i}) * 2 cm to inch`);
    }
    if (i % 50 === 0) {
      const rss = serverRss(pid);
      rssSamples.push(rss.server);
      totalSamples.push(rss.total);
      const after = await collected();
      collectedRss.push(after.rss);
      collectedHeap.push(after.heapUsed);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  await client.close();
  const round = (value: number) => Math.round(value * 10) / 10;
  const first = median(collectedRss.slice(0, 20));
  const last = median(collectedRss.slice(-20));
  const deltaMb = round(last - first);
  const heapDeltaMb = round(median(collectedHeap.slice(-20)) - median(collectedHeap.slice(0, 20)));
  const rawFirst = median(rssSamples.slice(0, 20));
  const rawLast = median(rssSamples.slice(-20));
  const firstTotal = median(totalSamples.slice(0, 20));
  const lastTotal = median(totalSamples.slice(-20));
  const deltaTotalMb = round(lastTotal - firstTotal);

  const p50 = Object.fromEntries(
    TEST_PROTOCOLS.map((protocol) => [protocol, singleLatency[`pack@${protocol}`]?.p50Ms ?? Number.NaN]),
  );
  for (const protocol of TEST_PROTOCOLS) {
    const one = singleLatency[`pack@${protocol}`];
    const many = batchLatency[`pack@${protocol}`];
    console.log(
      `${protocol} single: pack p50 ${one?.p50Ms} ms p99 ${one?.p99Ms} ms, direct mathjs p50 ${singleLatency.direct?.p50Ms} ms (paired ratio ${singleRatio[protocol]?.toFixed(1)})`,
    );
    console.log(
      `${protocol} batch of ${BATCH.length}: pack p50 ${many?.p50Ms} ms p99 ${many?.p99Ms} ms, direct p50 ${batchLatency.direct?.p50Ms} ms (paired ratio ${batchRatio[protocol]?.toFixed(2)})`,
    );
  }
  const signed = (value: number) => `${value >= 0 ? '+' : ''}${value}`;
  console.log(
    `server memory after GC: RSS ${first} MB (first 1,000 calls) -> ${last} MB (last 1,000) = ${signed(deltaMb)} MB, heap ${signed(heapDeltaMb)} MB, over ${TOTAL} calls in ${seconds.toFixed(0)} s; without forcing GC ${rawFirst} -> ${rawLast} MB (min ${Math.min(...rssSamples)}, max ${Math.max(...rssSamples)}); with workers ${firstTotal} -> ${lastTotal} MB (${signed(deltaTotalMb)}); hostile outcomes ${JSON.stringify(codes)}`,
  );

  writeResult({
    name: 'math',
    description:
      'math_evaluate through a real SDK v2 Client (connectPack, worker round trip included) in each era (pack@2026-07-28: createMcpHandler by in-process fetch, a server per request; pack@2025-11-25: InMemoryTransport) vs mathjs.evaluate in-process; RSS of a stdio server process (SDK v2 serveStdio, 2026-07-28 client) across 10,000 calls with 100 hostile ones.',
    results: {
      single: { expression: '2+2', ...singleLatency, pairedMedianRatio: singleRatio, harness: singleStats },
      batch: { expressions: BATCH.length, ...batchLatency, pairedMedianRatio: batchRatio, harness: batchStats },
      serverMemory: {
        transport: 'stdio (child process), 2026-07-28',
        calls: TOTAL,
        hostileCalls: TOTAL / hostileEvery,
        hostileOutcomes: codes,
        config: ABUSE_CONFIG,
        rssAfterWarmupMb: warmRss,
        afterGc: {
          medianRssFirst1000CallsMb: first,
          medianRssLast1000CallsMb: last,
          deltaRssMb: deltaMb,
          deltaHeapUsedMb: heapDeltaMb,
          minRssMb: Math.min(...collectedRss),
          maxRssMb: Math.max(...collectedRss),
          rssEvery50CallsMb: collectedRss,
          heapUsedEvery50CallsMb: collectedHeap,
        },
        withoutForcedGc: {
          medianRssFirst1000CallsMb: rawFirst,
          medianRssLast1000CallsMb: rawLast,
          minRssMb: Math.min(...rssSamples),
          maxRssMb: Math.max(...rssSamples),
        },
        withWorkers: {
          medianRssFirst1000CallsMb: firstTotal,
          medianRssLast1000CallsMb: lastTotal,
          deltaRssMb: deltaTotalMb,
          minRssMb: Math.min(...totalSamples),
          maxRssMb: Math.max(...totalSamples),
        },
        rssEvery50CallsMb: rssSamples,
        rssWithWorkersEvery50CallsMb: totalSamples,
        seconds,
      },
    },
    targets: [
      ...TEST_PROTOCOLS.map((protocol) => ({
        description: `${protocol}: single-call p50 ${p50[protocol]} ms <= 2 ms`,
        met: (p50[protocol] ?? Number.NaN) <= 2,
      })),
      {
        description: `server RSS change after GC ${deltaMb} MB within ±20 MB over ${TOTAL} calls (100 hostile)`,
        met: Math.abs(deltaMb) <= 20,
      },
    ],
  });
}
