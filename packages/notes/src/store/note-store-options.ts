/** How the folder store ({@link NoteStore}) is set up. */
import type { Problem } from './catalog.js';
import type { NoteStore } from './note-store.js';
import type { VersionPolicy } from './notes-store.js';

/** How a {@link NoteStore} is set up. */
export interface NoteStoreOptions {
  /** The notes folder (created if missing). */
  dir: string;
  /** The trash folder, relative to `dir`. Default `.trash`. */
  trashDir?: string;
  /** Largest body accepted, in bytes of UTF-8. Default 1 MiB. */
  maxBodyBytes?: number;
  /** When `expectedVersion` is required. Default `required-for-replace`. */
  versionPolicy?: VersionPolicy;
  /** Folder for the search index cache file (one per notes folder); undefined keeps the index in memory. */
  cacheDir?: string;
  /** Watch the folder for changes made outside the store. Default true. */
  watch?: boolean;
  /** Full rescan interval (a safety net with a watcher; the freshness bound without one). Default 30 s. */
  rescanIntervalMs?: number;
  /**
   * When the first open of a large folder (over 1,000 new files) indexes text on this thread (no worker, see
   * {@link indexWorker}): how long it does so before leaving the rest to the background, in ms. Default 1500. Either
   * way such a folder is served once every file is read, searches say how many notes are still pending, and
   * {@link NoteStore.indexed} resolves when none are.
   */
  firstBuildTextBudgetMs?: number;
  /**
   * Build the full-text index of a large first open (over 1,000 new files) on a worker thread, beside the thread
   * that reads the files. Default true. False (or a worker that cannot start) indexes on this thread, within
   * {@link firstBuildTextBudgetMs} and then in the background.
   */
  indexWorker?: boolean;
  /**
   * A folder of more files than this, whose index cache is whole, opens without scanning: the cache is served at
   * once, and the files are checked against it in the background (new, changed and removed files are picked up
   * within the scan, written notes are always read afresh from disk). Default 5,000; 0 trusts any intact cache.
   */
  syncScanMax?: number;
  /** Give up waiting for the folder's write lock after this long. Default 10 s. */
  lockTimeoutMs?: number;
  /** A lock whose holder cannot be checked (another host) is stale after this long. Default 30 s. */
  lockStaleMs?: number;
  /** Told about every file skipped as broken. */
  onProblem?: (problem: Problem) => void;
}
