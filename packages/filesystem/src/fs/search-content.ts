/**
 * The pool of content-search workers: worker threads started on first use, lent to one search at a time
 * (`scan-stream.ts` sends them its batches and reads their answers in order), ended when a search runs out of time
 * or is cancelled, and all ended by {@link ContentSearcher.close}. One more worker of its own lists held directories
 * for walks that read ahead (`ListMany`), so the main thread only holds them.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ListMany } from './ordered-walk.js';
import type { ListedEntry } from './read-held.js';
import { type ScanRun, type ScanStats, ScanStream } from './scan-stream.js';
import { type ListAnswer, type ListRequest, WORKER_ARG } from './search-wire.js';

/** A worker of the pool. @internal */
export interface PoolWorker {
  worker: Worker;
  /** The search whose setup it has. */
  search?: number;
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

  /**
   * List held directories by descriptor on a worker of its own, a group per message ({@link ListMany}, for walks
   * that read ahead): the main thread then only holds them. Started on first use.
   */
  readonly listMany: ListMany = (fds) => {
    if (this.#closed) return fds.map(() => Promise.reject(new Error('the content searcher is closed')));
    this.#lister ??= this.#startLister();
    const id = ++this.#lists;
    const answer = new Promise<ListAnswer['listed']>((resolve, reject) => {
      this.#listing.set(id, { resolve, reject });
    });
    this.#lister.worker.postMessage({ list: id, fds } satisfies ListRequest);
    return fds.map((_, i) =>
      answer.then((listed) => {
        const one = listed[i];
        if (typeof one === 'string' || one === undefined) {
          throw Object.assign(new Error(`directory listing failed: ${one}`), { code: one });
        }
        return listedEntries(one[0], one[1]);
      }),
    );
  };

  #lister: PoolWorker | undefined;
  #lists = 0;
  readonly #listing = new Map<
    number,
    { resolve: (listed: ListAnswer['listed']) => void; reject: (error: unknown) => void }
  >();

  #startLister(): PoolWorker {
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(workerUrl(), { argv: [WORKER_ARG] });
    worker.unref();
    worker.on('message', (answer: ListAnswer) => {
      const waiting = this.#listing.get(answer.list);
      this.#listing.delete(answer.list);
      waiting?.resolve(answer.listed);
    });
    const fail = (error: unknown) => {
      for (const waiting of this.#listing.values()) waiting.reject(error);
      this.#listing.clear();
      this.#lister = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the directory lister ended')));
    return { worker };
  }

  /** End every worker. */
  async close(): Promise<void> {
    this.#closed = true;
    const lister = this.#lister;
    this.#lister = undefined;
    if (lister) await lister.worker.terminate();
    const idle = this.#idle.splice(0);
    this.#live -= idle.length;
    await Promise.all(idle.map((entry) => entry.worker.terminate()));
  }
}

const KIND_TESTS = [
  { isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false },
  { isFile: () => false, isDirectory: () => true, isSymbolicLink: () => false },
  { isFile: () => false, isDirectory: () => false, isSymbolicLink: () => true },
  { isFile: () => false, isDirectory: () => false, isSymbolicLink: () => false },
] as const;

/** Entries from a worker's listing, answering what a `Dirent` does about its kind. */
function listedEntries(names: readonly string[], kinds: Uint8Array): ListedEntry[] {
  return names.map((name, i) => ({ name, ...KIND_TESTS[kinds[i] as number] }) as ListedEntry);
}
