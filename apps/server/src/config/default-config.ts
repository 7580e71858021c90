/**
 * The built-in default config, used when no config file is given: every pack of ours, with safe defaults. Data,
 * not code: what `mcp-packs` serves out of the box is readable here at a glance.
 */
import { homedir } from 'node:os';
import { join, parse } from 'node:path';
import { userDataDir } from './paths.js';

/** One entry of the default config, in the shape of a config file's `packs[]` entry. */
export interface DefaultPackEntry {
  use: string;
  prefix?: string | null;
  config?: Record<string, unknown>;
}

/** What the default config depends on: where the server runs and whose machine it is. */
export interface DefaultConfigContext {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/** The default packs, plus warnings about choices made for this environment. */
export interface DefaultConfig {
  packs: DefaultPackEntry[];
  warnings: string[];
}

/**
 * The default config for this environment:
 * - math, sysinfo: their own defaults;
 * - filesystem (prefix `fs`): read-only, on the current directory (not offered when that is the filesystem root,
 *   as it is when some desktop clients launch servers: it would expose the whole disk);
 * - web-fetch (prefix `web`): private, loopback and link-local addresses blocked;
 * - notes: in the user's data directory (`…/mcp-packs/notes`).
 */
export function defaultConfig(context: DefaultConfigContext = {}): DefaultConfig {
  const cwd = context.cwd ?? process.cwd();
  const home = context.home ?? homedir();
  const warnings: string[] = [];
  const packs: DefaultPackEntry[] = [{ use: '@mcp-packs/math', prefix: 'math' }];
  if (parse(cwd).root === cwd) {
    warnings.push(
      `the default config does not mount the filesystem pack: the current directory is ${cwd}, the filesystem root. Start the server in the directory to share, or name roots in a config file (--config).`,
    );
  } else {
    packs.push({ use: '@mcp-packs/filesystem', prefix: 'fs', config: { roots: [cwd], allowWrite: false } });
  }
  packs.push(
    { use: '@mcp-packs/sysinfo', prefix: 'sys' },
    { use: '@mcp-packs/web-fetch', prefix: 'web', config: { allowPrivateNetwork: false } },
    {
      use: '@mcp-packs/notes',
      prefix: 'notes',
      config: { directory: join(userDataDir(context.env, context.platform, home), 'notes') },
    },
  );
  return { packs, warnings };
}
