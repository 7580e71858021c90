/**
 * The `mcp-packs pack …` command line: tools for pack authors, parsed apart from the server's own flags.
 */
import { parseArgs } from 'node:util';
import { parseOrUsageError, UsageError } from '../args.js';

/** `mcp-packs pack check <module-or-path>`. */
export interface PackCheckCommand {
  action: 'check';
  /** A path (a module file or a package folder) or an npm package name resolved from the working directory. */
  target: string;
  /** The committed surface to compare with; default `src/__snapshots__/surface.json` of the pack's package. */
  snapshot?: string;
  /** Write the surface to the snapshot instead of failing on a difference. */
  update: boolean;
  /** The pack's config for the smoke mount: inline JSON or a .json file. */
  packConfig?: string;
  json: boolean;
}

/** `mcp-packs pack new <name>`. */
export interface PackNewCommand {
  action: 'new';
  /** The npm package name, e.g. `mcp-pack-weather` or `@acme/mcp-weather`. */
  packageName: string;
  /** The folder to create; default: the last segment of the package name, in the working directory. */
  dir?: string;
}

export type PackCommand = PackCheckCommand | PackNewCommand;

/** `mcp-packs pack --help`. */
export const PACK_HELP = `Usage:
  mcp-packs pack check <module-or-path> [--pack-config JSON|FILE] [--snapshot FILE] [--update] [--json]
  mcp-packs pack new <package-name> [--dir DIR]

pack check   Check a pack before publishing it: load it, run the pack linter,
             mount it through a real MCP client with --pack-config (default {}),
             and compare what clients would see with the committed snapshot
             (default: src/__snapshots__/surface.json of the pack's package),
             naming breaking changes. --update writes the snapshot instead.
             <module-or-path>: a module file, a package folder (its package.json
             "exports" or "main"), or an installed package name.
             Exit codes: 0 passed (warnings allowed), 2 cannot load or bad usage,
             3 the check failed (lint errors, mount failed, surface differs).

pack new     Create a pack package in a new folder (default: the last segment
             of the package name): one tool, its test, a surface snapshot test,
             a README, and the scripts build, test and check.
`;

/** Parse the arguments after `pack`. Throws {@link UsageError}. */
export function parsePackCommand(argv: readonly string[]): PackCommand | 'help' {
  const { values, positionals } = parseOrUsageError(() => parse(argv));
  if (values.help) return 'help';
  const [action, target, ...rest] = positionals;
  if (action === undefined) throw new UsageError('pack needs a command: check or new (mcp-packs pack --help).');
  if (rest.length > 0)
    throw new UsageError(`pack ${action} takes one argument; got ${positionals.slice(1).join(' ')}.`);
  if (action === 'check') {
    if (target === undefined) {
      throw new UsageError('pack check needs the pack: a module file, a package folder or a package name.');
    }
    if (values.dir !== undefined) throw new UsageError('--dir goes with pack new.');
    return {
      action,
      target,
      update: values.update === true,
      json: values.json === true,
      ...(values.snapshot === undefined ? {} : { snapshot: values.snapshot }),
      ...(values['pack-config'] === undefined ? {} : { packConfig: values['pack-config'] }),
    };
  }
  if (action === 'new') {
    if (target === undefined) throw new UsageError('pack new needs the npm package name, e.g. mcp-pack-weather.');
    for (const flag of ['snapshot', 'update', 'pack-config', 'json'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with pack check.`);
    }
    return { action, packageName: target, ...(values.dir === undefined ? {} : { dir: values.dir }) };
  }
  throw new UsageError(`unknown pack command "${action}"; the pack commands are check and new.`);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      snapshot: { type: 'string' },
      update: { type: 'boolean' },
      'pack-config': { type: 'string' },
      json: { type: 'boolean' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
