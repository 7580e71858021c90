/** Glob matching for names and paths (picomatch: the matcher behind fast-glob and tinyglobby). */
import { FsError } from './errors.js';

// Loaded on the first search, so importing the pack stays cheap.
const loadPicomatch = () => import('picomatch');
let picomatchModule: ReturnType<typeof loadPicomatch> | undefined;

/**
 * A matcher for a glob: without `/` it matches the last name of a path at any depth (`*.ts`); with `/` the whole
 * relative path (`src/**\/*.ts`). Dot-files match. Throws `invalid_pattern` for a malformed glob.
 */
export async function compileGlob(
  pattern: string,
  options: { caseSensitive: boolean },
): Promise<(path: string) => boolean> {
  picomatchModule ??= loadPicomatch();
  const { default: picomatch } = await picomatchModule;
  try {
    return picomatch(pattern, { dot: true, basename: !pattern.includes('/'), nocase: !options.caseSensitive });
  } catch (error) {
    throw new FsError('invalid_pattern', `The glob ${JSON.stringify(pattern)} is not valid.`, {
      hint: 'Use *, **, ?, [abc] and {a,b}; escape special characters with \\.',
      cause: error,
    });
  }
}
