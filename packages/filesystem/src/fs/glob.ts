/** Glob matching for names and paths (picomatch: the matcher behind fast-glob and tinyglobby). */
import picomatch from 'picomatch';
import { FsError } from './errors.js';

/**
 * A matcher for a glob: without `/` it matches the last name of a path at any depth (`*.ts`); with `/` the whole
 * relative path (`src/**\/*.ts`). Dot-files match. Throws `invalid_pattern` for a malformed glob.
 */
export function compileGlob(pattern: string, options: { caseSensitive: boolean }): (path: string) => boolean {
  try {
    return picomatch(pattern, { dot: true, basename: !pattern.includes('/'), nocase: !options.caseSensitive });
  } catch (error) {
    throw new FsError('invalid_pattern', `The glob ${JSON.stringify(pattern)} is not valid.`, {
      hint: 'Use *, **, ?, [abc] and {a,b}; escape special characters with \\.',
      cause: error,
    });
  }
}
