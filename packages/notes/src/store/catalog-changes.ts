/**
 * Applying the changes a folder watcher reported: each path it named is looked at now (a file changed, came or went;
 * a folder came or went, with its files) and the catalog brought in step with it.
 */
import { existsSync, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { stampOf } from './folder-scan.js';
import { FolderWatcher } from './folder-watcher.js';
import type { Entry, SearchIndex } from './search-index.js';

/** What applying changes works on: the catalog's index and how it stores, forgets and scans. */
export interface ChangeHost {
  readonly index: SearchIndex;
  absolute(relative: string): string;
  closed(): boolean;
  /** Scan the folder `relative` (its files: those there now, and those known under it). */
  scan(relative: string): Promise<void>;
  remove(entry: Entry): void;
  ingest(relative: string, stamp: string, text: string | undefined, stat: Stats): void;
}

/** Re-read the files at `paths` (a folder that came or went: its files). */
export async function applyChanges(host: ChangeHost, paths: string[]): Promise<void> {
  const { index } = host;
  paths.sort();
  // Files gone first (a rename is a name gone and a name come), so a renamed note meets no stale holder of its id.
  const gone = (relative: string) => index.byPath(relative) !== undefined && !existsSync(host.absolute(relative));
  paths.sort((a, b) => Number(gone(b)) - Number(gone(a)));
  for (const relative of paths) {
    if (host.closed()) return;
    const absolute = host.absolute(relative);
    let stat: Stats | undefined;
    try {
      stat = await fs.lstat(absolute);
    } catch {}
    if (stat?.isDirectory()) {
      // A new or moved-in folder: what it holds, now, and watched from now on.
      await host.scan(relative);
      continue;
    }
    const existing = index.byPath(relative);
    if (!stat?.isFile()) {
      if (existing) host.remove(existing);
      else if (!stat) await host.scan(relative); // perhaps a folder, moved out or deleted: forget its files
      continue;
    }
    // Unchanged, unless it was skipped for an id another file held (that file may be gone now).
    if (existing?.stamp === stampOf(stat) && existing.problem?.code !== 'duplicate_id') continue;
    const text = await fs.readFile(absolute, 'utf8').catch(() => undefined);
    host.ingest(relative, stampOf(stat), text, stat);
  }
}

/**
 * Watch the notes folder: each path an event names is added to `dirty` (re-read on the next call); when the watcher
 * cannot say what changed (an overflow) or stops, `rescan` asks for a full scan.
 */
export function watchFolder(root: string, trashDir: string, dirty: Set<string>, rescan: () => void): FolderWatcher {
  return new FolderWatcher({
    root,
    trash: path.join(root, trashDir),
    onPath: (relative) => dirty.add(relative),
    onUnknown: rescan,
    onStop: rescan,
  });
}
