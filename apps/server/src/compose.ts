import { createPackInstance, type LogSink, type PackInstance, verifyInputState } from '@mcp-packs/core/host';
import { McpServer } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import type { LoadedConfig } from './config/load.js';
import { type ConfigProblem, ConfigProblemsError } from './config/problems.js';
import type { TransportConfig } from './config/schema.js';
import { type DiscoverySettings, discoverySettings, searchActive } from './discovery/config.js';
import type { Embedder } from './discovery/semantic.js';
import type { Discovery } from './discovery/serve.js';
import { listTools } from './listed-tools.js';
import type { ServerLog } from './log.js';
import { mountProblems, type PreparedPack, packageImporter } from './prepare.js';
import { type Preset, resolvePresets } from './presets.js';
import { configDocument, joinInstructions, packsDocument, registerServerResources } from './server-documents.js';
import type { Telemetry } from './telemetry/otel.js';
import { VERSION } from './version.js';

export { type PreparedPack, preparePacks } from './prepare.js';
export { CONFIG_RESOURCE_URI, PACKS_RESOURCE_URI } from './server-documents.js';

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
