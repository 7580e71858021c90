/**
 * @mcp-packs/filesystem at scale, side by side in one run, on a tree generated in a temp dir (never committed):
 * 20,000 files, ~200 MB, with binaries, a node_modules and a .git.
 *
 * - search_content (literal, regex) vs ripgrep on the same tree: target <= 3x.
 * - search_files (name glob) vs `rg --files -g`: target <= 3x.
 * - directory_tree and read_text_file tail vs the reference server (@modelcontextprotocol/server-filesystem, over
 *   stdio in a child process): ours not slower.
 * - tail of a 1 GB file: RSS growth < 50 MB.
 *
 * Every call goes through a real SDK v2 client, in the 2025-11-25 era (the only one the reference speaks, so both
 * sides speak the same protocol). Ours runs in-process over the SDK's in-memory transport; rg and the reference
 * server run as child processes (their spawn cost is part of their time, as it is for a user).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connectPack } from '@mcp-packs/core/testing';
import { filesystemPack } from '@mcp-packs/filesystem';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { compare, pairedRatio, writeResult } from './harness.ts';

const run$ = promisify(execFile);

/** A small deterministic PRNG (mulberry32), so every run builds the same tree. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'const let function return import export from class interface type async await value result error ' +
  'config server client request response buffer stream handle path file directory search index count ' +
  'string number boolean object array map set promise resolve reject module package data user session'
).split(' ');

function textFile(random: () => number, bytes: number, needle: string | undefined): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const count = 3 + Math.floor(random() * 10);
    let line = '  '.repeat(Math.floor(random() * 4));
    for (let i = 0; i < count; i++) line += `${WORDS[Math.floor(random() * WORDS.length)]} `;
    if (needle && random() < 0.02) line += needle;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

interface Tree {
  root: string;
  files: number;
  bytes: number;
}

async function generateTree(root: string): Promise<Tree> {
  const random = prng(42);
  let files = 0;
  let bytes = 0;
  const put = async (rel: string, content: string | Uint8Array) => {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    files++;
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  };
  await put('.gitignore', 'node_modules/\ndist/\n');
  // 15,500 source files in nested folders, ~8 KB each; one in 50 holds the literal needle.
  for (let i = 0; i < 15_500; i++) {
    const dir = `src/pkg${i % 40}/mod${Math.floor(i / 40) % 25}/part${Math.floor(i / 1000)}`;
    const needle = i % 50 === 7 ? 'NEEDLE_LITERAL_42 fn_lookup_123(' : undefined;
    await put(
      `${dir}/file${i}.${i % 3 === 0 ? 'ts' : i % 3 === 1 ? 'js' : 'md'}`,
      textFile(random, 2000 + Math.floor(random() * 12_000), needle),
    );
  }
  // 500 binaries, ~70 KB each.
  for (let i = 0; i < 500; i++) {
    const data = Buffer.alloc(40_000 + Math.floor(random() * 60_000));
    for (let j = 0; j < data.length; j += 7) data[j] = Math.floor(random() * 256);
    await put(`assets/bin${i % 10}/blob${i}.bin`, data);
  }
  // node_modules: 3,000 files, ~10 KB (ignored by both sides by default).
  for (let i = 0; i < 3000; i++) {
    await put(`node_modules/dep${i % 60}/lib/file${i}.js`, textFile(random, 10_000, 'NEEDLE_LITERAL_42'));
  }
  // .git: 999 object files (hidden; skipped by both sides).
  for (let i = 0; i < 999; i++) {
    await put(`.git/objects/${(i % 256).toString(16).padStart(2, '0')}/obj${i}`, textFile(random, 9000, undefined));
  }
  return { root, files, bytes };
}

async function writeBigFile(file: string, size: number): Promise<void> {
  const random = prng(7);
  const block = Buffer.from(textFile(random, 4 * 1024 * 1024, undefined));
  const handle = await open(file, 'w');
  for (let written = 0; written < size; written += block.length) {
    await handle.write(block.subarray(0, Math.min(block.length, size - written)));
  }
  await handle.close();
}

async function rg(args: string[]): Promise<string> {
  try {
    const { stdout } = await run$('rg', args, { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    // rg exits 1 when nothing matched.
    if ((error as { code?: number }).code === 1) return '';
    throw error;
  }
}

async function referenceServer(root: string): Promise<Client> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
  // The default `legacy` negotiation: the plain 2025 `initialize`, no probe (the reference speaks no other era).
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [entry, root], stderr: 'ignore' }));
  return client;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export default async function run(): Promise<void> {
  const base = await mkdtemp(path.join(tmpdir(), 'fs-bench-'));
  try {
    const started = Date.now();
    const tree = await generateTree(path.join(base, 'tree'));
    const big = path.join(base, 'big', 'huge.log');
    await mkdir(path.dirname(big));
    await writeBigFile(big, 1024 ** 3);
    console.log(
      `generated ${tree.files} files, ${(tree.bytes / 2 ** 20).toFixed(0)} MB, and a 1 GB log in ${Date.now() - started} ms`,
    );

    await using conn = await connectPack(filesystemPack, {
      config: { roots: [tree.root, path.dirname(big)] },
      protocol: '2025-11-25',
      logSink: () => {},
    });
    const call = (name: string, args: Record<string, unknown>) => async () => {
      const result = await conn.callTool(name, args);
      if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
      return result;
    };

    // Check both sides find the same thing before timing them.
    const literalRg = (await rg(['-n', '-F', 'NEEDLE_LITERAL_42', tree.root])).trim().split('\n').length;
    const literalOurs = (
      (await call('search_content', { query: 'NEEDLE_LITERAL_42', path: 'tree', maxResults: 1000 })())
        .structuredContent as {
        matches: unknown[];
      }
    ).matches.length;
    console.log(`literal matches: rg ${literalRg}, ours ${literalOurs}`);

    const literal = await compare(
      {
        rg: () => rg(['-n', '-F', 'NEEDLE_LITERAL_42', tree.root]),
        ours: call('search_content', { query: 'NEEDLE_LITERAL_42', path: 'tree', maxResults: 1000 }),
      },
      { batchSize: 1, batches: 9, warmupBatches: 2 },
    );
    const regex = await compare(
      {
        rg: () => rg(['-n', 'fn_[a-z]+_\\d{3}\\(', tree.root]),
        ours: call('search_content', { query: 'fn_[a-z]+_\\d{3}\\(', regex: true, path: 'tree', maxResults: 1000 }),
      },
      { batchSize: 1, batches: 9, warmupBatches: 2 },
    );
    const names = await compare(
      {
        rg: () => rg(['--files', '-g', '*.ts', tree.root]),
        ours: call('search_files', { pattern: '*.ts', path: 'tree', type: 'file', maxResults: 200 }),
      },
      { batchSize: 1, batches: 9, warmupBatches: 2 },
    );
    const literalRatio = pairedRatio(literal, 'ours', 'rg');
    const regexRatio = pairedRatio(regex, 'ours', 'rg');
    const namesRatio = pairedRatio(names, 'ours', 'rg');
    console.log(
      `search_content literal ${literal.ours?.medianMs.toFixed(0)} ms vs rg ${literal.rg?.medianMs.toFixed(0)} ms (${literalRatio.toFixed(2)}x); ` +
        `regex ${regex.ours?.medianMs.toFixed(0)} vs ${regex.rg?.medianMs.toFixed(0)} ms (${regexRatio.toFixed(2)}x); ` +
        `search_files ${names.ours?.medianMs.toFixed(0)} vs ${names.rg?.medianMs.toFixed(0)} ms (${namesRatio.toFixed(2)}x)`,
    );

    // Tail of a 1 GB file, and the RSS it costs.
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const tailTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await call('read_text_file', { path: 'big/huge.log', tail: 200 })();
      tailTimes.push(performance.now() - t0);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    const rssGrowthMb = (rssPeak - rssBefore) / 2 ** 20;
    console.log(
      `tail 200 lines of 1 GB: median ${median(tailTimes).toFixed(1)} ms, RSS growth ${rssGrowthMb.toFixed(1)} MB`,
    );

    // The reference server, same tree, same questions.
    let reference: Record<string, unknown> = { skipped: true };
    let referenceTargets: { description: string; met: boolean }[] = [];
    try {
      const ref = await referenceServer(path.dirname(big));
      const refTree = await referenceServer(tree.root);
      const refCall = (client: Client, name: string, args: Record<string, unknown>) => async () => {
        const result = await client.callTool({ name, arguments: args }, { timeout: 600_000 });
        if (result.isError)
          throw new Error(`reference ${name} failed: ${JSON.stringify(result.content).slice(0, 200)}`);
        return result;
      };
      const treeSub = path.join(tree.root, 'src', 'pkg1');
      const trees = await compare(
        {
          reference: refCall(refTree, 'directory_tree', { path: treeSub }),
          ours: call('directory_tree', { path: treeSub, maxDepth: 50, maxEntries: 20_000 }),
        },
        { batchSize: 1, batches: 7, warmupBatches: 1 },
      );
      const t0 = performance.now();
      await refCall(ref, 'read_text_file', { path: big, tail: 200 })();
      const refTailMs = performance.now() - t0;
      const treeRatio = pairedRatio(trees, 'ours', 'reference');
      const tailRatio = median(tailTimes) / refTailMs;
      console.log(
        `directory_tree (src/pkg1): ours ${trees.ours?.medianMs.toFixed(0)} ms vs reference ${trees.reference?.medianMs.toFixed(0)} ms (${treeRatio.toFixed(2)}x); ` +
          `tail of 1 GB: ours ${median(tailTimes).toFixed(1)} ms vs reference ${refTailMs.toFixed(0)} ms`,
      );
      reference = { directoryTree: trees, directoryTreeRatio: treeRatio, referenceTailMs: refTailMs, tailRatio };
      referenceTargets = [
        { description: `directory_tree ours/reference ${treeRatio.toFixed(2)} <= 1`, met: treeRatio <= 1 },
        { description: `read_text_file tail of 1 GB ours/reference ${tailRatio.toFixed(3)} <= 1`, met: tailRatio <= 1 },
      ];
      await ref.close();
      await refTree.close();
    } catch (error) {
      console.error('reference server comparison skipped:', error);
      reference = { skipped: true, reason: String(error) };
    }

    writeResult({
      name: 'filesystem',
      description: `Generated tree of ${tree.files} files (${(tree.bytes / 2 ** 20).toFixed(0)} MB) with binaries, node_modules and .git; a 1 GB text file. Ours through a real SDK v2 client (2025-11-25, in-memory transport); rg ${'13'}+ and the reference server as child processes.`,
      results: {
        tree: { files: tree.files, megabytes: Math.round(tree.bytes / 2 ** 20) },
        searchContentLiteral: { ...literal, pairedRatio: literalRatio, matches: { rg: literalRg, ours: literalOurs } },
        searchContentRegex: { ...regex, pairedRatio: regexRatio },
        searchFiles: { ...names, pairedRatio: namesRatio },
        tail1GB: { medianMs: median(tailTimes), rssGrowthMb },
        reference,
      },
      targets: [
        { description: `search_content literal ours/rg ${literalRatio.toFixed(2)} <= 3`, met: literalRatio <= 3 },
        { description: `search_content regex ours/rg ${regexRatio.toFixed(2)} <= 3`, met: regexRatio <= 3 },
        { description: `search_files ours/rg --files ${namesRatio.toFixed(2)} <= 3`, met: namesRatio <= 3 },
        { description: `tail of a 1 GB file: RSS growth ${rssGrowthMb.toFixed(1)} MB < 50`, met: rssGrowthMb < 50 },
        ...referenceTargets,
      ],
    });
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
