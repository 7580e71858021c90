/**
 * Where a worker entry of this package is, from the package's root module folder: `src/` when the TypeScript
 * sources run (tests, the bench), `dist/` when the built package does. Every worker entry `src/<dir>/<name>.ts` is
 * built to `dist/<dir>/<name>.js`, while this module itself sits at the root of `src/` or `dist/` (in the bundle,
 * everything that is not a worker entry does), so one relative URL serves both layouts.
 *
 * @param entry the worker entry without extension, relative to `src/`, e.g. `store/text-index-worker`.
 */
export function workerUrl(entry: string): URL {
  return new URL(`./${entry}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}
