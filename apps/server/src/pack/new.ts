/**
 * `mcp-packs pack new <package-name>`: a new pack package, ready to test and publish. Its surface snapshot is
 * written from the template's own pack, so its tests pass on the first run, in CI too (where a missing snapshot
 * fails instead of being written).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACK_NAME_PATTERN } from '@mcp-packs/core';
import { surfaceSnapshot } from '@mcp-packs/core/testing';
import { UsageError } from '../args.js';
import { findPack, installPeerFallback } from '../load-pack.js';
import { VERSION } from '../version.js';
import type { PackNewCommand } from './args.js';
import { DEFAULT_SNAPSHOT } from './check.js';
import { type TemplateValues, templateFiles } from './template.js';

/** npm's rule for a package name (lower case, URL-safe, optionally scoped). */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** The pack's name from its package's: `@acme/mcp-weather` → `weather`, `mcp-pack-weather` → `weather`. */
export function packNameOf(packageName: string): string {
  const last = packageName.split('/').pop() as string;
  return last.replace(/^(?:mcp-packs?-|mcp-)/, '').replace(/-mcp$/, '');
}

function versionOf(specifier: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(new URL(import.meta.resolve(specifier)), 'utf8')) as { version?: string };
    return json.version;
  } catch {
    return undefined;
  }
}

function caret(version: string | undefined, fallback: string): string {
  return version ? `^${version}` : fallback;
}

function values(packageName: string, packName: string): TemplateValues {
  return {
    packageName,
    packName,
    versions: {
      core: caret(versionOf('@mcp-packs/core/package.json'), '*'),
      server: `^${VERSION}`,
      sdk: caret(versionOf('@modelcontextprotocol/server/package.json'), '^2.4.0'),
      zod: '^4.2.0',
      typescript: '^5.9.3',
      vitest: '^5.1.1',
    },
  };
}

/** What `pack new` did. */
export interface PackNewResult {
  dir: string;
  files: string[];
  /** False when this Node cannot load TypeScript: the snapshot is then written by the first local test run. */
  snapshot: boolean;
}

/**
 * Load the new pack's TypeScript source (Node strips the types) and write its surface snapshot. Its imports of
 * @mcp-packs/core and zod resolve to this server's copies until the package's own are installed.
 */
async function writeSnapshot(dir: string): Promise<boolean> {
  if (!(process.features as { typescript?: unknown }).typescript) return false;
  installPeerFallback();
  const namespace = (await import(pathToFileURL(join(dir, 'src', 'index.ts')).href)) as Record<string, unknown>;
  const pack = findPack(namespace);
  if (!pack) throw new Error('the template exports no pack');
  const file = join(dir, DEFAULT_SNAPSHOT);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, await surfaceSnapshot(pack));
  return true;
}

/** Create the package. Throws {@link UsageError} for a bad name or a folder that is not empty. */
export async function newPack(command: PackNewCommand, cwd: string = process.cwd()): Promise<PackNewResult> {
  const { packageName } = command;
  if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) {
    throw new UsageError(
      `"${packageName}" is not an npm package name: use lower-case letters, digits and - . _ ~, optionally scoped (@scope/name).`,
    );
  }
  const packName = packNameOf(packageName);
  if (!PACK_NAME_PATTERN.test(packName)) {
    throw new UsageError(
      `the pack's name would be "${packName}" (from "${packageName}"), which must match ${PACK_NAME_PATTERN}: pick a package name whose last part is lower-case letters, digits and hyphens, starting with a letter (e.g. mcp-pack-weather).`,
    );
  }
  const dir = resolve(cwd, command.dir ?? (packageName.split('/').pop() as string));
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} exists and is not empty: pass --dir with a new folder.`);
  }
  const files = templateFiles(values(packageName, packName));
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const snapshot = await writeSnapshot(dir);
  return {
    dir,
    files: [...Object.keys(files), ...(snapshot ? [DEFAULT_SNAPSHOT] : [])].sort(),
    snapshot,
  };
}

/** What `pack new` prints. */
export function formatNewResult(result: PackNewResult, cwd: string = process.cwd()): string {
  const at = relative(cwd, result.dir) || '.';
  return [
    `created ${at}:`,
    ...result.files.map((file) => `  ${file}`),
    '',
    'next:',
    `  cd ${at}`,
    '  npm install',
    `  npm test${result.snapshot ? '' : '        # the first run writes src/__snapshots__/surface.json: commit it'}`,
    '  npm run check   # build, lint, smoke mount, snapshot diff',
    '',
  ].join('\n');
}
