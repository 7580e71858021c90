/**
 * The messages between the main thread and a search worker (`search-content.ts` / `scan-stream.ts` on one side,
 * `search-worker.ts` on the other), kept small because they are copied.
 */
import type { ScanBatch } from './scan-file.js';
import type { ScanFileResult } from './search-query.js';

/** Marks a search worker in its `argv` (the pool starts each with it). */
export const WORKER_ARG = '--mcp-packs-filesystem-search';

/** What a search sends a worker once (with its first batch there): the query and the limits. */
export interface ScanSetup extends Pick<ScanBatch, 'query' | 'roots' | 'maxFileBytes' | 'maxPerFile'> {
  /** The search it belongs to. */
  readonly search: number;
}

/**
 * A batch as it crosses to a worker, kept small (it is copied): for each file, its name in the held directory
 * `dirs[i]`, or its real path when `dirs[i]` is -1.
 */
export interface WireBatch {
  readonly id: number;
  readonly search: number;
  readonly setup?: ScanSetup;
  readonly dirs: readonly number[];
  readonly paths: readonly string[];
}

/** A worker's answer: only the files that matched or were skipped (the rest found nothing), by index. */
export interface WireAnswer {
  readonly id: number;
  readonly found: readonly (readonly [index: number, result: ScanFileResult])[];
  readonly busyMs: number;
}

/** A request to list held directories by their descriptors (a walk reading ahead). */
export interface ListRequest {
  readonly list: number;
  readonly fds: readonly number[];
}

/** Per directory: its names and their kinds (0 file, 1 directory, 2 link, 3 other), or the error's code. */
export interface ListAnswer {
  readonly list: number;
  readonly listed: readonly (readonly [names: string[], kinds: Uint8Array] | string)[];
}
