/**
 * Reading the config: the file (JSON with comments), `${ENV}` substitution, the schema, and paths resolved against
 * the file's directory; or the built-in default. Every problem is collected and thrown at once as a
 * {@link ConfigProblemsError}.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel } from '@mcp-packs/core';
import type { ToolTransforms } from '@mcp-packs/core/host';
import type { ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { type DiscoveryConfig, discoverySchema } from '../discovery/config.js';
import type { PackSource } from '../load-pack.js';
import { type TelemetryConfig, telemetrySchema } from '../telemetry/config.js';
import { type DefaultConfigContext, defaultConfig } from './default-config.js';
import { jsonc } from './jsonc.js';
import { isPathSpecifier, resolveConfigPath, resolvePackConfigPaths } from './paths.js';
import { type ConfigProblem, ConfigProblemsError, type ConfigSource, closest, type JsonPath } from './problems.js';
import {
  annotationsTransformSchema,
  argTransformSchema,
  configFileSchema,
  listingSchema,
  logSchema,
  ONCE,
  type PresetConfig,
  packEntrySchema,
  presetSchema,
  serverSchema,
  type TransportConfig,
  toolFilterSchema,
  toolTransformSchema,
  transportSchema,
} from './schema.js';
import { substituteDocument } from './substitute.js';

/** One pack to mount, resolved: where it comes from and how to mount it. */
export interface PackEntry {
  /** Its index in the config's `packs` (for messages: `packs[2].config`). */
  index: number;
  /** `use` as written (after substitution). */
  use: string;
  source: PackSource;
  prefix?: string | null;
  /** The pack's config, substituted, with path-like strings resolved. */
  config?: Record<string, unknown>;
  tools?: { include?: string[]; exclude?: string[] };
  /** Per-tool transforms, as written (core checks them against the pack). */
  transforms?: ToolTransforms;
  readOnly?: boolean;
  /** From the built-in default: a pack that is not installed is skipped with a warning instead of failing. */
  optional: boolean;
}

/** A config ready to compose. */
export interface LoadedConfig {
  source: ConfigSource;
  /** Package names are resolved from these directories, in order. */
  resolveFrom: string[];
  server: { name: string; instructions?: string };
  transport: TransportConfig;
  log: { level?: LogLevel; file?: string };
  /** The `discovery` section as written (absent: every tool listed). */
  discovery?: DiscoveryConfig;
  /** The `telemetry` section as written (absent: no tracing). */
  telemetry?: TelemetryConfig;
  /** The `presets` section as written, by name (absent: no presets). */
  presets?: Record<string, PresetConfig>;
  /** How tools are listed, defaults applied (`outputSchemas` false unless the config asks for them). */
  listing: { outputSchemas: boolean };
  packs: PackEntry[];
  /** The `packs[]` entries as written (all of them, disabled ones too), for the config shown to clients. */
  rawPacks: readonly unknown[];
  /** JSON paths (as `JSON.stringify(path)`) of strings that took a value from the environment → their template. */
  fromEnv: Map<string, string>;
  /**
   * Problems found so far. Loading goes on past problems confined to some entries, so that `preparePacks` reports
   * them together with the packs' own; it throws them all. Never serve a config with problems.
   */
  problems: ConfigProblem[];
  /** Notes for the log (choices the default config made). */
  warnings: string[];
}

/**
 * The directory the server's own dependencies resolve from: its package root. This code runs from
 * `src/config/load.ts`, or bundled from a file directly in `dist/` (scripts/build-package.mjs).
 */
export const SERVER_DIR: string = import.meta.url.endsWith('.ts')
  ? dirname(dirname(dirname(fileURLToPath(import.meta.url))))
  : dirname(dirname(fileURLToPath(import.meta.url)));

function shapeKeys(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape);
}

/** The keys allowed at a path of the config, for "did you mean". */
function knownKeys(path: JsonPath): string[] {
  const [first, second, third] = path;
  if (path.length === 0) return shapeKeys(configFileSchema);
  if (first === 'server' && path.length === 1) return shapeKeys(serverSchema);
  if (first === 'transport' && path.length === 1) return shapeKeys(transportSchema);
  if (first === 'log' && path.length === 1) return shapeKeys(logSchema);
  if (first === 'discovery' && path.length === 1) return shapeKeys(discoverySchema);
  if (first === 'telemetry' && path.length === 1) return shapeKeys(telemetrySchema);
  if (first === 'listing' && path.length === 1) return shapeKeys(listingSchema);
  if (first === 'packs' && typeof second === 'number' && path.length === 2) return shapeKeys(packEntrySchema);
  if (first === 'presets' && path.length === 2) return shapeKeys(presetSchema);
  if (first === 'packs' && third === 'tools' && path.length === 3) return shapeKeys(toolFilterSchema);
  if (first === 'packs' && third === 'transforms') {
    if (path.length === 4) return shapeKeys(toolTransformSchema);
    if (path.length === 5 && path[4] === 'annotations') return shapeKeys(annotationsTransformSchema);
    if (path.length === 6 && path[4] === 'args') return shapeKeys(argTransformSchema);
  }
  return [];
}

function schemaProblems(error: z.ZodError): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(path);
      for (const key of issue.keys) {
        const guess = closest(key, known);
        problems.push({
          path: [...path, key],
          message: `unknown key "${key}".`,
          fix: guess
            ? `did you mean "${guess}"?`
            : `remove it; the keys allowed here are ${known.map((k) => `"${k}"`).join(', ')}.`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_key') {
      const reasons = issue.issues.map((inner) => inner.message).join('; ');
      problems.push({
        path,
        message: `the name ${JSON.stringify(path[path.length - 1])} is not allowed here: ${reasons}.`,
        fix: fixFor(path, issue),
      });
      continue;
    }
    problems.push({ path, message: `${issue.message}.`, fix: fixFor(path, issue) });
  }
  return problems;
}

function fixFor(path: JsonPath, issue: z.core.$ZodIssue): string | undefined {
  const last = path[path.length - 1];
  if (path.length === 0 || (path.length === 1 && last === 'packs' && issue.code === 'invalid_type')) {
    return 'the config is an object with a "packs" array, e.g. { "packs": [{ "use": "@mcp-packs/math" }] }.';
  }
  if (path[0] === 'presets' && path.length === 2 && issue.code === 'invalid_key') {
    return 'name it with lower-case letters, digits and hyphens, starting with a letter: the name becomes the HTTP path <transport.path>/<name> and `mcp-packs --preset <name>`.';
  }
  if (last === 'prefix') return 'use lower-case letters, digits and hyphens, starting with a letter (or null).';
  if ((last === 'headersTimeoutSeconds' || last === 'requestTimeoutSeconds') && issue.code === 'custom') {
    return 'make headersTimeoutSeconds at most requestTimeoutSeconds (e.g. 10 and 60).';
  }
  if (last === 'token')
    return `use a long random value, e.g. from \`openssl rand -base64 32\`, via \${MCP_PACKS_TOKEN}.`;
  return undefined;
}

function parseJsonc(source: ConfigSource): { value: unknown; problems: ConfigProblem[] } {
  const { getNodeValue, parseTree, printParseErrorCode } = jsonc();
  const errors: ParseError[] = [];
  const tree = parseTree(source.text ?? '', errors, { allowTrailingComma: true, disallowComments: false });
  source.tree = tree;
  const problems = errors.map((error) => ({
    path: [],
    offset: error.offset,
    message: `syntax error: ${printParseErrorCode(error.error)}.`,
    fix: 'fix the JSON at this place (comments and trailing commas are allowed).',
  }));
  return { value: tree ? getNodeValue(tree) : undefined, problems };
}

function packSource(use: string, baseDir: string): PackSource {
  return isPathSpecifier(use)
    ? { kind: 'path', path: resolveConfigPath(use, baseDir) }
    : { kind: 'package', name: use };
}

/**
 * Read and check a config file: JSONC, `${ENV}` substitution, the schema, paths. Throws
 * {@link ConfigProblemsError} when the file cannot be read or parsed or has no `packs` array; other problems are
 * returned in `problems` (and thrown by `preparePacks`, with the packs' own).
 */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const path = resolve(file);
  const source: ConfigSource = { file: path };
  try {
    source.text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ConfigProblemsError(source, [
      {
        path: [],
        message:
          code === 'ENOENT'
            ? 'the config file does not exist.'
            : `the config file cannot be read: ${(error as Error).message}`,
        fix: code === 'ENOENT' ? 'check the path given to --config (or MCP_PACKS_CONFIG).' : undefined,
      },
    ]);
  }
  const parsed = parseJsonc(source);
  if (parsed.problems.length > 0) throw new ConfigProblemsError(source, parsed.problems);
  const substituted = substituteDocument(parsed.value, env);
  const checked = configFileSchema.safeParse(substituted.value, ONCE);
  const problems = [...substituted.problems, ...(checked.success ? [] : schemaProblems(checked.error))];
  const document = substituted.value as { packs?: unknown; server?: unknown; transport?: unknown; log?: unknown };
  const rawPacks = document?.packs;
  // Without an object holding a packs array there is nothing more to check; otherwise go on, so that the packs'
  // own problems are reported together with these.
  if (!checked.success && (typeof document !== 'object' || document === null || !Array.isArray(rawPacks))) {
    throw new ConfigProblemsError(source, problems);
  }
  const entries = checked.success
    ? checked.data.packs
    : (rawPacks as unknown[]).map((raw, index) => {
        const entry = packEntrySchema.safeParse(raw, ONCE);
        const substitutionFailed = substituted.problems.some((p) => p.path[0] === 'packs' && p.path[1] === index);
        return entry.success && !substitutionFailed ? entry.data : undefined;
      });
  const section = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
    const result = schema.safeParse(value, ONCE);
    return result.success ? result.data : undefined;
  };
  const server = checked.success ? checked.data.server : section(serverSchema, document.server);
  const log = checked.success ? checked.data.log : section(logSchema, document.log);
  const discovery = checked.success
    ? checked.data.discovery
    : section(discoverySchema, (document as { discovery?: unknown }).discovery);
  const telemetry = checked.success
    ? checked.data.telemetry
    : section(telemetrySchema, (document as { telemetry?: unknown }).telemetry);
  const presets = checked.success
    ? checked.data.presets
    : section(configFileSchema.shape.presets, (document as { presets?: unknown }).presets);
  const transport = (checked.success ? checked.data.transport : section(transportSchema, document.transport)) ?? {};
  const listing = checked.success
    ? checked.data.listing
    : section(listingSchema, (document as { listing?: unknown }).listing);

  const baseDir = dirname(path);
  const packs: PackEntry[] = [];
  entries.forEach((entry, index) => {
    if (entry === undefined || entry.enabled === false) return;
    packs.push({
      index,
      use: entry.use,
      source: packSource(entry.use, baseDir),
      ...(entry.prefix === undefined ? {} : { prefix: entry.prefix }),
      ...(entry.config === undefined ? {} : { config: resolvePackConfigPaths(entry.config, baseDir) as never }),
      ...(entry.tools === undefined ? {} : { tools: entry.tools }),
      ...(entry.transforms === undefined ? {} : { transforms: entry.transforms as ToolTransforms }),
      ...(entry.readOnly === undefined ? {} : { readOnly: entry.readOnly }),
      optional: false,
    });
  });
  return {
    source,
    resolveFrom: [baseDir, SERVER_DIR],
    server: { name: server?.name ?? 'mcp-packs', ...optional('instructions', server?.instructions) },
    transport: transportSchema.parse(transport, ONCE),
    log: {
      ...optional('level', log?.level),
      ...optional('file', log?.file === undefined ? undefined : resolveConfigPath(log.file, baseDir)),
    },
    ...optional('discovery', discovery),
    ...optional('telemetry', telemetry),
    ...optional('presets', presets),
    listing: { outputSchemas: listing?.outputSchemas ?? false },
    packs,
    rawPacks: rawPacks as unknown[],
    fromEnv: substituted.fromEnv,
    problems,
    warnings: [],
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The built-in default config (see `default-config.ts`): packs resolved from the server's own dependencies. */
export function loadDefaultConfig(context: DefaultConfigContext = {}): LoadedConfig {
  const { packs, warnings } = defaultConfig(context);
  return {
    source: { file: undefined },
    resolveFrom: [SERVER_DIR],
    server: { name: 'mcp-packs' },
    transport: transportSchema.parse({}, ONCE),
    log: {},
    listing: { outputSchemas: false },
    packs: packs.map((entry, index) => ({
      index,
      use: entry.use,
      source: { kind: 'package', name: entry.use },
      ...(entry.prefix === undefined ? {} : { prefix: entry.prefix }),
      ...(entry.config === undefined ? {} : { config: entry.config }),
      optional: true,
    })),
    rawPacks: packs,
    fromEnv: new Map(),
    problems: [],
    warnings,
  };
}
