/**
 * The content-search worker's entry: scans files for a pattern on its own thread (`scan-file.ts`), so searches use
 * every core and a runaway regular expression can be stopped by ending the thread; it also lists held directories
 * for walks that read ahead.
 *
 * Built, this is the bundle entry `dist/fs/search-worker.js`. From the TypeScript sources Node runs this file with its
 * built-in type stripping; the sources import each other as `./x.js` (what `tsc` emits), so a resolve hook maps
 * those to the `.ts` files beside them before the parts are loaded.
 */

import { readdirSync } from 'node:fs';
import nodeModule from 'node:module';
import type { ScanFileResult } from './search-query.js';
import type { ListAnswer, ListRequest, ScanSetup, WireAnswer, WireBatch } from './search-wire.js';

/** List directories held by the process (by descriptor, through /proc). */
function listFds(fds: readonly number[]): ListAnswer['listed'] {
  return fds.map((fd) => {
    try {
      const entries = readdirSync(`/proc/self/fd/${fd}`, { withFileTypes: true });
      const kinds = new Uint8Array(entries.length);
      const names = entries.map((entry, i) => {
        kinds[i] = entry.isFile() ? 0 : entry.isDirectory() ? 1 : entry.isSymbolicLink() ? 2 : 3;
        return entry.name;
      });
      return [names, kinds] as const;
    } catch (error) {
      return (error as { code?: string }).code ?? 'EIO';
    }
  });
}

// Only ever loaded as a worker (by `search-content.ts`, nothing imports it). Everything it imports statically is a
// type or a Node built-in: from the sources, its parts can only be loaded once the resolve hook is in place.
const { isMainThread, parentPort } = process.getBuiltinModule('node:worker_threads');
if (!isMainThread && parentPort) {
  if (import.meta.url.endsWith('.ts')) {
    const { registerHooks } = nodeModule as typeof nodeModule & {
      registerHooks?: (hooks: {
        resolve: (
          specifier: string,
          context: { parentURL?: string | undefined },
          next: (specifier: string, context: unknown) => unknown,
        ) => unknown;
      }) => unknown;
    };
    if (typeof registerHooks !== 'function') {
      throw new Error(
        'Running @mcp-packs/filesystem from its TypeScript sources needs Node >= 22.15; use the built dist/.',
      );
    }
    registerHooks({
      resolve(specifier, context, next) {
        if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
          return next(`${specifier.slice(0, -3)}.ts`, context);
        }
        return next(specifier, context);
      },
    });
  }
  const { compileQuery, needleOf } = await import('./search-query.js');
  const { scanFile } = await import('./scan-file.js');
  const port = parentPort;
  let setup: ScanSetup | undefined;
  let regexp: RegExp | undefined;
  let needle: Buffer | undefined;
  port.on('message', (message: WireBatch | ListRequest) => {
    if ('list' in message) {
      port.postMessage({ list: message.list, listed: listFds(message.fds) } satisfies ListAnswer);
      return;
    }
    const batch = message;
    const started = performance.now();
    if (batch.setup) {
      setup = batch.setup;
      regexp = compileQuery(setup.query);
      needle = needleOf(setup.query);
    }
    if (!setup || setup.search !== batch.search || !regexp) throw new Error('a batch without its search');
    const found: [number, ScanFileResult][] = [];
    for (let i = 0; i < batch.paths.length; i++) {
      const dir = batch.dirs[i] as number;
      const path = batch.paths[i] as string;
      const file = dir === -1 ? { abs: path } : { abs: path, dir, name: path };
      const result = scanFile(file, setup, regexp, setup.maxPerFile, needle);
      if (result.matchingLines > 0 || result.skipped !== undefined) found.push([i, result]);
    }
    const answer: WireAnswer = { id: batch.id, found, busyMs: performance.now() - started };
    port.postMessage(answer);
  });
}
