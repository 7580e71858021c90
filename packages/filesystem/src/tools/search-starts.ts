import { resolveDirectory } from '../fs/access.js';
import type { FindStart } from '../fs/find.js';
import type { PathGuard } from '../fs/guard.js';

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
