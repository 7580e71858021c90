/** A file opened for the text readers: read whole when small, else through a handle, behind one interface. */
import type { Stats } from 'node:fs';
import { loadFile } from './access.js';
import type { PathGuard, ResolvedPath } from './guard.js';
import { memorySource, preload, type ReadSource } from './read-text.js';

/** What the text readers need of an opened file. `close` releases the handle, if there is one; call it once. */
export interface TextSource {
  readonly resolved: ResolvedPath;
  readonly stats: Stats;
  /** The bytes the reads see: for a file read whole, the bytes read (the file may have changed since `stats`). */
  readonly size: number;
  readonly source: ReadSource;
  close(): void;
}

/**
 * Open `input` for reading text ({@link loadFile}): a small file's bytes are in memory already, a file up to the
 * preload size is read once, a bigger one is read through its handle on demand.
 */
export async function openTextSource(guard: PathGuard, input: string): Promise<TextSource> {
  const file = await loadFile(guard, input);
  if ('data' in file) {
    return { ...file, size: file.data.length, source: memorySource(file.data), close: () => {} };
  }
  const { handle } = file;
  // Not awaited: a read-only handle has nothing to flush, and the answer need not wait for it.
  const close = () => void handle.close().catch(() => {});
  try {
    return { ...file, size: file.stats.size, source: await preload(handle, file.stats.size), close };
  } catch (error) {
    close();
    throw error;
  }
}
