/**
 * Paths in the config: `~` expansion, resolution against the config file's directory, and the per-user data
 * directory the default config keeps notes in.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `~` → the home directory, `~/x` (or `~\x`) → inside it. `~user` is left alone. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

/**
 * True when `use` names a module by path rather than an npm package: it starts with `.`, `/`, `~`, a Windows drive
 * (`C:\`), or is a `file:` URL.
 */
export function isPathSpecifier(use: string): boolean {
  return (
    use.startsWith('.') ||
    use.startsWith('/') ||
    use.startsWith('~') ||
    use.startsWith('file:') ||
    /^[A-Za-z]:[\\/]/.test(use) ||
    isAbsolute(use)
  );
}

/** Resolve a path written in the config: `~` expanded, relative paths against `baseDir`, `file:` URLs decoded. */
export function resolveConfigPath(path: string, baseDir: string, home?: string): string {
  if (path.startsWith('file:')) return fileURLToPath(path);
  return resolve(baseDir, expandHome(path, home));
}

const PATH_LIKE = /^(?:~|\.{1,2})(?:[\\/]|$)/;

/**
 * True for a string in a pack's config that the server treats as a path: `~`, `.`, `..`, or one starting with
 * `~/`, `./` or `../` (either slash). Anything else (absolute paths included) passes through unchanged.
 */
export function isPathLikeValue(value: string): boolean {
  return PATH_LIKE.test(value);
}

/**
 * Resolve the path-like strings of a pack's config (see {@link isPathLikeValue}) against `baseDir`, recursively.
 * Returns a new value.
 */
export function resolvePackConfigPaths(value: unknown, baseDir: string, home?: string): unknown {
  if (typeof value === 'string') return isPathLikeValue(value) ? resolveConfigPath(value, baseDir, home) : value;
  if (Array.isArray(value)) return value.map((item) => resolvePackConfigPaths(item, baseDir, home));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolvePackConfigPaths(item, baseDir, home)]),
    );
  }
  return value;
}

/**
 * The per-user data directory for mcp-packs: `$XDG_DATA_HOME/mcp-packs` (else `~/.local/share/mcp-packs`) on Linux
 * and other Unix, `~/Library/Application Support/mcp-packs` on macOS, `%APPDATA%\mcp-packs` on Windows.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'mcp-packs');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'mcp-packs');
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), 'mcp-packs');
}
