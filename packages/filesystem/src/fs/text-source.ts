/** A file opened for the text readers: read whole when small, else through a handle, behind one interface. */
import { closeSync, read, readSync, type Stats } from 'node:fs';
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
  if ('fd' in file) {
    const { fd } = file;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    };
    try {
      return { ...file, size: file.stats.size, source: await preload(descriptorSource(fd), file.stats.size), close };
    } catch (error) {
      close();
      throw error;
    }
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

/** Reads of at most this many bytes are done synchronously by {@link descriptorSource}. */
export const SYNC_READ_BYTES = 64 * 1024;

/**
 * Positional reads from a bare descriptor: one of at most {@link SYNC_READ_BYTES} synchronously (a few blocks of a
 * local file take microseconds, less than a thread-pool round trip), a bigger one on the thread pool.
 */
export function descriptorSource(fd: number): ReadSource {
  return {
    read: (buffer, offset, length, position) => {
      if (length > SYNC_READ_BYTES) {
        return new Promise((resolve, reject) => {
          read(fd, buffer, offset, length, position, (error, bytesRead) =>
            error ? reject(error) : resolve({ bytesRead }),
          );
        });
      }
      try {
        return Promise.resolve({ bytesRead: readSync(fd, buffer, offset, length, position) });
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
