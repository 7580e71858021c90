/**
 * Where the search index cache lives by default: the user's cache folder, one file per notes folder.
 */
import os from 'node:os';
import path from 'node:path';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** The platform's per-user cache folder for this package. */
export function defaultCacheDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'mcp-packs', 'notes', 'Cache');
  }
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'mcp-packs', 'notes');
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'mcp-packs', 'notes');
}

/** The cache file for the notes folder `root` (a real path) inside `cacheDir`. */
export function cacheFileFor(cacheDir: string, root: string): string {
  const hash = crypto().createHash('sha256').update(root).digest('hex').slice(0, 16);
  return path.join(cacheDir, `index-${hash}.sqlite`);
}

/** Expand a leading `~` to the home folder. */
export function expandHome(dir: string): string {
  return dir === '~' || dir.startsWith('~/') || dir.startsWith('~\\') ? path.join(os.homedir(), dir.slice(1)) : dir;
}
