/**
 * One measured server life for the notes-scale bench, in a fresh process (so its RSS is the store's): the notes pack
 * mounted on a real McpServer with a real SDK client (`connectPack`), a persistent index cache, the watcher on.
 * - `first`: no cache yet. Cold start to the first `notes_list` answer, then until search reports nothing pending.
 * - `warm`: the cache of an earlier life. Cold start to the first `notes_list` answer; then list, search and create
 *   latency; then calls back to back while periodic rescans run (every second), with a note written by hand
 *   meanwhile: the slowest call, and how long until search finds the hand-written note.
 * Prints one JSON object on stdout. Usage: tsx notes-client-child.ts <file holding the JSON args>
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connectPack, structured } from '@mcp-packs/core/testing';
import { notesPack } from '@mcp-packs/notes';

interface Args {
  phase: 'first' | 'warm';
  dir: string;
  cacheDir: string;
  queries: string[];
  tags: string[];
  stallWindowMs: number;
}

const args = JSON.parse(await readFile(process.argv.at(-1) as string, 'utf8')) as Args;
const rssMB = () => process.memoryUsage().rss / 2 ** 20;
const baselineRssMB = rssMB();

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { p50Ms: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99), maxMs: sorted.at(-1) as number, calls: sorted.length };
}

const start = performance.now();
const conn = await connectPack(notesPack, {
  config: {
    directory: args.dir,
    indexCacheDir: args.cacheDir,
    watch: true,
    rescanIntervalMs: args.phase === 'warm' ? 1000 : 30_000,
  },
  logSink: () => {},
  logLevel: null,
});
const call = async (tool: string, input: Record<string, unknown>) => {
  const result = await conn.callTool(tool, input);
  if (result.isError) throw new Error(`${tool} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
  return structured<Record<string, unknown>>(result);
};
const firstList = await call('list', { limit: 20 });
const result: Record<string, unknown> = {
  phase: args.phase,
  coldStartMs: performance.now() - start,
  coldStartRssMB: rssMB(),
  baselineRssMB,
  total: firstList.total,
};

if (args.phase === 'first') {
  for (;;) {
    const { pending } = await call('search', { query: 'ka', limit: 1 });
    if (!pending) break; // omitted once nothing is pending
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  result.indexedMs = performance.now() - start;
  result.indexedRssMB = rssMB();
} else {
  const timed = async (tool: string, inputs: Record<string, unknown>[], warmup: number) => {
    const ms: number[] = [];
    for (const [i, input] of inputs.entries()) {
      const t = performance.now();
      await call(tool, input);
      if (i >= warmup) ms.push(performance.now() - t);
    }
    return { ...quantiles(ms), rssMB: rssMB() };
  };
  // A mix of what a model asks: the newest notes, by title, by tag, and a second page.
  const page2 = (await call('list', { limit: 20 })).nextCursor as string;
  const lists = Array.from({ length: 240 }, (_, i) =>
    i % 4 === 0
      ? { limit: 20 }
      : i % 4 === 1
        ? { limit: 20, sort: 'title' }
        : i % 4 === 2
          ? { limit: 20, tag: args.tags[i % args.tags.length] }
          : { limit: 20, cursor: page2 },
  );
  result.list = await timed('list', lists, 40);
  result.search = await timed(
    'search',
    [...args.queries.slice(0, 40), ...args.queries].map((query) => ({ query })),
    40,
  );
  const body = 'kato rina lesu '.repeat(60);
  result.create = await timed(
    'create',
    Array.from({ length: 220 }, (_, i) => ({ title: `bench note ${i}`, body, tags: ['bench'] })),
    20,
  );

  // Calls back to back while rescans run; a note written by hand (not through the store) meanwhile.
  const word = `handmade${Date.now().toString(36)}`;
  const ms: number[] = [];
  const windowStart = performance.now();
  await writeFile(path.join(args.dir, `${word}.md`), `# Hand made\n\nWritten by hand: ${word}.\n`);
  let pickupMs: number | undefined;
  for (let i = 0; performance.now() - windowStart < args.stallWindowMs; i++) {
    const t = performance.now();
    if (i % 5 === 0 && pickupMs === undefined) {
      const { results } = await call('search', { query: word, limit: 1 });
      if ((results as unknown[]).length > 0) pickupMs = performance.now() - windowStart;
    } else await call('list', { limit: 20 });
    ms.push(performance.now() - t);
  }
  result.duringRescans = { ...quantiles(ms), windowMs: args.stallWindowMs, rssMB: rssMB() };
  result.handEditPickupMs = pickupMs ?? null;
}
result.rssMB = rssMB();
await conn.close();
process.stdout.write(JSON.stringify(result));
