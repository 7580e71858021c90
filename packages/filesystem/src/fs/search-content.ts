/**
 * Content search over many files with a small pool of worker threads. Files are scanned in a fixed order (the
 * caller's), so results and cursors are stable; a search stops once it has enough matches, when its time is up
 * (the busy workers are ended, which also stops a runaway regular expression), or when cancelled.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { type ScanBatch, type ScanFileResult, type ScanQuery, WORKER_ARG } from './search-worker.js';

const BATCH_FILES = 48;
const BATCH_BYTES = 4 * 1024 * 1024;

/** A file to scan: its real path and an estimate of its size (0 when unknown). */
export interface ScanTarget {
  readonly abs: string;
  readonly size: number;
}

/** Options of one search. */
export interface SearchRun {
  readonly query: ScanQuery;
  readonly files: readonly ScanTarget[];
  readonly roots: readonly string[];
  readonly maxFileBytes: number;
  /** Matching lines to skip first (from a cursor), counted in file order. */
  readonly skip: number;
  /** Matching lines to return. */
  readonly maxResults: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** The outcome of a search: results per file in order, up to the file where it stopped. */
export interface SearchOutcome {
  /** Results of the files scanned, in the order given (a prefix of the files list). */
  readonly results: ScanFileResult[];
  /** True when the time ran out before every file was scanned. */
  readonly timedOut: boolean;
}

interface PoolWorker {
  worker: Worker;
  busy: boolean;
}

/**
 * The worker entry: `search-worker.ts` beside this file when running from the sources; built, the bundle's
 * worker entry `dist/fs/search-worker.js`, and this code sits in `dist/` itself (scripts/build-package.mjs).
 */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./search-worker.ts', import.meta.url)
    : new URL('./fs/search-worker.js', import.meta.url);
}

/** A pool of search workers, started on first use and ended by {@link ContentSearcher.close}. */
export class ContentSearcher {
  readonly #size: number;
  readonly #idle: PoolWorker[] = [];
  #closed = false;

  constructor(options: { workers?: number } = {}) {
    this.#size = Math.max(1, options.workers ?? Math.min(4, availableParallelism()));
  }

  /** Workers used per search. */
  get size(): number {
    return this.#size;
  }

  #take(): PoolWorker {
    const idle = this.#idle.pop();
    if (idle) return idle;
    // Loaded on first search: node:worker_threads costs a few ms at start.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(workerUrl(), { argv: [WORKER_ARG] });
    worker.unref();
    return { worker, busy: false };
  }

  #give(entry: PoolWorker): void {
    if (this.#closed || this.#idle.length >= this.#size) void entry.worker.terminate();
    else this.#idle.push(entry);
  }

  /** Scan the files in order until enough matching lines are found, the time is up, or the signal fires. */
  async search(run: SearchRun): Promise<SearchOutcome> {
    if (this.#closed) throw new Error('the content searcher is closed');
    const batches: string[][] = [];
    let current: string[] = [];
    let bytes = 0;
    for (const file of run.files) {
      current.push(file.abs);
      bytes += file.size;
      if (current.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
    }
    if (current.length > 0) batches.push(current);

    const done: (ScanFileResult[] | undefined)[] = new Array(batches.length);
    const wanted = run.skip + run.maxResults;
    let next = 0;
    let prefix = 0;
    let found = 0;
    let timedOut = false;
    const active = new Set<PoolWorker>();

    const enough = (): boolean => found >= wanted;
    const advance = () => {
      while (prefix < batches.length && done[prefix] !== undefined) {
        for (const result of done[prefix] as ScanFileResult[]) found += result.matchingLines;
        prefix++;
        if (enough()) return;
      }
    };

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const stopAll = () => {
        for (const entry of active) void entry.worker.terminate();
        active.clear();
      };
      const onAbort = () => {
        stopAll();
        finish(run.signal?.reason ?? new Error('aborted'));
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stopAll();
        finish();
      }, run.timeoutMs);
      run.signal?.addEventListener('abort', onAbort, { once: true });
      if (run.signal?.aborted) return onAbort();

      const dispatch = () => {
        if (settled) return;
        while (active.size < this.#size && next < batches.length && !enough()) {
          const index = next++;
          const entry = this.#take();
          active.add(entry);
          const batch: ScanBatch = {
            id: index,
            query: run.query,
            files: batches[index] as string[],
            roots: run.roots,
            maxFileBytes: run.maxFileBytes,
            maxPerFile: wanted,
          };
          const onMessage = (message: { id: number; results: ScanFileResult[] }) => {
            cleanup();
            active.delete(entry);
            this.#give(entry);
            done[message.id] = message.results;
            advance();
            dispatch();
          };
          const onError = (error: unknown) => {
            cleanup();
            active.delete(entry);
            void entry.worker.terminate();
            if (!settled) {
              stopAll();
              finish(error);
            }
          };
          const cleanup = () => {
            entry.worker.off('message', onMessage);
            entry.worker.off('error', onError);
          };
          entry.worker.on('message', onMessage);
          entry.worker.on('error', onError);
          entry.worker.postMessage(batch);
        }
        if (active.size === 0 && (enough() || next >= batches.length)) finish();
      };
      dispatch();
    });

    const results: ScanFileResult[] = [];
    for (let i = 0; i < prefix; i++) results.push(...(done[i] as ScanFileResult[]));
    return { results, timedOut };
  }

  /** End every worker. */
  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map((entry) => entry.worker.terminate()));
  }
}
