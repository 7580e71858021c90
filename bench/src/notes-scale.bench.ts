/**
 * Notes at 1,000, 50,000 and 1,000,000 notes (issue 19), every figure through a real SDK client (the notes pack
 * mounted with `connectPack`) in a fresh process per server life, with the RSS beside each time. One corpus is grown
 * size by size (files written straight to disk, see notes-corpus.ts), so every size runs in this one run, side by
 * side. Per size: a first start with no cache (cold start to the first list; until fully indexed), then a start with
 * the cache (cold start to the first list, then list, search and create latency, then calls back to back for a
 * while with rescans every second and a note written by hand meanwhile).
 * Sizes: NOTES_SCALE_SIZES (comma-separated), default 1000,50000,1000000. NOTES_SCALE_CORPUS=<dir> keeps one corpus per
 * size in that folder (`notes-<size>`) and reuses it on later runs (a million notes take minutes to write); what a run
 * adds to it (the notes the bench creates, the hand-made note, the trash, the index caches) is removed before each
 * run, so every run measures the same files.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeResult } from './harness.ts';
import { type Corpus, generate, queries } from './notes-corpus.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.NOTES_SCALE_SIZES ?? '1000,50000,1000000').split(',').map(Number);

interface Quantiles {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  calls: number;
  rssMB: number;
}

interface Life {
  coldStartMs: number;
  coldStartRssMB: number;
  baselineRssMB: number;
  total: number;
  indexedMs?: number;
  indexedRssMB?: number;
  list?: Quantiles;
  search?: Quantiles;
  create?: Quantiles;
  duringRescans?: Quantiles & { windowMs: number };
  handEditPickupMs?: number | null;
  rssMB: number;
}

async function life(args: Record<string, unknown> & { dir: string }): Promise<Life> {
  const argsFile = path.join(path.dirname(args.dir), 'life-args.json');
  await writeFile(argsFile, JSON.stringify(args));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@mcp-packs/source', '--import', 'tsx', path.join(here, 'notes-client-child.ts'), argsFile],
    { cwd: path.join(here, '..'), maxBuffer: 64 * 2 ** 20 },
  );
  return JSON.parse(stdout) as Life;
}

const round = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(value < 10 ? 2 : 0));

/**
 * The kept corpus of `size` notes in `root` (written once, see NOTES_SCALE_CORPUS), with what earlier runs added to
 * it removed.
 */
async function keptCorpus(root: string, size: number): Promise<{ dir: string; corpus: Corpus; generated: boolean }> {
  const dir = path.join(root, `notes-${size}`);
  const marker = path.join(root, `notes-${size}.json`);
  let bytes: number | undefined;
  try {
    bytes = (JSON.parse(await readFile(marker, 'utf8')) as { bytes: number }).bytes;
  } catch {}
  if (bytes === undefined) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const corpus = await generate(dir, 0, size);
    await writeFile(marker, JSON.stringify({ bytes: corpus.bytes }));
    return { dir, corpus, generated: true };
  }
  await rm(path.join(dir, '.trash'), { recursive: true, force: true });
  for (const name of await readdir(dir)) {
    if (name.startsWith('bench note ') || name.startsWith('handmade')) await rm(path.join(dir, name));
  }
  // generate(from = to) writes nothing: it gives the corpus's vocabulary and tags.
  return { dir, corpus: { ...(await generate(dir, size, size)), bytes }, generated: false };
}

export default async function run(): Promise<void> {
  const kept = process.env.NOTES_SCALE_CORPUS;
  const root = kept ? path.resolve(kept) : await mkdtemp(path.join(os.tmpdir(), 'notes-scale-'));
  await mkdir(root, { recursive: true });
  let dir = path.join(root, 'notes');
  if (!kept) await mkdir(dir);
  const sizes: Record<string, unknown>[] = [];
  const targets: { description: string; met: boolean }[] = [];
  try {
    let corpus: Corpus = { words: [], tags: [], bytes: 0, count: 0 };
    for (const size of SIZES) {
      const free = await statfs(root);
      const freeGiB = (free.bavail * free.bsize) / 2 ** 30;
      // About 1.7 kB a note plus the index; stop short of filling the disk.
      if (freeGiB < ((size - corpus.count) * 8_000) / 2 ** 30 + 5) {
        console.log(`skipping ${size} notes: ${freeGiB.toFixed(1)} GiB free`);
        continue;
      }
      let t = performance.now();
      let generated = true;
      if (kept) {
        ({ dir, corpus, generated } = await keptCorpus(root, size));
      } else {
        const grown = await generate(dir, corpus.count, size);
        corpus = { ...grown, bytes: corpus.bytes + grown.bytes };
      }
      const generateMs = generated ? performance.now() - t : undefined;
      const cacheDir = path.join(root, `cache-${size}`);
      await rm(cacheDir, { recursive: true, force: true });
      const common = { dir, cacheDir, queries: queries(corpus.words, 400), tags: corpus.tags.slice(0, 40) };
      const stallWindowMs = size >= 500_000 ? 20_000 : 5_000;
      t = performance.now();
      const first = await life({ ...common, phase: 'first', stallWindowMs });
      const warm = await life({ ...common, phase: 'warm', stallWindowMs });
      console.log(
        `${size} notes (${(corpus.bytes / 2 ** 20).toFixed(0)} MiB, ${generateMs === undefined ? 'kept from an earlier run' : `generated in ${(generateMs / 1000).toFixed(1)} s`}): ` +
          `first start ${round(first.coldStartMs)} ms to list, ${round(first.indexedMs)} ms indexed (${round(first.indexedRssMB)} MB) · ` +
          `cold start ${round(warm.coldStartMs)} ms (${round(warm.coldStartRssMB)} MB) · list p50 ${round(warm.list?.p50Ms)} p95 ${round(warm.list?.p95Ms)} · ` +
          `search p50 ${round(warm.search?.p50Ms)} p95 ${round(warm.search?.p95Ms)} · create p50 ${round(warm.create?.p50Ms)} p95 ${round(warm.create?.p95Ms)} · ` +
          `slowest call during rescans ${round(warm.duringRescans?.maxMs)} ms · hand edit found after ${round(warm.handEditPickupMs ?? undefined)} ms · RSS ${round(warm.rssMB)} MB`,
      );
      sizes.push({ notes: size, corpusMiB: corpus.bytes / 2 ** 20, generateMs, first, warm });
      const at = `at ${size} notes`;
      targets.push(
        {
          description: `list p50 ${round(warm.list?.p50Ms)} ms <= 3 ms ${at}`,
          met: (warm.list?.p50Ms ?? Infinity) <= 3,
        },
        {
          description: `search p95 ${round(warm.search?.p95Ms)} ms <= 15 ms ${at}`,
          met: (warm.search?.p95Ms ?? Infinity) <= 15,
        },
        {
          description: `create p50 ${round(warm.create?.p50Ms)} ms <= 1.5 ms ${at}`,
          met: (warm.create?.p50Ms ?? Infinity) <= 1.5,
        },
        {
          description: `slowest call while rescans run ${round(warm.duringRescans?.maxMs)} ms <= 50 ms ${at}`,
          met: (warm.duringRescans?.maxMs ?? Infinity) <= 50,
        },
        {
          description: `a note written by hand found by search after ${round(warm.handEditPickupMs ?? undefined)} ms ${at}`,
          met: typeof warm.handEditPickupMs === 'number',
        },
      );
      const coldTarget = size >= 1_000_000 ? 3000 : size >= 50_000 ? 1000 : undefined;
      if (coldTarget !== undefined) {
        targets.push({
          description: `cold start (warm cache) to the first list ${round(warm.coldStartMs)} ms <= ${coldTarget} ms ${at}`,
          met: warm.coldStartMs <= coldTarget,
        });
      }
    }
  } finally {
    if (!kept) await rm(root, { recursive: true, force: true });
  }
  writeResult({
    name: 'notes-scale',
    description:
      'Notes pack through a real SDK client at 1k, 50k and 1M generated notes: cold start, list/search/create latency, calls during rescans, hand-edit pickup, RSS.',
    results: { cores: os.cpus().length, loadAverage: os.loadavg(), sizes },
    targets,
  });
}
