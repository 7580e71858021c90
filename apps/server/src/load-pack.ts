/**
 * Loading a pack named by a config entry's `use`: an npm package name, resolved from the config file's directory
 * and then from the server's own packages, or a path to a module. The module's default export (or a named export
 * `pack`) must be a pack. Failures come back as data (what is wrong, how to fix it), never thrown, so startup can
 * report every entry's problem at once.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnyPack } from '@mcp-packs/core';
import { isPack, primeListing } from '@mcp-packs/core/host';
import { SERVER_DIR } from './config/load.js';

/** A pack loaded from its module. */
export interface LoadedPack {
  pack: AnyPack;
  /** The module's URL. */
  url: string;
  /** The npm package's version, when `use` named a package. */
  packageVersion: string | undefined;
}

/**
 * Prime core with the listing a pack's build wrote beside its module (`build-package.mjs --listing`), so mounting it
 * converts none of its schemas. A missing, unreadable or non-matching file is ignored: the schemas are converted.
 */
function primeFromBuild(pack: AnyPack, url: URL): void {
  if (url.protocol !== 'file:') return;
  try {
    primeListing(pack, JSON.parse(readFileSync(new URL('./listing.json', url), 'utf8')));
  } catch {
    // no listing beside the module, or not JSON: the schemas are converted instead
  }
}

/** Why a pack could not be loaded. */
export interface LoadFailure {
  /** True when the module is simply not installed (or the file does not exist). */
  missing: boolean;
  message: string;
  fix: string;
}

/** Where a pack comes from. */
export type PackSource = { kind: 'path'; path: string } | { kind: 'package'; name: string };

/** The package name of a bare specifier: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** The export conditions this process resolves with (`node`, `import`, and any `--conditions`). */
function activeConditions(): Set<string> {
  const conditions = new Set(['node', 'import']);
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (inline) conditions.add(inline[1] as string);
    else if ((arg === '--conditions' || arg === '-C') && args[i + 1]) conditions.add(args[++i] as string);
  }
  return conditions;
}

let conditions: Set<string> | undefined;

let resolver: typeof import('import-meta-resolve') | undefined;

/**
 * Resolve a package name as an import from `directory` would. From the server's own directory (all the built-in
 * default config needs), Node's own `import.meta.resolve` does it; from any other (a config file's), the
 * `import-meta-resolve` library, loaded on first use (it costs ~12 ms to load, a tenth of a cold start).
 */
async function resolveFrom(specifier: string, directory: string): Promise<URL> {
  if (directory === SERVER_DIR && !import.meta.url.endsWith('.ts')) return new URL(import.meta.resolve(specifier));
  resolver ??= await import('import-meta-resolve');
  conditions ??= activeConditions();
  return resolver.moduleResolve(specifier, pathToFileURL(join(directory, 'noop.js')), conditions);
}

/**
 * Find a package from the first of `from` (directories) where it resolves, as a pack's package would be found:
 * undefined when it is installed in none of them.
 */
export async function findPackage(specifier: string, from: readonly string[]): Promise<URL | undefined> {
  const name = packageNameOf(specifier);
  for (const directory of from) {
    try {
      return await resolveFrom(specifier, directory);
    } catch (error) {
      if (!isNotFound(error, name)) throw error;
    }
  }
  return undefined;
}

function isNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : '';
  return code === 'ERR_MODULE_NOT_FOUND' && message.includes(`'${name}'`) && /cannot find package/i.test(message);
}

function packageVersion(url: URL, name: string): string | undefined {
  if (url.protocol !== 'file:') return undefined;
  let directory = dirname(fileURLToPath(url));
  for (;;) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      try {
        const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (json.name === name && typeof json.version === 'string') return json.version;
      } catch {
        // an unreadable package.json on the way up is not ours to judge
      }
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Peer fallback: a pack's peers (@mcp-packs/core, zod, the SDK) resolve to the pack's own copies when installed next
// to it, else to the server's. So `./my-pack.js` in a folder without node_modules works with `npx @mcp-packs/server`.

const PEERS = new Set(['@mcp-packs/core', 'zod', '@modelcontextprotocol/server']);
let peerFallbackInstalled = false;

/** Install the peer fallback (once; needs `module.registerHooks`, Node >= 22.15; a no-op before). */
export function installPeerFallback(): void {
  if (peerFallbackInstalled) return;
  peerFallbackInstalled = true;
  const registerHooks = (module as { registerHooks?: typeof module.registerHooks }).registerHooks;
  if (typeof registerHooks !== 'function') return;
  const host = import.meta.url;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        const name = packageNameOf(specifier);
        if (!PEERS.has(name) || !isNotFound(error, name) || context.parentURL === host) throw error;
        return nextResolve(specifier, { ...context, parentURL: host });
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------

function describeExports(namespace: Record<string, unknown>): string {
  const names = Object.keys(namespace);
  return names.length === 0 ? 'nothing' : names.map((name) => `\`${name}\``).join(', ');
}

/** Pick the pack out of a module namespace: default export, named `pack`, or a CommonJS `exports.default`. */
export function findPack(namespace: Record<string, unknown>): AnyPack | undefined {
  const candidates = [
    namespace.default,
    namespace.pack,
    (namespace.default as { default?: unknown } | undefined)?.default,
  ];
  return candidates.find(isPack);
}

/**
 * Load the pack a config entry names. `from` lists the directories a package name is resolved from, in order (the
 * config file's directory, then the server's own); a path is loaded as is.
 */
export async function loadPack(
  source: PackSource,
  from: readonly string[],
): Promise<{ ok: true; loaded: LoadedPack } | { ok: false; failure: LoadFailure }> {
  let url: URL;
  let version: string | undefined;
  let ownDependency = false;
  const shown = source.kind === 'path' ? source.path : source.name;
  if (source.kind === 'path') {
    if (!existsSync(source.path)) {
      return {
        ok: false,
        failure: { missing: true, message: `no file at ${source.path}.`, fix: 'correct the path in "use".' },
      };
    }
    if (statSync(source.path).isDirectory()) {
      return {
        ok: false,
        failure: {
          missing: false,
          message: `${source.path} is a directory, not a module.`,
          fix: `name the module file, such as ${join(source.path, 'index.js')} (or its built entry, e.g. dist${sep}index.js).`,
        },
      };
    }
    url = pathToFileURL(source.path);
  } else {
    const name = packageNameOf(source.name);
    let found: URL | undefined;
    let lastError: unknown;
    for (const directory of from) {
      try {
        found = await resolveFrom(source.name, directory);
        ownDependency = directory === SERVER_DIR;
        break;
      } catch (error) {
        lastError = error;
        if (!isNotFound(error, name)) break;
      }
    }
    if (!found) {
      if (isNotFound(lastError, name)) {
        const first = from[0] ?? process.cwd();
        return {
          ok: false,
          failure: {
            missing: true,
            message: `cannot find the package "${name}" from ${first}${from.length > 1 ? " (nor among the server's own packages)" : ''}.`,
            fix: `install it (cd ${JSON.stringify(first)} && npm install ${name}), or correct the name in "use".`,
          },
        };
      }
      const message = lastError instanceof Error ? lastError.message : String(lastError);
      return {
        ok: false,
        failure: {
          missing: false,
          message: `cannot resolve "${source.name}": ${message}`,
          fix: 'check the package name and its "exports"; an ES module package must export its entry for "import".',
        },
      };
    }
    url = found;
    version = packageVersion(url, name);
  }

  // The fallback is for packs from outside the server's own tree (a path, a package beside a config file). A package
  // found from the server's directory is one of its dependencies, installed with its peers; and the hook, once
  // installed, runs on every later import, which costs start-up time.
  if (!ownDependency) installPeerFallback();
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      failure: {
        missing: false,
        message: `the module ${shown} failed to load: ${message}`,
        fix: 'check that the module and its dependencies are installed and that it runs on this Node.js version.',
      },
    };
  }
  const pack = findPack(namespace);
  if (!pack) {
    return {
      ok: false,
      failure: {
        missing: false,
        message: `the module ${shown} exports no pack (it exports ${describeExports(namespace)}).`,
        fix: 'make its default export, or a named export `pack`, a pack built with definePack from @mcp-packs/core.',
      },
    };
  }
  primeFromBuild(pack, url);
  return { ok: true, loaded: { pack, url: url.href, packageVersion: version } };
}
