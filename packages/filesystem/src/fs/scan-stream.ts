/**
 * One content search in progress: files come in, in walk order, and go to the pool's workers (`search-content.ts`)
 * in batches as they come (a partial batch as soon as a worker would otherwise wait); results come back in that same
 * order, one file at a time, so a page is cut at a fixed place whatever the timing. Nothing is kept but the batches
 * on the way and their unread results; the producer is asked to wait whenever the workers are behind.
 *
 * A search ends with its time (the busy workers are ended, which also stops a runaway regular expression), when
 * cancelled, or when the caller stops it.
 */
import type { DirLease } from './held-dir.js';
import type { ContentSearcher, PoolWorker } from './search-content.js';
import type { ScanFileResult, ScanQuery } from './search-query.js';
import type { ScanSetup, WireAnswer, WireBatch } from './search-wire.js';

/** Files per batch sent to a worker. */
const BATCH_FILES = 64;
/** Fewest files sent in a batch before the producer has added enough for a full one (or has ended). */
const EARLY_BATCH_FILES = 16;
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

let searches = 0;

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
  readonly #id = ++searches;
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
      // Too few files for their copy to a worker to pay: wait for more, unless no more will come.
      if (this.#current.length < EARLY_BATCH_FILES && !this.#ended) return;
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
    const dirs: number[] = [];
    const paths: string[] = [];
    for (const target of batch.targets) {
      const dir = target.lease?.fd;
      const inDir = dir !== undefined && target.name !== undefined;
      dirs.push(inDir ? dir : -1);
      paths.push(inDir ? (target.name as string) : target.abs);
    }
    const run = this.#run;
    const setup: ScanSetup | undefined =
      entry.search === this.#id
        ? undefined
        : {
            search: this.#id,
            query: run.query,
            roots: run.roots,
            maxFileBytes: run.maxFileBytes,
            maxPerFile: run.maxPerFile,
          };
    entry.search = this.#id;
    const message: WireBatch = { id: batch.id, search: this.#id, ...(setup ? { setup } : {}), dirs, paths };
    const cleanup = () => {
      entry.worker.off('message', onMessage);
      entry.worker.off('error', onError);
    };
    const onMessage = (answer: WireAnswer) => {
      cleanup();
      this.#active.delete(entry);
      release(batch);
      this.#pool.give(entry);
      this.#busyMs += answer.busyMs;
      this.#files += batch.targets.length;
      if (this.#batches.has(batch.id)) {
        const results: ScanFileResult[] = new Array(batch.targets.length).fill(NOTHING);
        for (const [index, result] of answer.found) results[index] = result;
        batch.results = results;
      }
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

/** The result of a file that had no matching line (the worker does not send those). */
const NOTHING: ScanFileResult = Object.freeze({
  matches: Object.freeze([]) as unknown as ScanFileResult['matches'],
  matchingLines: 0,
});

function release(batch: Batch<unknown>): void {
  for (const target of batch.targets) target.lease?.release();
}
