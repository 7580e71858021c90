/**
 * @mcp-packs/filesystem at scale, side by side in one run, on a tree generated in a temp dir (never committed):
 * 20,000 files, ~190 MB, with binaries, a node_modules and a .git (see `fs-tree.ts`). Targets from issue #19:
 *
 * - search_content (literal, regex) vs ripgrep on the same tree: <= 1.2x, RSS growth per search <= 30 MiB. Every
 *   page is timed (following nextCursor, pages of 1000, and pages of 100 as a figure of its own), and every timed
 *   search must count as many matching lines as rg; how busy the search workers were is reported beside it.
 * - search_files: ALL pages (following nextCursor to the end, default page size) vs one `rg --files -g`: <= 1.5x.
 * - read_text_file tail of a 1 GB file vs the reference server (@modelcontextprotocol/server-filesystem): <= 0.5x;
 *   a 1 KB read: <= 1x.
 * - directory_tree vs the reference server: not slower.
 *
 * Every figure is the median of per-pair ratios over many single calls, ours and the other side interleaved call by
 * call (`fs-figures.ts`: 15 pairs for a content search, 31 for all pages of a name search, 101 for a millisecond
 * read), recorded with each side's p50 and quartiles, the ratio's quartiles and the load average; the memory
 * figure beside it: for ours the growth of this process's RSS during the call (sampled every 5 ms), for rg its peak
 * RSS (GNU time), for the reference the growth of its process's RSS. Every call goes through a real SDK v2 client
 * in the 2025-11-25 era (the only one the reference speaks). Ours runs in-process over the SDK's in-memory
 * transport; rg and the reference server run as child processes (rg's spawn is part of its time, as for a user).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectPack } from '@mcp-packs/core/testing';
import { filesystemPack } from '@mcp-packs/filesystem';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describeFigure, interleaved, type PairedFigure } from './fs-figures.ts';
import { generateTree, writeBigFile } from './fs-tree.ts';
import { writeResult } from './harness.ts';
import { processRss, runMeasured, summarizeGrowth, withRssGrowth } from './memory.ts';

/** ripgrep, with its peak RSS recorded into `peaks`. */
function rg(args: string[], peaks: number[]) {
  return async (): Promise<string> => {
    const { stdout, peakMiB } = await runMeasured('rg', args);
    peaks.push(peakMiB);
    return stdout;
  };
}

async function referenceServer(root: string): Promise<{ client: Client; pid: number }> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
  // The default `legacy` negotiation: the plain 2025 `initialize`, no probe (the reference speaks no other era).
  const client = new Client({ name: 'bench', version: '0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [entry, root], stderr: 'ignore' });
  await client.connect(transport);
  return { client, pid: transport.pid ?? -1 };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** One side-by-side figure as recorded: each side's single-call times, the paired ratio and its spread, the load. */
function figure(paired: PairedFigure, other: string, memory: Record<string, unknown>): Record<string, unknown> {
  return {
    ours: paired.ours,
    [other]: paired.other,
    pairedRatio: paired.ratioP50,
    pairedRatioQuartiles: [paired.ratioP25, paired.ratioP75],
    loadAverage: paired.loadAverage,
    memory,
  };
}

export default async function run(): Promise<void> {
  const base = await mkdtemp(path.join(tmpdir(), 'fs-bench-'));
  try {
    const started = Date.now();
    const tree = await generateTree(path.join(base, 'tree'));
    const big = path.join(base, 'big', 'huge.log');
    await mkdir(path.dirname(big));
    await writeBigFile(big, 1024 ** 3);
    const small = path.join(path.dirname(big), 'small.txt');
    await writeFile(small, `${'a short line of text for a small read\n'.repeat(27)}`.slice(0, 1024));
    console.log(
      `generated ${tree.files} files, ${(tree.bytes / 2 ** 20).toFixed(0)} MB, and a 1 GB log in ${Date.now() - started} ms`,
    );

    // How busy the search workers were on each search_content page (the pack logs it at debug level).
    const workerBusy: number[] = [];
    await using conn = await connectPack(filesystemPack, {
      config: { roots: [tree.root, path.dirname(big)] },
      protocol: '2025-11-25',
      logSink: (entry) => {
        const data = entry.data as { workerBusy?: number } | undefined;
        if (entry.message === 'search_content page' && typeof data?.workerBusy === 'number') {
          workerBusy.push(data.workerBusy);
        }
      },
    });
    const callOnce = async (name: string, args: Record<string, unknown>) => {
      const result = await conn.callTool(name, args);
      if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
      return result.structuredContent as Record<string, unknown>;
    };
    const call = (name: string, args: Record<string, unknown>) => () => callOnce(name, args);
    /** Every page of a search_files call, following nextCursor to the end. */
    const allNamePages = async (args: Record<string, unknown>) => {
      const paths: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = (await callOnce('search_files', { ...args, ...(cursor ? { cursor } : {}) })) as {
          matches: string[];
          nextCursor?: string;
        };
        paths.push(...page.matches);
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { paths, pages };
    };

    /** Every page of a search_content call, following nextCursor to the end: the matching lines and the pages. */
    const allContentPages = async (args: Record<string, unknown>) => {
      let matches = 0;
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = (await callOnce('search_content', { ...args, ...(cursor ? { cursor } : {}) })) as {
          matches: unknown[];
          nextCursor?: string;
        };
        matches += page.matches.length;
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { matches, pages };
    };
    /** All pages of a search, failing the run when they do not add up to what rg found. */
    const contentOp = (args: Record<string, unknown>, expected: () => number) => async () => {
      const found = await allContentPages(args);
      if (found.matches !== expected()) throw new Error(`search_content found ${found.matches}, rg ${expected()}`);
      return found;
    };

    // Check both sides find the same thing before timing them.
    const rgPeaks = { literal: [] as number[], regex: [] as number[], names: [] as number[] };
    const literalArgs = ['-n', '-F', 'NEEDLE_LITERAL_42', tree.root];
    const regexArgs = ['-n', 'fn_[a-z]+_\\d{3}\\(', tree.root];
    const namesArgs = ['--files', '-g', '*.ts', tree.root];
    // The largest page (1000), and the default (100): every page is timed, and counted against rg's lines.
    const literalQuery = { query: 'NEEDLE_LITERAL_42', path: 'tree', maxResults: 1000 };
    const regexQuery = { query: 'fn_[a-z]+_\\d{3}\\(', regex: true, path: 'tree', maxResults: 1000 };
    const literalDefaultPages = { query: 'NEEDLE_LITERAL_42', path: 'tree' };
    const namesQuery = { pattern: '*.ts', path: 'tree', type: 'file' };
    const literalRg = lines(await rg(literalArgs, [])()).length;
    const regexRg = lines(await rg(regexArgs, [])()).length;
    const literalPages = await allContentPages(literalQuery);
    const literalOurs = literalPages.matches;
    const regexPages = await allContentPages(regexQuery);
    const defaultPages = await allContentPages(literalDefaultPages);
    const rgNames = lines(await rg(namesArgs, [])())
      .map((file) => `tree/${path.relative(tree.root, file)}`)
      .sort();
    const ourNames = await allNamePages(namesQuery);
    const sameNames = JSON.stringify([...ourNames.paths].sort()) === JSON.stringify(rgNames);
    console.log(
      `matching lines: literal rg ${literalRg}, ours ${literalOurs} (${literalPages.pages} pages of 1000; ${defaultPages.pages} pages of 100); ` +
        `regex rg ${regexRg}, ours ${regexPages.matches} (${regexPages.pages} pages); ` +
        `names: rg ${rgNames.length}, ours ${ourNames.paths.length} in ${ourNames.pages} pages (same set: ${sameNames})`,
    );
    if (
      literalRg !== literalOurs ||
      regexRg !== regexPages.matches ||
      defaultPages.matches !== literalRg ||
      !sameNames
    ) {
      throw new Error('ours and rg disagree; fix that before timing');
    }

    const busySince = () => {
      const from = workerBusy.length;
      return () => {
        const busy = workerBusy.slice(from).sort((a, b) => a - b);
        const percent = (share: number | undefined) => Math.round((share ?? Number.NaN) * 100);
        return { medianPercent: percent(busy[Math.floor(busy.length / 2)]), minPercent: percent(busy[0]) };
      };
    };
    // Each figure: many single calls, ours and the other side interleaved call by call (fs-figures.ts).
    const literalBusy = busySince();
    const oursLiteral = withRssGrowth(contentOp(literalQuery, () => literalRg));
    const literal = await interleaved(oursLiteral.op, rg(literalArgs, rgPeaks.literal), { pairs: 15, warmup: 2 });
    const literalBusyPct = literalBusy();
    const regexBusy = busySince();
    const oursRegex = withRssGrowth(contentOp(regexQuery, () => regexRg));
    const regex = await interleaved(oursRegex.op, rg(regexArgs, rgPeaks.regex), { pairs: 15, warmup: 2 });
    const regexBusyPct = regexBusy();
    const oursDefault = withRssGrowth(contentOp(literalDefaultPages, () => literalRg));
    const defaultPaged = await interleaved(oursDefault.op, rg(literalArgs, []), { pairs: 9, warmup: 1 });
    const oursNames = withRssGrowth(() => allNamePages(namesQuery));
    const names = await interleaved(oursNames.op, rg(namesArgs, rgPeaks.names), { pairs: 31, warmup: 2 });
    const memory = (ours: number[], peaks: number[]) => ({
      oursRssGrowthMiB: summarizeGrowth(ours),
      rgPeakRssMiB: summarizeGrowth(peaks),
    });
    const results: Record<string, unknown> = {
      tree: { files: tree.files, megabytes: Math.round(tree.bytes / 2 ** 20) },
      searchContentLiteral: {
        ...figure(literal, 'rg', memory(oursLiteral.growthMiB, rgPeaks.literal)),
        matches: { rg: literalRg, ours: literalOurs },
        pages: literalPages.pages,
        workerBusyPercent: literalBusyPct,
      },
      searchContentRegex: {
        ...figure(regex, 'rg', memory(oursRegex.growthMiB, rgPeaks.regex)),
        matches: { rg: regexRg, ours: regexPages.matches },
        pages: regexPages.pages,
        workerBusyPercent: regexBusyPct,
      },
      searchContentLiteralDefaultPages: {
        ...figure(defaultPaged, 'rg', memory(oursDefault.growthMiB, [])),
        pages: defaultPages.pages,
      },
      searchFilesAllPages: {
        ...figure(names, 'rg', memory(oursNames.growthMiB, rgPeaks.names)),
        paths: rgNames.length,
        pages: ourNames.pages,
      },
    };
    const literalRatio = literal.ratioP50;
    const regexRatio = regex.ratioP50;
    const namesRatio = names.ratioP50;
    const contentGrowth = Math.max(
      summarizeGrowth(oursLiteral.growthMiB).maxMiB,
      summarizeGrowth(oursRegex.growthMiB).maxMiB,
    );
    for (const [name, paired] of [
      ['search_content literal', literal],
      ['search_content regex', regex],
      [`search_content literal in ${defaultPages.pages} pages of 100`, defaultPaged],
      [`search_files all ${ourNames.pages} pages`, names],
    ] as const) {
      console.log(describeFigure(name, paired, 'rg'));
    }
    console.log(
      `ours RSS growth max ${contentGrowth} MiB; workers busy (median) ${literalBusyPct.medianPercent}% literal, ${regexBusyPct.medianPercent}% regex`,
    );
    const targets = [
      { description: `search_content literal ours/rg ${literalRatio.toFixed(2)} <= 1.2`, met: literalRatio <= 1.2 },
      { description: `search_content regex ours/rg ${regexRatio.toFixed(2)} <= 1.2`, met: regexRatio <= 1.2 },
      { description: `search_content RSS growth max ${contentGrowth} MiB <= 30`, met: contentGrowth <= 30 },
      {
        description: `search_files all ${ourNames.pages} pages ours/rg --files ${namesRatio.toFixed(2)} <= 1.5`,
        met: namesRatio <= 1.5,
      },
    ];

    // The reference server, same files, same questions, in the same run.
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
      const refTreeOp = withRssGrowth(refCall(refTree.client, 'directory_tree', { path: treeSub }), () =>
        processRss(refTree.pid),
      );
      const oursTreeOp = withRssGrowth(call('directory_tree', { path: treeSub, maxDepth: 50, maxEntries: 20_000 }));
      const trees = await interleaved(oursTreeOp.op, refTreeOp.op, { pairs: 15, warmup: 2 });
      const refTailOp = withRssGrowth(refCall(ref.client, 'read_text_file', { path: big, tail: 200 }), () =>
        processRss(ref.pid),
      );
      const oursTailOp = withRssGrowth(call('read_text_file', { path: 'big/huge.log', tail: 200 }));
      // Millisecond calls: many of them, so the median holds against the machine's noise.
      const tails = await interleaved(oursTailOp.op, refTailOp.op, { pairs: 101, warmup: 10 });
      const refSmallOp = refCall(ref.client, 'read_text_file', { path: small });
      const smalls = await interleaved(call('read_text_file', { path: 'big/small.txt' }), refSmallOp, {
        pairs: 101,
        warmup: 10,
      });
      const refMemory = (ours: number[], reference: number[]) => ({
        oursRssGrowthMiB: summarizeGrowth(ours),
        referenceRssGrowthMiB: summarizeGrowth(reference),
      });
      console.log(describeFigure('directory_tree (src/pkg1)', trees, 'reference'));
      console.log(describeFigure('read_text_file tail 200 lines of 1 GB', tails, 'reference'));
      console.log(describeFigure('read_text_file of 1 KB', smalls, 'reference'));
      console.log(
        `tail RSS growth ours ${summarizeGrowth(oursTailOp.growthMiB).maxMiB} MiB, reference ${summarizeGrowth(refTailOp.growthMiB).maxMiB} MiB`,
      );
      results.directoryTree = figure(trees, 'reference', refMemory(oursTreeOp.growthMiB, refTreeOp.growthMiB));
      results.tail1GB = figure(tails, 'reference', refMemory(oursTailOp.growthMiB, refTailOp.growthMiB));
      results.read1KB = figure(smalls, 'reference', {});
      const treeRatio = trees.ratioP50;
      const tailRatio = tails.ratioP50;
      const smallRatio = smalls.ratioP50;
      targets.push(
        { description: `directory_tree ours/reference ${treeRatio.toFixed(2)} <= 1`, met: treeRatio <= 1 },
        {
          description: `read_text_file tail of 1 GB ours/reference ${tailRatio.toFixed(2)} <= 0.5`,
          met: tailRatio <= 0.5,
        },
        { description: `read_text_file of 1 KB ours/reference ${smallRatio.toFixed(2)} <= 1`, met: smallRatio <= 1 },
      );
      await ref.client.close();
      await refTree.client.close();
    } catch (error) {
      console.error('reference server comparison skipped:', error);
      results.reference = { skipped: true, reason: String(error) };
      targets.push({ description: 'reference server comparison ran', met: false });
    }

    writeResult({
      name: 'filesystem',
      description: `Generated tree of ${tree.files} files (${(tree.bytes / 2 ** 20).toFixed(0)} MB) with binaries, node_modules and .git; a 1 GB text file. Ours through a real SDK v2 client (2025-11-25, in-memory transport); rg and the reference server as child processes. Memory: ours = RSS growth of this process during a call; rg = its peak RSS; reference = RSS growth of its process.`,
      results,
      targets,
    });
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
