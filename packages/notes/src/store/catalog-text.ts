/**
 * The catalog's full-text indexing: a large first build's text on a worker thread (taken in whole when done), notes
 * left pending indexed here in slices between calls, then the segments merged and the vocabulary read.
 */
import { readFileSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { bodyOf } from './front-matter.js';
import { type Entry, FTS_DDL, type SearchIndex } from './search-index.js';
import { TextBuild } from './text-build.js';
import { type CallGate, createSlicer } from './time-slice.js';

/** More new files than this at once is a bulk load (its text may go to a worker). */
export const BULK_THRESHOLD = 1000;
const TEXT_CHUNK = 500;

/** A note's tags as the full-text table takes them. */
export function tagText(note: { tags: readonly string[] }): string {
  return note.tags.join(' ');
}

/** What the indexer needs of its catalog. */
export interface TextIndexerHost {
  readonly index: SearchIndex;
  /** Build a large first build's text on a worker thread. */
  readonly textWorker: boolean;
  absolute(relative: string): string;
  isClosed(): boolean;
  /** The calls being served: indexing gives way to them. */
  readonly gate: CallGate;
}

/** The full-text indexing of one catalog. */
export class TextIndexer {
  readonly #host: TextIndexerHost;
  #indexing: Promise<void> | undefined;
  /**
   * The full-text build running on the worker. While there is one, every note is stored pending (its text goes to
   * the worker, or is indexed here after the worker's table is taken in), so nothing is added to the table here.
   */
  #textBuild: TextBuild | undefined;

  constructor(host: TextIndexerHost) {
    this.#host = host;
  }

  private get index(): SearchIndex {
    return this.#host.index;
  }

  /** True while a build runs on the worker (notes are then stored pending). */
  get building(): boolean {
    return this.#textBuild !== undefined;
  }

  /** A turn of the event loop, and then as long as calls are being served. */
  async #pause(): Promise<void> {
    await yieldToLoop();
    for (let waiting = this.#host.gate.wait(); waiting; waiting = this.#host.gate.wait()) {
      await waiting;
      await yieldToLoop();
    }
  }

  /** Send a pending note's text to the worker's build, if one runs. */
  add(rowid: number, note: { title: string; tags: readonly string[] }, body: string): void {
    this.#textBuild?.add(rowid, note.title, body, tagText(note));
  }

  /** Resolves when every note is in the full-text index. */
  async indexed(): Promise<void> {
    while (this.#indexing) await this.#indexing;
  }

  /** Stop a build on the worker. */
  abort(): void {
    this.#textBuild?.abort();
    this.#textBuild = undefined;
  }

  /** Start a text build on the worker, if wanted and it can start; every note is then stored pending. */
  startBuild(): boolean {
    if (!this.#host.textWorker || !this.index.textIsEmpty()) return false;
    this.#textBuild = TextBuild.start(this.index.textBuildFile, FTS_DDL);
    return this.#textBuild !== undefined;
  }

  /**
   * Wait for the worker's text build and take its table in. False when there was none or it failed: the notes it
   * was to index are still pending, for the loop in {@link start}.
   */
  async #adoptTextBuild(): Promise<boolean> {
    const build = this.#textBuild;
    if (!build) return false;
    const ok = await build.finish();
    if (this.#host.isClosed() || this.#textBuild !== build) return false;
    let adopted = false;
    if (ok) {
      try {
        this.index.adoptText(build.file);
        adopted = true;
      } catch {
        // Nothing was taken in (one transaction): the notes stay pending and are indexed here instead.
      }
    }
    // Notes stored until the vocabulary is in stay pending (indexed after it, so it counts their terms too).
    const vocabulary = adopted ? await build.vocabulary() : undefined;
    if (this.#host.isClosed()) return false;
    if (vocabulary) this.index.adoptVocabulary(...vocabulary);
    this.#textBuild = undefined;
    if (!adopted) build.abort();
    else build.discard();
    return adopted;
  }

  /**
   * Resume an interrupted first build (many notes pending, no text indexed yet) on the worker: the pending notes'
   * files are read here in slices, between calls, and their text goes to the worker.
   */
  async #resumeOnWorker(): Promise<void> {
    if (this.index.pendingCount() <= BULK_THRESHOLD || !this.startBuild()) return;
    const build = this.#textBuild as TextBuild;
    for (let after = 0; build.usable; ) {
      await this.#pause();
      if (this.#host.isClosed()) return;
      const batch = this.index.pendingEntries(TEXT_CHUNK, after);
      if (batch.length === 0) break;
      after = (batch.at(-1) as Entry).rowid;
      for (const entry of batch) {
        let body: string | undefined;
        try {
          body = bodyOf(readFileSync(this.#host.absolute(entry.path), 'utf8'));
        } catch {
          // Unreadable now: left pending, and indexed (or dropped) here after the build.
          continue;
        }
        if (entry.note) build.add(entry.rowid, entry.note.title, body, tagText(entry.note));
      }
    }
  }

  /**
   * Index every pending note in the background: take in the worker's table (or resume an interrupted first build on
   * it), index what is still pending here in slices, merge the segments of a bulk load, read the vocabulary.
   */
  start(bulkLoaded: boolean): void {
    if (this.#indexing || this.#host.isClosed()) return;
    this.#indexing = (async () => {
      let merge = bulkLoaded || this.index.inBulkText();
      if (!this.#textBuild) await this.#resumeOnWorker();
      if (this.#textBuild) {
        merge = true;
        await this.#adoptTextBuild();
      }
      for (;;) {
        await this.#pause();
        if (this.#host.isClosed()) return;
        const batch = this.index.pendingEntries(TEXT_CHUNK);
        if (batch.length === 0) break;
        merge = true;
        this.index.transaction(() => {
          for (const entry of batch) {
            let body: string | undefined;
            try {
              body = bodyOf(readFileSync(this.#host.absolute(entry.path), 'utf8'));
            } catch {}
            // A file gone or changed since is re-read by the next refresh; this entry is then replaced.
            this.index.indexPending(entry, body);
          }
        });
      }
      // A bulk load leaves the full-text index in many segments; merge them into one, a slice at a time, so
      // queries read one b-tree. Then build the fuzzy vocabulary now rather than on the first search.
      while (merge && !this.#host.isClosed() && this.index.mergeStep()) await this.#pause();
      if (merge && !this.#host.isClosed()) this.index.endBulkText();
      if (!this.#host.isClosed()) await this.index.warmUp(createSlicer(undefined, this.#host.gate));
    })().finally(() => {
      this.#indexing = undefined;
    });
  }
}
