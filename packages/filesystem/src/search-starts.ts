import { resolveDirectory } from './fs/access.js';
import type { FindOptions, FindStart } from './fs/find.js';
import type { PathGuard } from './fs/guard.js';
import type { FilesystemServices } from './services.js';

/** The directories a search covers: the one named, or every root in force when none is. */
export async function searchStarts(guard: PathGuard, path: string | undefined): Promise<FindStart[]> {
  if (path === undefined) {
    return guard.roots.map((root) => ({
      real: root.path,
      display: guard.display(root.path, root),
      rootPath: root.path,
    }));
  }
  const dir = await resolveDirectory(guard, path);
  return [{ real: dir.real, display: dir.display, rootPath: dir.root.path }];
}

/** The walk settings every search shares: the config's ignores, the call's exclusions, the guard's link policy. */
export function walkOptions(
  services: FilesystemServices,
  guard: PathGuard,
  args: { exclude: readonly string[]; includeIgnored: boolean },
  signal: AbortSignal,
): Omit<FindOptions, 'keep' | 'cap'> {
  return {
    defaults: services.config.defaultIgnores,
    exclude: args.exclude,
    gitignore: services.config.respectGitignore,
    includeIgnored: args.includeIgnored,
    followSymlinks: guard.followSymlinks,
    allows: (real) => guard.allows(real),
    signal,
  };
}
