/**
 * Composition: from a loaded config to packs set up once, and a factory of `McpServer`s with every pack attached
 * (one server for stdio; one per session, or per request, for HTTP). Two steps, so `check` and startup find every
 * problem before anything runs:
 *
 * 1. {@link preparePacks}: load each module, check each mount (`describeMount`: config, names, filters) and the
 *    mounts against each other (prefixes, names). Runs no pack code but its module's top level.
 * 2. {@link compose}: run each pack's `setup` once (`createPackInstance`). A failure closes what was set up.
 */
import { type AnyPack, isConfigError, isPackError, type ToolAnnotations } from '@mcp-packs/core';
import {
  createPackInstance,
  describeMount,
  type LogSink,
  type MountSurface,
  type PackInstance,
  type PlanOptions,
  TAGS_META_KEY,
  verifyInputState,
} from '@mcp-packs/core/host';
import type { Tool } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import type { LoadedConfig, PackEntry } from './config/load.js';
import { type ConfigProblem, ConfigProblemsError, closest, parsePath } from './config/problems.js';
import { DEFAULT_HTTP_PATH, ONCE, type TransportConfig } from './config/schema.js';
import { type DiscoverySettings, discoverySettings, searchActive } from './discovery/config.js';
import type { Embedder } from './discovery/semantic.js';
import type { Discovery } from './discovery/serve.js';
import { listTools } from './listed-tools.js';
import { findPackage, loadPack } from './load-pack.js';
import type { ServerLog } from './log.js';
import { type Preset, presetProblems, resolvePresets } from './presets.js';
import { redactConfig } from './redact.js';
import type { Telemetry } from './telemetry/otel.js';
import { VERSION } from './version.js';

/** URI of the server's own resource with its effective config (secrets redacted). */
export const CONFIG_RESOURCE_URI = 'mcp-packs://server/config';
/** URI of the server's own resource listing the mounted packs. */
export const PACKS_RESOURCE_URI = 'mcp-packs://server/packs';

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
      if (which !== undefined)
        return `give a value the parameter "${String(param)}" accepts (its type is in the pack's README).`;
      if (param !== undefined)
        return 'name a parameter of the tool (listed above), with { "fixed": value } or { "default": value }.';
      return 'give args as { "<parameter>": { "fixed": value } } or { "<parameter>": { "default": value } }.';
    case 'annotations':
      return `remove "${String(param)}" here${param === 'readOnlyHint' ? ', or set it to false' : param === 'destructiveHint' || param === 'openWorldHint' ? ', or set it to true' : ''}.`;
    default:
      return `check the transform against the tools of "${entry.use}" as \`mcp-packs list\` and its README show them.`;
  }
}

/** Turn a core error about one entry into problems with JSON paths. */
function mountProblems(entry: PackEntry, error: unknown, pack?: AnyPack): ConfigProblem[] {
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

/** Tools named in `discovery.list` that no pack offers; a semantic ranker whose packages are not installed. */
/** Tracing needs the OpenTelemetry packages (optional peers): each one missing is a problem, with the install. */
async function telemetryProblems(loaded: LoadedConfig): Promise<ConfigProblem[]> {
  if (!loaded.telemetry) return [];
  const { TELEMETRY_PACKAGES } = await import('./telemetry/config.js');
  const missing: string[] = [];
  for (const name of TELEMETRY_PACKAGES) {
    if ((await findPackage(name, loaded.resolveFrom).catch(() => undefined)) === undefined) missing.push(name);
  }
  if (missing.length === 0) return [];
  const first = loaded.resolveFrom[0] ?? process.cwd();
  return [
    {
      path: ['telemetry'],
      message: `tracing needs the OpenTelemetry packages, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed.`,
      fix: `install them (cd ${JSON.stringify(first)} && npm install ${TELEMETRY_PACKAGES.join(' ')}), or remove "telemetry".`,
    },
  ];
}

/** Import a package the way the config's packs are found (the config's directory, then the server's). */
function packageImporter(loaded: LoadedConfig) {
  return async (specifier: string): Promise<Record<string, unknown>> => {
    const url = await findPackage(specifier, loaded.resolveFrom);
    if (!url) throw new Error(`${specifier} is not installed`);
    return (await import(url.href)) as Record<string, unknown>;
  };
}

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
    const missing: string[] = [];
    for (const name of SEMANTIC_PACKAGES) {
      if ((await findPackage(name, loaded.resolveFrom).catch(() => undefined)) === undefined) missing.push(name);
    }
    if (missing.length > 0) {
      const first = loaded.resolveFrom[0] ?? process.cwd();
      problems.push({
        path: ['discovery', 'ranker'],
        message: `the ${settings.ranker} ranker needs a local embedding model, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed.`,
        fix: `install them (cd ${JSON.stringify(first)} && npm install ${SEMANTIC_PACKAGES.join(' ')}), or use "ranker": "bm25".`,
      });
    }
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

/** A protocol server with every pack attached, for one connection (stdio) or one HTTP session or request. */
export interface ComposedServer {
  readonly server: McpServer;
  /** Detach the packs (their instances live on) and close the server and its transport. Idempotent. */
  close(): Promise<void>;
}

/**
 * How long a 2026-era client may reuse a list or the discovery answer (`ttlMs`, `cacheScope`). What a composition
 * offers is fixed while it runs, and the same for every client of an endpoint (the spec asks that lists not vary
 * per connection); a restart with another config may change it, so a minute. `private`: the endpoint sits behind a
 * token, so a shared cache must not hand its lists to others.
 */
const CACHE_HINTS = {
  'tools/list': { ttlMs: 60_000, cacheScope: 'private' },
  'prompts/list': { ttlMs: 60_000, cacheScope: 'private' },
  'resources/list': { ttlMs: 60_000, cacheScope: 'private' },
  'resources/templates/list': { ttlMs: 60_000, cacheScope: 'private' },
  'server/discover': { ttlMs: 60_000, cacheScope: 'private' },
} as const;

/** The validator a server checks answers to questions with (the SDK names the type but does not export it). */
type SchemaValidator = NonNullable<NonNullable<ConstructorParameters<typeof McpServer>[1]>['jsonSchemaValidator']>;

/** A mounted pack: what it is and its live instance. */
export interface Mount {
  readonly prepared: PreparedPack;
  readonly instance: PackInstance;
}

/** Packs set up once, and a factory of servers that offer them. */
export interface Composition {
  readonly name: string;
  readonly instructions: string | undefined;
  readonly mounts: readonly Mount[];
  /** The config shown to clients (`mcp-packs://server/config`): defaults applied, secrets redacted. */
  readonly configDocument: unknown;
  /** What `mcp-packs://server/packs` shows at an endpoint (worked out on first use, then kept). */
  packsDocument(preset?: string): Promise<unknown>;
  /** How tools are found at the main endpoint: `active` when only search_tools and call_tool (and `list`) are listed. */
  readonly discovery: DiscoverySettings & { readonly active: boolean };
  /** The search behind search_tools at the main endpoint when `discovery.active` (for tests and benchmarks). */
  readonly search: Discovery | undefined;
  /** The presets of the config, each served at an endpoint of its own. */
  readonly presets: readonly Preset[];
  /** The main endpoint (no name), or a preset's; throws for a name that is not a preset. */
  endpoint(preset?: string): Endpoint;
  /**
   * A new `McpServer` with every pack attached (with only the preset's tools, for a preset) and the server's own
   * resources. Cheap: no pack setup runs.
   */
  createServer(preset?: string): ComposedServer;
  /** Close every pack instance: abort calls in flight, wait for them (bounded), run each `onClose` once. */
  close(): Promise<void>;
}

/**
 * One endpoint of a composition: the main one serves every tool, a preset's only the preset's. Each lists the same
 * tools to every client, and finds tools its own way: search mode (when on) searches only the endpoint's tools.
 */
export interface Endpoint {
  /** The preset, or `undefined` for the main endpoint. */
  readonly preset: Preset | undefined;
  /** Final names of the tools it serves. */
  readonly tools: readonly string[];
  readonly instructions: string | undefined;
  /** Whether only search_tools and call_tool (and `discovery.list`'s tools that it serves) are listed here. */
  readonly searching: boolean;
  readonly search: Discovery | undefined;
}

/** Options of {@link compose}. */
export interface ComposeOptions {
  /** Where pack logs go. */
  logSink: LogSink;
  /** The transport as it will run (CLI overrides applied), for the config shown to clients. */
  transport?: TransportConfig;
  /** How long closing waits for calls in flight, after aborting them. Default 3000 ms. */
  closeTimeoutMs?: number;
  /** The server's log, for what search mode has to say (a ranker that could not start). */
  log?: ServerLog;
  /** The secret every pack derives the keys of state sent through clients from (replicas share it). */
  secret?: string;
}

function joinInstructions(
  loaded: LoadedConfig,
  prepared: readonly PreparedPack[],
  preset: Preset | undefined,
): string | undefined {
  const parts: string[] = [];
  if (loaded.server.instructions) parts.push(loaded.server.instructions.trim());
  if (preset?.description) parts.push(`## Preset "${preset.name}"\n${preset.description.trim()}`);
  const served = preset === undefined ? undefined : new Set(preset.tools);
  for (const { pack, surface } of prepared) {
    if (!surface.instructions) continue;
    // A pack none of whose tools the preset serves has nothing to say here (one with no tools still may).
    if (served && surface.tools.length > 0 && !surface.tools.some((tool) => served.has(tool))) continue;
    const label = surface.prefix === null ? pack.name : `${pack.name} (tools ${surface.prefix}_*)`;
    parts.push(`## ${label}\n${surface.instructions.trim()}`);
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** One tool as `mcp-packs://server/packs` shows it. */
interface DocumentedTool {
  name: string;
  title?: string;
  annotations: ToolAnnotations;
  tags?: string[];
}

/** The document behind `mcp-packs://server/packs`, from the tools as they are listed (transforms applied). */
function packsDocument(mounts: readonly Mount[], listed: readonly Tool[], preset: Preset | undefined): unknown {
  const byName = new Map(listed.map((tool) => [tool.name, tool]));
  return {
    ...(preset === undefined ? {} : { preset: preset.name }),
    packs: mounts.map(({ prepared: item, instance }) => ({
      use: item.entry.use,
      name: item.pack.name,
      version: item.version ?? null,
      description: item.pack.description,
      prefix: item.surface.prefix,
      readOnly: item.entry.readOnly ?? false,
      tools: instance.tools.flatMap((name): DocumentedTool[] => {
        const tool = byName.get(name);
        if (!tool) return [];
        const tags = tool._meta?.[TAGS_META_KEY];
        return [
          {
            name,
            ...(tool.title === undefined ? {} : { title: tool.title }),
            annotations: (tool.annotations ?? {}) as ToolAnnotations,
            ...(Array.isArray(tags) ? { tags: tags as string[] } : {}),
          },
        ];
      }),
      resources: item.surface.resources,
      resourceTemplates: item.surface.resourceTemplates,
      prompts: item.surface.prompts,
    })),
  };
}

/** The document behind `mcp-packs://server/config`: the effective config, defaults applied, secrets redacted. */
function configDocument(
  loaded: LoadedConfig,
  prepared: readonly PreparedPack[],
  transport: TransportConfig,
  discovery: Composition['discovery'],
): unknown {
  const byIndex = new Map(prepared.map((item) => [item.entry.index, item]));
  const packs = loaded.rawPacks.map((raw, index) => {
    const item = byIndex.get(index);
    const written = raw as Record<string, unknown>;
    // Disabled in the file, or a default pack that is not installed.
    if (!item) return { ...written, mounted: false };
    const parsed = item.pack.configSchema?.safeParse(item.entry.config ?? {}, ONCE);
    return {
      use: item.entry.use,
      prefix: item.surface.prefix,
      ...(item.entry.tools === undefined ? {} : { tools: item.entry.tools }),
      ...(item.entry.transforms === undefined ? {} : { transforms: item.entry.transforms }),
      readOnly: item.entry.readOnly ?? false,
      config: parsed?.success ? parsed.data : (item.entry.config ?? {}),
    };
  });
  const document = {
    source: loaded.source.file ?? 'built-in default',
    server: { name: loaded.server.name, ...(loaded.server.instructions ? { instructions: '(set)' } : {}) },
    transport: transport.type === 'stdio' ? { type: 'stdio' } : transport,
    discovery,
    listing: loaded.listing,
    packs,
    ...(loaded.presets === undefined ? {} : { presets: loaded.presets }),
  };
  return redactConfig(document, loaded.fromEnv);
}

function registerServerResources(server: McpServer, composition: Composition, preset: string | undefined): void {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const config = json(composition.configDocument);
  server.registerResource(
    'server_config',
    CONFIG_RESOURCE_URI,
    {
      title: 'Server config',
      description: 'The effective config of this mcp-packs server: defaults applied, secrets redacted.',
      mimeType: 'application/json',
    },
    () => ({ contents: [{ uri: CONFIG_RESOURCE_URI, mimeType: 'application/json', text: config }] }),
  );
  server.registerResource(
    'server_packs',
    PACKS_RESOURCE_URI,
    {
      title: 'Mounted packs',
      description: 'Each mounted pack: version, prefix, tools with their annotations, resources and prompts.',
      mimeType: 'application/json',
    },
    async () => ({
      contents: [
        { uri: PACKS_RESOURCE_URI, mimeType: 'application/json', text: json(await composition.packsDocument(preset)) },
      ],
    }),
  );
}

/**
 * Set up every prepared pack once. Throws {@link ConfigProblemsError} when any setup fails, after closing those
 * that succeeded: no partial server.
 */
export async function compose(
  loaded: LoadedConfig,
  prepared: readonly PreparedPack[],
  options: ComposeOptions,
): Promise<Composition> {
  let telemetry: Telemetry | undefined;
  if (loaded.telemetry) {
    const { startTelemetry } = await import('./telemetry/otel.js');
    telemetry = await startTelemetry(loaded.telemetry, packageImporter(loaded), VERSION);
  }
  const settled = await Promise.allSettled(
    prepared.map((item) =>
      createPackInstance(item.pack, {
        ...item.options,
        logSink: options.logSink,
        closeTimeoutMs: options.closeTimeoutMs ?? 3000,
        ...(options.secret === undefined ? {} : { secret: options.secret }),
        ...(telemetry ? { observer: telemetry.observer } : {}),
      }),
    ),
  );
  const problems: ConfigProblem[] = [];
  const mounts: Mount[] = [];
  settled.forEach((result, i) => {
    const item = prepared[i] as PreparedPack;
    if (result.status === 'fulfilled') mounts.push({ prepared: item, instance: result.value });
    else problems.push(...mountProblems(item.entry, result.reason, item.pack));
  });
  if (problems.length > 0) {
    await Promise.all(mounts.map((mount) => mount.instance.close()));
    await telemetry?.shutdown().catch(() => {});
    throw new ConfigProblemsError(loaded.source, problems);
  }

  const settings = discoverySettings(loaded.discovery);
  const offered = prepared.flatMap((item) => item.surface.tools);
  const presets = resolvePresets(loaded.presets, offered);
  const endpoints = new Map<string | undefined, Endpoint>();
  // One embedding model for every endpoint that ranks semantically (it is ~130 MB), loaded on the first search.
  let embedder: Promise<Embedder> | undefined;
  const loadEmbedder = async (): Promise<Embedder> => {
    const { loadUniversalSentenceEncoder } = await import('./discovery/semantic.js');
    embedder ??= loadUniversalSentenceEncoder(packageImporter(loaded));
    embedder.catch(() => {
      embedder = undefined;
    });
    return embedder;
  };
  for (const preset of [undefined, ...presets]) {
    const tools = preset?.tools ?? offered;
    const served = new Set(tools);
    // `discovery.list` names tools of the whole server: an endpoint lists those it serves.
    const own = { ...settings, list: settings.list.filter((name) => served.has(name)) };
    const searching = searchActive(own, tools.length);
    let search: Discovery | undefined;
    if (searching) {
      const { createDiscovery } = await import('./discovery/serve.js');
      search = createDiscovery({
        settings: own,
        toolCount: tools.length,
        importPackage: packageImporter(loaded),
        loadEmbedder,
        log: options.log,
      });
    }
    const joined = joinInstructions(loaded, prepared, preset);
    const instructions = search ? [joined, search.instructions].filter(Boolean).join('\n\n') : joined;
    endpoints.set(preset?.name, { preset, tools, instructions, searching, search });
  }
  const main = endpoints.get(undefined) as Endpoint;
  const endpointOf = (preset: string | undefined): Endpoint => {
    const endpoint = endpoints.get(preset);
    if (!endpoint) throw new Error(`no preset "${preset}" in this composition`);
    return endpoint;
  };
  const discovery = { ...settings, active: main.searching };
  // Every SDK server builds its own Ajv instance unless given a validator (about 0.7 ms, paid by every 2026-era
  // request, which gets a server of its own); the servers of a composition share one, created on first use (only
  // answers to questions to the user are checked with it).
  let ajv: AjvJsonSchemaValidator | undefined;
  const validator: SchemaValidator = {
    getValidator: (schema) => {
      ajv ??= new AjvJsonSchemaValidator();
      return ajv.getValidator(schema);
    },
  };
  let closing: Promise<void> | undefined;
  const documented = new Map<string | undefined, Promise<unknown>>();
  const composition: Composition = {
    name: loaded.server.name,
    instructions: main.instructions,
    mounts,
    configDocument: configDocument(loaded, prepared, options.transport ?? loaded.transport, discovery),
    packsDocument(name) {
      const { preset } = endpointOf(name);
      let document = documented.get(name);
      if (!document) {
        document = listTools(
          mounts.map((mount) => mount.instance),
          preset?.tools,
        ).then((listed) => packsDocument(mounts, listed, preset));
        document.catch(() => documented.delete(name));
        documented.set(name, document);
      }
      return document;
    },
    discovery,
    search: main.search,
    presets,
    endpoint: endpointOf,
    createServer(name) {
      const { preset, search, instructions } = endpointOf(name);
      const server = new McpServer(
        { name: loaded.server.name, version: VERSION },
        {
          // Declared up front, so a composition without tools (or prompts) answers its lists with empty ones. In
          // search mode the SDK adds `tools` with the first tool, which is when search takes over its tool handlers.
          capabilities: {
            logging: {},
            ...(search ? {} : { tools: { listChanged: true } }),
            resources: { listChanged: true },
            prompts: {},
          },
          jsonSchemaValidator: validator,
          cacheHints: CACHE_HINTS,
          // Request state a 2026-era client sends back must be what a pack instance here sealed (SEP-2322).
          requestState: { verify: verifyInputState },
          // Packs detach tool by tool (at shutdown, say): one list_changed per list and tick, not one per item.
          debouncedNotificationMethods: [
            'notifications/tools/list_changed',
            'notifications/resources/list_changed',
            'notifications/prompts/list_changed',
          ],
          ...(instructions === undefined ? {} : { instructions }),
        },
      );
      const attachments: { detach(): void }[] = [];
      try {
        const searching = search?.prepare(server);
        for (const mount of mounts) {
          attachments.push(mount.instance.attach(server, preset === undefined ? undefined : { tools: preset.tools }));
        }
        searching?.finish();
        registerServerResources(server, composition, name);
      } catch (error) {
        for (const attachment of attachments) attachment.detach();
        throw error;
      }
      let closed: Promise<void> | undefined;
      return {
        server,
        close() {
          closed ??= (async () => {
            // Close first: detaching from a connected server would send list_changed notifications for nothing.
            await server.close();
            for (const attachment of attachments) attachment.detach();
          })();
          return closed;
        },
      };
    },
    close() {
      // Spans of the calls that close ends are exported after them, then tracing stops.
      closing ??= Promise.all(mounts.map((mount) => mount.instance.close()))
        .then(() => telemetry?.shutdown())
        .catch((error: unknown) => options.log?.warning(`exporting the last spans failed: ${String(error)}`))
        .then(() => undefined);
      return closing;
    },
  };
  return composition;
}
