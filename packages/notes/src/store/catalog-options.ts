/** How a {@link Catalog} is set up. */
import type { Problem } from './catalog.js';

/** How the catalog is set up. */
export interface CatalogOptions {
  root: string;
  /** The trash folder, relative to the root. */
  trashDir: string;
  cacheFile: string | undefined;
  watch: boolean;
  rescanIntervalMs: number;
  /** How long a large first build indexes text before leaving the rest to the background. */
  textBudgetMs: number;
  /**
   * Build the full-text table of a large first build (or of a large resumed one) on a worker thread, while this
   * thread reads and catalogues the files. Without it (or when the worker cannot start), the text budget applies.
   */
  textWorker: boolean;
  /**
   * A cached folder of more files than this opens without a scan: the cache is served at once and the files are
   * checked against it in the background. Up to it (and without a cache, or one still being built), open scans first.
   */
  syncScanMax: number;
  /** Told about each newly broken file. */
  onProblem: (problem: Problem) => void;
}
