/**
 * Preparing a composition: load each pack of the config, check each mount (config, names, filters, transforms)
 * and the mounts against each other (prefixes, names, presets, discovery, telemetry), and turn every problem into
 * one with a JSON path and a fix. Runs no pack code but its module's top level.
 */
import { type AnyPack, isConfigError, isPackError } from '@mcp-packs/core';
import { describeMount, type MountSurface, type PlanOptions } from '@mcp-packs/core/host';
import type { LoadedConfig, PackEntry } from './config/load.js';
import { type ConfigProblem, ConfigProblemsError, closest, parsePath } from './config/problems.js';
import { DEFAULT_HTTP_PATH, ONCE } from './config/schema.js';
import { discoverySettings } from './discovery/config.js';
import { findPackage, loadPack } from './load-pack.js';
import type { ServerLog } from './log.js';
import { presetProblems } from './presets.js';
import { CONFIG_RESOURCE_URI, PACKS_RESOURCE_URI } from './server-documents.js';

/** A pack loaded and checked, ready to set up. */
export interface PreparedPack {
  entry: PackEntry;
  pack: AnyPack;
  /** The pack's version (its own, else its npm package's). */
  version: string | undefined;
  options: PlanOptions;
  surface: MountSurface;
}

function where(entry: PackEntry): string {
  return `packs[${entry.index}]`;
}

function planOptions(entry: PackEntry, listing: LoadedConfig['listing']): PlanOptions {
  return {
    ...(entry.prefix === undefined ? {} : { prefix: entry.prefix }),
    ...(entry.config === undefined ? {} : { config: entry.config }),
    ...(entry.tools === undefined ? {} : { tools: entry.tools }),
    ...(entry.transforms === undefined ? {} : { transforms: entry.transforms }),
    ...(entry.readOnly === undefined ? {} : { readOnly: entry.readOnly }),
    configPath: `${where(entry)}.config`,
    transformsPath: `${where(entry)}.transforms`,
    // Every mount lists the same way: search_tools and `mcp-packs list` read the servers' own tools/list, so they
    // show these definitions too.
    listing: { outputSchemas: listing.outputSchemas },
  };
}

/** What to do about one problem core found in `packs[i].transforms`, from where it is (below `transforms`). */
function transformFix(pack: AnyPack | undefined, entry: PackEntry, segments: readonly (string | number)[]): string {
  const [tool, field, param, which] = segments;
  const keys = pack ? Object.keys(pack.tools) : [];
  if (field === undefined) {
    if (typeof tool === 'string' && !keys.includes(tool)) {
      const guess = closest(tool, keys);
      return guess
        ? `did you mean "${guess}"?`
        : `name a tool of "${entry.use}" by its key in the pack (as listed above) or by its final name.`;
    }
    return 'give each tool one object of changes, under its key in the pack or its final name (not both).';
  }
  switch (field) {
    case 'name':
      return 'choose a name of letters, digits, "_" and "-" (the prefix is added to it) that no other tool of this mount has.';
    case 'args':
      if (which === 'hidden')
        return `hide only an optional parameter, as { "hidden": true }; to take "${String(param)}" from the model, fix it to a value.`;
      if (which !== undefined)
        return `give a value the parameter "${String(param)}" accepts (its type is in the pack's README).`;
      if (param !== undefined)
        return 'name a parameter of the tool (listed above), with { "fixed": value }, { "default": value } or { "hidden": true }.';
      return 'give args as { "<parameter>": { "fixed": value } }, { "<parameter>": { "default": value } } or { "<parameter>": { "hidden": true } }.';
    case 'annotations':
      return `remove "${String(param)}" here${param === 'readOnlyHint' ? ', or set it to false' : param === 'destructiveHint' || param === 'openWorldHint' ? ', or set it to true' : ''}.`;
    default:
      return `check the transform against the tools of "${entry.use}" as \`mcp-packs list\` and its README show them.`;
  }
}

/** Turn a core error about one entry into problems with JSON paths. */
export function mountProblems(entry: PackEntry, error: unknown, pack?: AnyPack): ConfigProblem[] {
  const at = (key?: string) => (key === undefined ? ['packs', entry.index] : ['packs', entry.index, key]);
  if (isConfigError(error) && error.code === 'invalid_transform') {
    return error.issues.map((issue) => {
      // Below `transforms`, tool keys may hold any character: take the segments, not the printed path.
      const segments = issue.segments ?? parsePath(issue.path).slice(3);
      return {
        path: ['packs', entry.index, 'transforms', ...segments],
        message: `${issue.message}.`,
        fix: transformFix(pack, entry, segments),
      };
    });
  }
  if (isConfigError(error)) {
    return error.issues.map((issue) => ({
      path: parsePath(issue.path),
      message: `${issue.message}.`,
      fix: `check the config of "${entry.use}" against its README (every key is listed there).`,
    }));
  }
  if (isPackError(error)) {
    const message = error.message;
    switch (error.code) {
      case 'not_a_pack':
      case 'api_version_mismatch':
      case 'invalid_definition':
        return [{ path: at('use'), message }];
      case 'invalid_prefix':
      case 'invalid_name':
        return [
          {
            path: at(entry.transforms === undefined ? 'prefix' : undefined),
            message,
            fix: 'choose a shorter or valid prefix (or a shorter name in "transforms").',
          },
        ];
      case 'unknown_tool':
        return [{ path: at('tools'), message, fix: 'use the tool names listed above (keys or final names).' }];
      case 'invalid_filter':
        return [{ path: at('tools'), message }];
      case 'setup_failed':
        return [{ path: at('config'), message, fix: 'check the config values (paths exist and are accessible).' }];
      default:
        return [{ path: at(), message }];
    }
  }
  return [{ path: ['packs', entry.index], message: error instanceof Error ? error.message : String(error) }];
}

/**
 * Load and check every pack of the config. Throws {@link ConfigProblemsError} with every problem; a pack of the
 * built-in default that is not installed is skipped with a warning.
 */
export async function preparePacks(loaded: LoadedConfig, log?: ServerLog): Promise<PreparedPack[]> {
  const problems: ConfigProblem[] = [...loaded.problems];
  const outcomes = await Promise.all(loaded.packs.map((entry) => loadPack(entry.source, loaded.resolveFrom)));
  const prepared: PreparedPack[] = [];
  /** The prefix each loaded pack asks for, mountable or not: a clash is worth reporting either way. */
  const claims: { entry: PackEntry; prefix: string | null }[] = [];
  const skipped: string[] = [];
  loaded.packs.forEach((entry, i) => {
    const outcome = outcomes[i];
    if (!outcome) return;
    if (!outcome.ok) {
      if (entry.optional && outcome.failure.missing) {
        skipped.push(entry.use);
        return;
      }
      problems.push({
        path: ['packs', entry.index, 'use'],
        message: outcome.failure.message,
        fix: outcome.failure.fix,
      });
      return;
    }
    const { pack, packageVersion } = outcome.loaded;
    const options = planOptions(entry, loaded.listing);
    claims.push({ entry, prefix: entry.prefix === undefined ? pack.name : entry.prefix });
    try {
      const surface = describeMount(pack, options);
      const ignored = ignoredKeys(pack, entry);
      if (ignored.length > 0) problems.push(...ignored);
      else prepared.push({ entry, pack, version: pack.version ?? packageVersion, options, surface });
    } catch (error) {
      problems.push(...mountProblems(entry, error, pack), ...(isConfigError(error) ? ignoredKeys(pack, entry) : []));
    }
  });
  if (skipped.length > 0) {
    log?.warning(
      `not installed, so not offered: ${skipped.join(', ')} (from the built-in default config). Reinstall @mcp-packs/server, or name the packs you want in a config file (--config).`,
    );
  }
  problems.push(
    ...prefixProblems(claims),
    ...nameProblems(prepared),
    ...(await discoveryProblems(loaded, prepared)),
    // Against every mount only: a pack that failed already has its problem, its tools need no second one.
    ...(prepared.length + skipped.length === loaded.packs.length
      ? presetProblems(
          loaded.presets,
          prepared.flatMap((item) => item.surface.tools),
          loaded.transport.path ?? DEFAULT_HTTP_PATH,
        )
      : []),
    ...(await telemetryProblems(loaded)),
  );
  if (problems.length > 0) throw new ConfigProblemsError(loaded.source, problems);
  return prepared;
}

/**
 * The optional packages a configured feature needs that are not installed: one problem at `path` naming them, with
 * the install command (run where the config's packs are found) and `otherwise`, the config change that avoids them.
 */
async function missingPackagesProblem(
  loaded: LoadedConfig,
  names: readonly string[],
  path: ConfigProblem['path'],
  needs: string,
  otherwise: string,
): Promise<ConfigProblem[]> {
  const missing: string[] = [];
  for (const name of names) {
    if ((await findPackage(name, loaded.resolveFrom).catch(() => undefined)) === undefined) missing.push(name);
  }
  if (missing.length === 0) return [];
  const first = loaded.resolveFrom[0] ?? process.cwd();
  return [
    {
      path,
      message: `${needs}, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed.`,
      fix: `install them (cd ${JSON.stringify(first)} && npm install ${names.join(' ')}), or ${otherwise}.`,
    },
  ];
}

/** Tracing needs the OpenTelemetry packages (optional peers): the missing ones are a problem, with the install. */
async function telemetryProblems(loaded: LoadedConfig): Promise<ConfigProblem[]> {
  if (!loaded.telemetry) return [];
  const { TELEMETRY_PACKAGES } = await import('./telemetry/config.js');
  return missingPackagesProblem(
    loaded,
    TELEMETRY_PACKAGES,
    ['telemetry'],
    'tracing needs the OpenTelemetry packages',
    'remove "telemetry"',
  );
}

/** Import a package the way the config's packs are found (the config's directory, then the server's). */
export function packageImporter(loaded: LoadedConfig) {
  return async (specifier: string): Promise<Record<string, unknown>> => {
    const url = await findPackage(specifier, loaded.resolveFrom);
    if (!url) throw new Error(`${specifier} is not installed`);
    return (await import(url.href)) as Record<string, unknown>;
  };
}

/** Tools named in `discovery.list` that no pack offers; a semantic ranker whose packages are not installed. */
async function discoveryProblems(loaded: LoadedConfig, prepared: readonly PreparedPack[]): Promise<ConfigProblem[]> {
  if (loaded.discovery === undefined) return [];
  const settings = discoverySettings(loaded.discovery);
  const problems: ConfigProblem[] = [];
  const tools = prepared.flatMap((item) => item.surface.tools);
  const offered = new Set(tools);
  settings.list.forEach((name, index) => {
    if (offered.has(name)) return;
    const guess = closest(name, tools);
    problems.push({
      path: ['discovery', 'list', index],
      message: `no mounted pack offers a tool "${name}".`,
      fix: guess ? `did you mean "${guess}"?` : 'use final tool names, as `mcp-packs list` shows them.',
    });
  });
  if (settings.ranker !== 'bm25' && settings.mode !== 'all') {
    const { SEMANTIC_PACKAGES } = await import('./discovery/semantic.js');
    problems.push(
      ...(await missingPackagesProblem(
        loaded,
        SEMANTIC_PACKAGES,
        ['discovery', 'ranker'],
        `the ${settings.ranker} ranker needs a local embedding model`,
        'use "ranker": "bm25"',
      )),
    );
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keys of a pack's config that its schema drops without a word (zod objects strip unknown keys by default): a typo
 * such as "allowwrite" would otherwise be silently ignored. Each is a problem, with the key probably meant.
 */
function ignoredKeys(pack: AnyPack, entry: PackEntry): ConfigProblem[] {
  const schema = pack.configSchema;
  if (!schema) return [];
  const parsed = schema.safeParse(entry.config ?? {}, ONCE);
  // When the config does not parse, still check its top-level keys against the schema's, if it is an object that
  // would not report them itself (a strict object's catchall is `never`).
  const internals = schema as { shape?: Record<string, unknown>; _zod?: { def?: { catchall?: unknown } } };
  const catchall = internals._zod?.def?.catchall as { _zod?: { def?: { type?: string } } } | undefined;
  const shape = catchall?._zod?.def?.type === 'never' ? undefined : internals.shape;
  const output = parsed.success
    ? parsed.data
    : shape
      ? Object.fromEntries(Object.keys(shape).map((k) => [k, k]))
      : undefined;
  if (output === undefined) return [];
  const problems: ConfigProblem[] = [];
  const walk = (input: unknown, output: unknown, path: (string | number)[]) => {
    if (Array.isArray(input) && Array.isArray(output)) {
      input.forEach((item, index) => {
        walk(item, output[index], [...path, index]);
      });
      return;
    }
    if (!isPlainObject(input) || !isPlainObject(output)) return;
    const known = Object.keys(output);
    for (const [key, value] of Object.entries(input)) {
      if (key in output) {
        walk(value, output[key], [...path, key]);
        continue;
      }
      const guess = closest(key, known);
      problems.push({
        path: [...path, key],
        message: `unknown key "${key}": pack "${pack.name}" does not read it.`,
        fix: guess
          ? `did you mean "${guess}"?`
          : `remove it; the keys of this object are ${known.map((k) => `"${k}"`).join(', ') || 'none'}.`,
      });
    }
  };
  walk(entry.config ?? {}, output, ['packs', entry.index, 'config']);
  return problems;
}

/** Two mounts asking for one prefix. */
function prefixProblems(claims: readonly { entry: PackEntry; prefix: string | null }[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const taken = new Map<string, PackEntry>();
  for (const { entry, prefix } of claims) {
    if (prefix === null) continue;
    const other = taken.get(prefix);
    if (!other) {
      taken.set(prefix, entry);
      continue;
    }
    problems.push({
      path: ['packs', entry.index, ...(entry.prefix === undefined ? [] : ['prefix'])],
      message: `the prefix "${prefix}" is already used by ${where(other)} ("${other.use}").`,
      fix: `give one of them another "prefix", e.g. "${prefix}-2".`,
    });
  }
  return problems;
}

/** Names offered by two mounts (with no shared prefix, as when mounted without one), or a URI the server keeps. */
function nameProblems(prepared: readonly PreparedPack[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const prefixes = new Set<string>();
  const owners = new Map<string, PreparedPack>();
  const reserved = new Set([CONFIG_RESOURCE_URI, PACKS_RESOURCE_URI]);
  for (const item of prepared) {
    const { prefix } = item.surface;
    // A shared prefix is reported once, as such, not as every name it makes collide.
    if (prefix !== null && prefixes.has(prefix)) continue;
    if (prefix !== null) prefixes.add(prefix);
    const names: [string, readonly string[]][] = [
      ['tool', item.surface.tools],
      ['prompt', item.surface.prompts],
      ['resource', item.surface.resources],
      ['resource template', item.surface.resourceTemplates],
    ];
    const clashes: string[] = [];
    for (const [kind, list] of names) {
      for (const name of list) {
        const key = `${kind}\u0000${name}`;
        const other = owners.get(key);
        if (other) clashes.push(`${kind} "${name}" is also offered by ${where(other.entry)} ("${other.entry.use}")`);
        else if (kind === 'resource' && reserved.has(name)) clashes.push(`resource "${name}" is the server's own`);
        else owners.set(key, item);
      }
    }
    if (clashes.length > 0) {
      problems.push({
        path: ['packs', item.entry.index],
        message: `name collision: ${clashes.join('; ')}.`,
        fix: 'mount one of them under a prefix (or another prefix), or exclude the tool with "tools": { "exclude": [...] }.',
      });
    }
  }
  return problems;
}
