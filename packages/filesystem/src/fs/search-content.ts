/**
 * Content search over a stream of files with a small pool of worker threads. The caller adds files in the order it
 * walks them; they go to the workers in batches as they come (a partial batch as soon as a worker would otherwise
 * wait), and results come back in that same order, one file at a time, so a page is cut at a fixed place whatever
 * the timing. Nothing is kept but the batches on the way and their unread results: the caller stops the stream once
 * its page is full, and the walk feeding it waits whenever the workers are behind.
 *
 * A search ends with its time (the busy workers are ended, which also stops a runaway regular expression), when
 * cancelled, or when the caller stops it.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { DirLease } from './held-dir.js';
import { type ScanBatch, type ScanFile, type ScanFileResult, type ScanQuery, WORKER_ARG } from './search-worker.js';

/** Files per batch sent to a worker. */
const BATCH_FILES = 48;
/** Batches sent or ready per worker before the producer is asked to wait. */
const QUEUED_PER_WORKER = 3;

/** A file to scan, as the producer adds it: its real path, and the held directory it is in when there is one. */
export interface ScanTarget<T = unknown> {
  readonly abs: string;
  /** The name in the held directory of `lease` (then the file is opened through it). */
  readonly name?: string;
  /** A lease on the held directory the file is in; the stream releases it once the file was scanned or dropped. */
  readonly lease?: DirLease;
  /** Anything the caller wants back with the result (its display path, its position). */
  readonly tag: T;
}

/** Options of one search. */
export interface ScanRun {
  readonly query: ScanQuery;
  readonly roots: readonly string[];
  readonly maxFileBytes: number;
  /** Most matching lines kept per file. */
  readonly maxPerFile: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** How busy the workers were during a search: `busyMs` of the `workers × wallMs` they could have worked. */
export interface ScanStats {
  readonly workers: number;
  readonly wallMs: number;
  readonly busyMs: number;
  readonly batches: number;
  readonly files: number;
}

interface PoolWorker {
  worker: Worker;
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
  #busyMs = 0;
  #wallMs = 0;
  /** Workers started and not yet ended. */
  #live = 0;
  readonly #onFree = new Set<() => void>();

  constructor(options: { workers?: number } = {}) {
    this.#size = Math.max(1, options.workers ?? Math.min(4, availableParallelism()));
  }

  /** Workers used per search. */
  get size(): number {
    return this.#size;
  }

  /** Worker time over all searches so far: busy, and offered (`workers × wall time` of each search). */
  get utilisation(): { busyMs: number; offeredMs: number } {
    return { busyMs: this.#busyMs, offeredMs: this.#wallMs * this.#size };
  }

  /**
   * An idle worker, or a new one while fewer than {@link size} live; `undefined` when all are busy (those of a
   * previous page finishing what they had), then `onFree` is called once one is free.
   * @internal
   */
  take(onFree: () => void): PoolWorker | undefined {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#live >= this.#size) {
      this.#onFree.add(onFree);
      return undefined;
    }
    // Loaded on first search: node:worker_threads costs a few ms at start.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(workerUrl(), { argv: [WORKER_ARG] });
    worker.unref();
    this.#live++;
    return { worker };
  }

  /** A worker is done with a batch. @internal */
  give(entry: PoolWorker): void {
    if (this.#closed) {
      this.#live--;
      void entry.worker.terminate();
    } else this.#idle.push(entry);
    this.#notify();
  }

  /** End a busy worker; `then` runs once it has exited. @internal */
  end(entry: PoolWorker, then: () => void): void {
    void entry.worker.terminate().finally(() => {
      this.#live--;
      then();
      this.#notify();
    });
  }

  #notify(): void {
    const waiting = [...this.#onFree];
    this.#onFree.clear();
    for (const onFree of waiting) onFree();
  }

  /** @internal */
  record(stats: ScanStats): void {
    this.#busyMs += stats.busyMs;
    this.#wallMs += stats.wallMs;
  }

  /** Start a search: add files to it in order, read results in the same order. */
  open<T>(run: ScanRun): ScanStream<T> {
    if (this.#closed) throw new Error('the content searcher is closed');
    return new ScanStream<T>(this, run);
  }

  /** End every worker. */
  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    this.#live -= idle.length;
    await Promise.all(idle.map((entry) => entry.worker.terminate()));
  }
}

interface Batch<T> {
  readonly id: number;
  readonly targets: ScanTarget<T>[];
  results?: ScanFileResult[];
}

/** One file's result, in order. */
export interface ScanResult<T> {
  readonly target: ScanTarget<T>;
  readonly result: ScanFileResult;
}

/** One search in progress (see the module comment). Made by {@link ContentSearcher.open}. */
export class ScanStream<T> {
  readonly #pool: ContentSearcher;
  readonly #run: ScanRun;
  readonly #started = performance.now();
  /** Batches not yet answered, by id, in order: sent, or waiting for a worker. */
  readonly #batches = new Map<number, Batch<T>>();
  #waiting: Batch<T>[] = [];
  #current: ScanTarget<T>[] = [];
  #nextId = 0;
  /** The batch whose results are read next, and the index of the next result in it. */
  #readId = 0;
  #readIndex = 0;
  readonly #active = new Map<PoolWorker, Batch<T>>();
  #ended = false;
  #stopped = false;
  #timedOut = false;
  #error: unknown;
  #flushScheduled = false;
  #recorded = false;
  #busyMs = 0;
  #files = 0;
  /** Wakes the reader (a result came, the stream ended or failed) and a waiting producer. */
  #wakeReader: (() => void) | undefined;
  #wakeProducer: (() => void) | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #onAbort: () => void;
  readonly #onFree = () => this.#dispatch();

  constructor(pool: ContentSearcher, run: ScanRun) {
    this.#pool = pool;
    this.#run = run;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#halt();
    }, run.timeoutMs);
    this.#onAbort = () => {
      this.#error = run.signal?.reason ?? new Error('aborted');
      this.#halt();
    };
    run.signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (run.signal?.aborted) this.#onAbort();
  }

  /** True when the time ran out before every file added was scanned. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** True once the search will take no more files (stopped, timed out, cancelled or failed). */
  get closed(): boolean {
    return this.#stopped;
  }

  /**
   * Add a file to scan. Returns a promise when the workers are behind: the producer should wait for it before adding
   * more. A file added to a closed stream is dropped (its lease released).
   */
  add(target: ScanTarget<T>): Promise<void> | undefined {
    if (this.#stopped || this.#ended) {
      target.lease?.release();
      return undefined;
    }
    this.#current.push(target);
    if (this.#current.length >= BATCH_FILES) this.#seal();
    this.#dispatch();
    if (this.#active.size < this.#pool.size) this.#scheduleFlush();
    if (this.#waiting.length < this.#pool.size * (QUEUED_PER_WORKER - 1)) return undefined;
    return new Promise<void>((resolve) => {
      this.#wakeProducer = resolve;
    });
  }

  /** No more files will be added. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#seal();
    this.#dispatch();
    this.#wake();
  }

  /**
   * Take no more files: what waits for a worker is dropped; what is being scanned finishes, and its results can
   * still be read (a page that is full looks there for whether more follows).
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#dropUnsent();
    this.#finish();
  }

  /** The next file's result in order; `undefined` when there is none (all read, or stopped before it came). */
  async next(): Promise<ScanResult<T> | undefined> {
    for (;;) {
      if (this.#error !== undefined) throw this.#error;
      const batch = this.#batches.get(this.#readId);
      if (batch?.results) {
        const index = this.#readIndex++;
        const target = batch.targets[index];
        if (target !== undefined) return { target, result: batch.results[index] as ScanFileResult };
        this.#batches.delete(this.#readId);
        this.#readId++;
        this.#readIndex = 0;
        continue;
      }
      // Nothing more will come when the next batch is gone (dropped by a stop, or never made: every file added was
      // read, and no more will be added).
      if (batch === undefined && (this.#stopped || (this.#ended && this.#current.length === 0))) return undefined;
      await new Promise<void>((resolve) => {
        this.#wakeReader = resolve;
      });
    }
  }

  /** How busy the workers were (final once the stream is stopped and its workers are done). */
  stats(): ScanStats {
    return {
      workers: this.#pool.size,
      wallMs: performance.now() - this.#started,
      busyMs: this.#busyMs,
      batches: this.#nextId,
      files: this.#files,
    };
  }

  #wake(): void {
    const reader = this.#wakeReader;
    this.#wakeReader = undefined;
    reader?.();
  }

  #seal(): void {
    if (this.#current.length === 0) return;
    const batch: Batch<T> = { id: this.#nextId++, targets: this.#current };
    this.#current = [];
    this.#batches.set(batch.id, batch);
    this.#waiting.push(batch);
  }

  /** When a worker is free, send what has gathered as soon as the producer pauses (rather than a full batch later). */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (this.#stopped || this.#active.size >= this.#pool.size || this.#waiting.length > 0) return;
      this.#seal();
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (!this.#stopped && this.#active.size < this.#pool.size && this.#waiting.length > 0) {
      const entry = this.#pool.take(this.#onFree);
      if (!entry) break;
      this.#send(this.#waiting.shift() as Batch<T>, entry);
    }
    if (this.#waiting.length < this.#pool.size * (QUEUED_PER_WORKER - 1)) {
      const producer = this.#wakeProducer;
      this.#wakeProducer = undefined;
      producer?.();
    }
  }

  #send(batch: Batch<T>, entry: PoolWorker): void {
    this.#active.set(entry, batch);
    const files: ScanFile[] = batch.targets.map((target) =>
      target.lease?.fd !== undefined && target.name !== undefined
        ? { abs: target.abs, dir: target.lease.fd, name: target.name }
        : { abs: target.abs },
    );
    const message: ScanBatch = {
      id: batch.id,
      query: this.#run.query,
      files,
      roots: this.#run.roots,
      maxFileBytes: this.#run.maxFileBytes,
      maxPerFile: this.#run.maxPerFile,
    };
    const cleanup = () => {
      entry.worker.off('message', onMessage);
      entry.worker.off('error', onError);
    };
    const onMessage = (answer: { id: number; results: ScanFileResult[]; busyMs: number }) => {
      cleanup();
      this.#active.delete(entry);
      release(batch);
      this.#pool.give(entry);
      this.#busyMs += answer.busyMs;
      this.#files += batch.targets.length;
      if (this.#batches.has(batch.id)) batch.results = answer.results;
      if (this.#stopped) this.#finish();
      else {
        this.#dispatch();
        if (this.#waiting.length === 0 && this.#current.length > 0) this.#scheduleFlush();
      }
      this.#wake();
    };
    const onError = (error: unknown) => {
      cleanup();
      this.#active.delete(entry);
      // The worker is gone; its descriptors were the process's, still open until released here.
      this.#pool.end(entry, () => release(batch));
      this.#error ??= error;
      this.#halt();
    };
    entry.worker.on('message', onMessage);
    entry.worker.on('error', onError);
    entry.worker.postMessage(message);
  }

  /** End the search now: the busy workers are ended (a lease is released once its worker has exited). */
  #halt(): void {
    this.#stopped = true;
    this.#dropUnsent();
    for (const [entry, batch] of this.#active) {
      entry.worker.removeAllListeners('message');
      entry.worker.removeAllListeners('error');
      this.#pool.end(entry, () => release(batch));
      // Its results will never come: the reader stops before it.
      this.#batches.delete(batch.id);
    }
    this.#active.clear();
    this.#finish();
    this.#wake();
    const producer = this.#wakeProducer;
    this.#wakeProducer = undefined;
    producer?.();
  }

  #dropUnsent(): void {
    for (const batch of this.#waiting) {
      release(batch);
      this.#batches.delete(batch.id);
    }
    this.#waiting = [];
    for (const target of this.#current) target.lease?.release();
    this.#current = [];
    const producer = this.#wakeProducer;
    this.#wakeProducer = undefined;
    producer?.();
  }

  /** Once stopped and no worker is busy: stop the clock and count the search. */
  #finish(): void {
    if (!this.#stopped || this.#active.size > 0 || this.#recorded) return;
    this.#recorded = true;
    clearTimeout(this.#timer);
    this.#run.signal?.removeEventListener('abort', this.#onAbort);
    this.#pool.record(this.stats());
  }
}

function release(batch: Batch<unknown>): void {
  for (const target of batch.targets) target.lease?.release();
}
