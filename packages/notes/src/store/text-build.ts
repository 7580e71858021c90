/**
 * A full-text build on a second thread: the main thread hands it each note's text as it reads the files, the worker
 * ({@link ./text-index-worker.ts}) tokenizes it into a throwaway SQLite file, and {@link TextBuild.finish} says when
 * that file is complete, for {@link SearchIndex.adoptText} to take in.
 */
import { rmSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { workerUrl } from '../worker-url.js';
import type { TextIndexReply, TextIndexWorkerData, TextRow } from './text-index-worker.js';

/**
 * Rows per message to the worker, and text per message: enough to make messaging cheap, and few enough that the
 * texts die young on this thread (batches of 1 MB outlived the young generation: 45 MB more heap for a first build).
 */
const BATCH_ROWS = 64;
const BATCH_CHARS = 128 * 1024;

/**
 * Batches sent but not yet indexed, at most: a thread that reads files faster than the worker indexes them waits
 * rather than queueing the whole folder's text in memory (at most 8 MB in flight instead of up to all of it).
 */
const MAX_IN_FLIGHT = 64;

/**
 * A worker that has indexed nothing for this long while batches wait is given up on (its notes stay pending and
 * are indexed on this thread). A worker that fails says so at once through the shared counter; this bounds the wait
 * for one that cannot (its module failed to load, it was killed).
 */
const STALL_MS = 5000;

/**
 * FTS5 buffers this much term data in memory before writing a segment. 64 MiB holds the index of about 80 MB of
 * notes, which then needs no merging at all; larger folders are merged once at the end, on the worker.
 */
const HASH_BYTES = 64 * 1024 * 1024;

/** One running build. Create with {@link TextBuild.start}; {@link abort} it if it is not going to be used. */
export class TextBuild {
  /** The build file. */
  readonly file: string;
  readonly #worker: Worker;
  readonly #result: Promise<boolean>;
  readonly #vocabulary: Promise<[terms: string[], docs: Int32Array] | undefined>;
  /**
   * Shared with the worker, read while this thread waits: slot 0 counts the batches it has indexed, slot 1 is set
   * when it has failed.
   */
  readonly #progress = new Int32Array(new SharedArrayBuffer(8));
  #posted = 0;
  #batch: TextRow[] = [];
  #chars = 0;
  /** Rows sent to the worker. */
  #rows = 0;
  #ended = false;
  #failed = false;

  private constructor(file: string, ddl: string) {
    this.file = file;
    const workerData: TextIndexWorkerData = {
      kind: 'mcp-packs-notes-text-index',
      file,
      ddl,
      hashBytes: HASH_BYTES,
      progress: this.#progress,
    };
    // Loaded here, on a first build, rather than at start (node:worker_threads costs a few ms to load).
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    // No flags of this process: the worker needs none, and some (`--input-type`, loader hooks) would break it.
    this.#worker = new Worker(workerUrl('store/text-index-worker'), { workerData, execArgv: [] });
    let vocabulary: (value: [string[], Int32Array] | undefined) => void = () => {};
    this.#vocabulary = new Promise((resolve) => {
      vocabulary = resolve;
    });
    this.#result = new Promise<boolean>((resolve) => {
      this.#worker.on('message', (reply: TextIndexReply) => {
        if ('terms' in reply) vocabulary([reply.terms === '' ? [] : reply.terms.split('\n'), reply.docs]);
        else resolve('done' in reply && reply.rows === this.#rows);
      });
      this.#worker.on('error', () => resolve(false));
      this.#worker.on('exit', () => {
        resolve(false);
        vocabulary(undefined);
      });
    }).then((ok) => {
      this.#failed ||= !ok;
      if (!ok) this.abort();
      return ok;
    });
  }

  /** Start a worker building into `file` the full-text table created by `ddl`; undefined if it cannot start. */
  static start(file: string, ddl: string): TextBuild | undefined {
    try {
      return new TextBuild(file, ddl);
    } catch {
      return undefined;
    }
  }

  /** False once the build has failed or been aborted: nothing more is worth adding. */
  get usable(): boolean {
    return !this.#failed;
  }

  /** Add a note's text. */
  add(rowid: number, title: string, body: string, tags: string): void {
    if (this.#ended || this.#failed) return;
    this.#rows++;
    this.#batch.push([rowid, title, body, tags]);
    this.#chars += title.length + body.length + tags.length;
    if (this.#batch.length >= BATCH_ROWS || this.#chars >= BATCH_CHARS) this.#flush();
  }

  #flush(): void {
    if (this.#batch.length === 0) return;
    // Synchronous on purpose: the first scan is synchronous, and has nothing better to do than wait.
    let done = Atomics.load(this.#progress, 0);
    while (this.#posted - done >= MAX_IN_FLIGHT) {
      if (Atomics.load(this.#progress, 1) !== 0 || Atomics.wait(this.#progress, 0, done, STALL_MS) === 'timed-out') {
        this.abort();
        return;
      }
      done = Atomics.load(this.#progress, 0);
    }
    this.#posted++;
    this.#worker.postMessage({ rows: this.#batch });
    this.#batch = [];
    this.#chars = 0;
  }

  /** No more rows: resolves true once the build file holds every row added, false if the build failed. */
  finish(): Promise<boolean> {
    if (!this.#ended && !this.#failed) {
      this.#ended = true;
      this.#flush();
      this.#worker.postMessage({ end: true });
    }
    return this.#result;
  }

  /**
   * The built table's terms and how many notes hold each, sent once the table is done; undefined if the build
   * failed. The build file is closed by the worker by the time this resolves.
   */
  vocabulary(): Promise<[terms: string[], docs: Int32Array] | undefined> {
    return this.#vocabulary;
  }

  /** Stop the worker and delete the build file. */
  abort(): void {
    this.#failed = true;
    this.#ended = true;
    this.#batch = [];
    void this.#worker.terminate().finally(() => this.discard());
  }

  /** Delete the build file (once taken in, or given up). */
  discard(): void {
    for (const suffix of ['', '-journal', '-wal', '-shm']) {
      try {
        rmSync(this.file + suffix, { force: true });
      } catch {
        // Still open somewhere (Windows): the next build replaces it, and the next open of the cache removes it.
      }
    }
  }
}
