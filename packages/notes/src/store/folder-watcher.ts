/**
 * Watching a notes folder: one `fs.watch` per folder (recursive watching is not everywhere, and on Linux Node's own
 * recursive watch walks and stats the whole tree), set up by the walks as they meet each folder. Events name paths
 * that may have changed; the catalog re-reads just those. When watching cannot go on (out of watch handles, an error,
 * an event without a name), the catalog is told, and falls back to scans.
 */
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import { MARKDOWN } from './folder-walk.js';
import { TEMP_PREFIX } from './temp-files.js';

/** What a watcher reports to. */
export interface FolderWatcherOptions {
  root: string;
  /** The trash folder, absolute: watched although hidden. */
  trash: string;
  /** A path (inside the notes folder, `/`-separated) that may have changed: a Markdown file or a folder. */
  onPath: (relative: string) => void;
  /** Something changed that the event does not name: only a scan can tell what. */
  onUnknown: () => void;
  /** Watching stopped (an error, or no more watch handles): every watcher is closed. */
  onStop: () => void;
}

/** The watchers of one notes folder. */
export class FolderWatcher {
  readonly #options: FolderWatcherOptions;
  readonly #watchers = new Map<string, FSWatcher>();
  #active = true;

  constructor(options: FolderWatcherOptions) {
    this.#options = options;
  }

  /** True until watching stopped. */
  get active(): boolean {
    return this.#active;
  }

  /** Watch the folder `dir` (absolute), unless it is watched already. */
  watch(dir: string): void {
    if (!this.#active || this.#watchers.has(dir)) return;
    const { root, trash, onPath, onUnknown } = this.#options;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null) {
          onUnknown();
          return;
        }
        const file = String(name);
        if (file.startsWith(TEMP_PREFIX)) return;
        const absolute = path.join(dir, file);
        if (file.startsWith('.') && absolute !== trash) return;
        if (MARKDOWN.test(file) || !file.includes('.')) {
          const relative = path.relative(root, absolute);
          onPath(path.sep === '/' ? relative : relative.split(path.sep).join('/'));
        }
      });
      watcher.on('error', () => this.stop());
      this.#watchers.set(dir, watcher);
    } catch {
      // Out of watch handles (or unsupported here): fall back to periodic scans.
      this.stop();
    }
  }

  /** Stop watching every folder. */
  stop(): void {
    if (!this.#active) return;
    this.#active = false;
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
    this.#options.onStop();
  }
}
