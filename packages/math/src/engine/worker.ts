/**
 * The entry file of an evaluation worker process (forked by `pool.ts`, see `defaultWorkerUrl`).
 *
 * Built, this is the bundle entry `dist/engine/worker.js`. From the TypeScript sources (tests and
 * the `@mcp-packs/source` condition), Node runs `worker.ts` with its built-in type stripping; the sources import
 * each other as `./x.js` (what `tsc` emits), so a resolve hook maps those to the `.ts` files beside them.
 */
import nodeModule from 'node:module';

// A worker is replaced after every limit it hits: cached bytecode (Node >= 22.1) takes about 0.1 s off its start.
nodeModule.enableCompileCache?.();

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
    throw new Error('Running @mcp-packs/math from its TypeScript sources needs Node >= 22.15; use the built dist/.');
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

const { startWorker } = await import('./worker-main.js');
startWorker();
