/**
 * The text-index worker: builds the full-text (FTS5) table of a large first build on a second thread, in a
 * throwaway SQLite file that the main thread then takes into the index ({@link SearchIndex.adoptText}). The main
 * thread reads and catalogues the files meanwhile and streams each note's text here; tokenizing is the larger half
 * of a first build, so the two halves run side by side.
 *
 * The build file is written without a journal and without fsync, in one transaction, with FTS5's in-memory term
 * buffer raised so the whole table is usually flushed as one segment (nothing left to merge). A crash mid-build
 * only leaves a file to delete: the notes are never touched, and the index's entries stay `pending`, to be indexed
 * again on the next start.
 *
 * This file imports nothing but Node built-ins (the table definition comes in `workerData`), so it loads as a
 * worker both from the bundled package and from the TypeScript sources (Node strips the types).
 */
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** What the worker is started with. */
export interface TextIndexWorkerData {
  readonly kind: typeof TEXT_INDEX_WORKER;
  /** The build file (replaced if it exists). */
  readonly file: string;
  /** SQL creating the full-text table, exactly as the index defines it. */
  readonly ddl: string;
  /** FTS5 `hashsize` during the build: bytes of terms buffered in memory before a segment is written. */
  readonly hashBytes: number;
  /** Slot 0 counts the batches of rows indexed; slot 1 is set on failure (the main thread waits on both). */
  readonly progress: Int32Array;
}

/** One note's text: rowid, title, body, tags (space-separated). */
export type TextRow = readonly [rowid: number, title: string, body: string, tags: string];

/** A message to the worker: rows to add, or the end of the input. */
export type TextIndexRequest = { readonly rows: readonly TextRow[] } | { readonly end: true };

/**
 * The worker's answers: the build file is complete (`done`; it may be read from now on, and the worker only reads
 * it too), then the table's vocabulary (every term and how many notes hold it, for prefix and fuzzy matching; the
 * worker has closed the file by then), or the build failed.
 */
export type TextIndexReply =
  | { readonly done: true; readonly rows: number }
  | { readonly terms: string; readonly docs: Int32Array }
  | { readonly error: string };

/** Marks the worker's `workerData`, so this module does nothing when imported any other way. */
export const TEXT_INDEX_WORKER = 'mcp-packs-notes-text-index';

/** FTS5's default `hashsize` (1 MiB), written back before the file is handed over. */
const DEFAULT_HASH_BYTES = 1024 * 1024;

function build(data: TextIndexWorkerData, port: NonNullable<typeof parentPort>): void {
  let db: DatabaseSync | undefined;
  let rows = 0;
  try {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(data.file + suffix, { force: true });
    const connection = new DatabaseSync(data.file);
    db = connection;
    // Normal locking, not exclusive: once the table is built, the main thread reads the file while this one does.
    connection.exec('PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF');
    connection.exec(data.ddl);
    connection.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, fts, 'row')");
    connection.exec(`INSERT INTO fts(fts, rank) VALUES ('hashsize', ${Math.trunc(data.hashBytes)})`);
    const insert = connection.prepare('INSERT INTO fts(rowid, title, body, tags) VALUES (?, ?, ?, ?)');
    connection.exec('BEGIN');
    port.on('message', (message: TextIndexRequest) => {
      try {
        if ('rows' in message) {
          for (const [rowid, title, body, tags] of message.rows) insert.run(rowid, title, body, tags);
          rows += message.rows.length;
          Atomics.add(data.progress, 0, 1);
          Atomics.notify(data.progress, 0);
          return;
        }
        connection.exec('COMMIT');
        // A no-op when the buffer held everything (one segment); otherwise merges the segments into one.
        connection.exec("INSERT INTO fts(fts) VALUES ('optimize')");
        connection.exec(`INSERT INTO fts(fts, rank) VALUES ('hashsize', ${DEFAULT_HASH_BYTES})`);
        port.postMessage({ done: true, rows } satisfies TextIndexReply);
        // Reading the vocabulary scans the whole index: done here, while the main thread takes the table in.
        const terms: string[] = [];
        const docs: number[] = [];
        for (const row of connection.prepare('SELECT term, doc FROM temp.vocab').iterate()) {
          terms.push((row as { term: string }).term);
          docs.push((row as { doc: number }).doc);
        }
        connection.close();
        const counts = Int32Array.from(docs);
        // Terms are runs of letters and digits, so a newline joins them unambiguously.
        port.postMessage({ terms: terms.join('\n'), docs: counts } satisfies TextIndexReply, [counts.buffer]);
        port.close();
      } catch (error) {
        fail(error);
      }
    });
  } catch (error) {
    fail(error);
  }

  function fail(error: unknown): void {
    Atomics.store(data.progress, 1, 1);
    Atomics.notify(data.progress, 0);
    if (db?.isOpen) db.close();
    port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies TextIndexReply);
    port.close();
  }
}

if (!isMainThread && parentPort && (workerData as TextIndexWorkerData | undefined)?.kind === TEXT_INDEX_WORKER) {
  build(workerData as TextIndexWorkerData, parentPort);
}
