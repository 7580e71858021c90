/**
 * Mounting: turning a pack into registrations on an `McpServer`, of either major of the official SDK. This file
 * holds instances and attachments; registry.ts the names each server has taken (collisions); sdk/load.ts picks and
 * loads the adapter of the server's SDK (sdk/v2.ts, sdk/v1.ts: the only files that import an SDK's server API).
 *
 * A pack is instantiated once (`createPackInstance`: config, setup, services) and attached to one server or to
 * many (`instance.attach(server)`: registrations only), as a 2026-era HTTP endpoint builds a fresh `McpServer` per
 * request. `mountPack` does both for the common case of one server.
 */
import { clientLogData, createHandlers, createLogger, type ServingState } from './calls.js';
import { isConfigError, isPackError, PackError } from './errors.js';
import { InputSealer, type InputStateOptions } from './input.js';
import { createStderrSink, type Logger, type LogSink } from './log.js';
import { finalName } from './naming.js';
import type { CallObserver } from './observe.js';
import type { AnyPack, PackConfigInput, PackServices, SetupContext } from './pack.js';
import { type MountPlan, type PlanOptions, planMount } from './plan.js';
import { collisionError, collisions, serverState } from './registry.js';
import { adapterFor, loadAdapter, type McpServerLike, sdkOf } from './sdk/load.js';
import type { Registration, SdkAdapter } from './sdk/port.js';
import { createKeyDeriver, type HostSecret } from './secret.js';
import { type AttachOptions, handlersFor, planFor } from './subset.js';

export type { McpServerLike };

/** Options of {@link createPackInstance}. */
export interface InstanceOptions<CIn = unknown> extends PlanOptions<CIn> {
  /** Where server-side logs go. Default: warnings and errors to stderr (never stdout). */
  logSink?: LogSink;
  /**
   * How long `close()` waits for calls still running (after aborting their signals) before running the pack's
   * cleanups. Default 5000 ms.
   */
  closeTimeoutMs?: number;
  /**
   * Which SDK major the instance will be attached to (`createPackInstance` loads its adapter; `mountPack` finds out
   * from the server). Default `'v2'`.
   */
  sdk?: 'v1' | 'v2';
  /**
   * Told when each tool call starts and how it ended (names, `_meta` and outcome; never arguments or results): for
   * tracing, metrics or audit. Default: none, at no cost.
   */
  observer?: CallObserver;
  /** How questions to the user (`call.elicit`) are sealed across rounds in the 2026 era: see input.ts. */
  inputState?: InputStateOptions;
  /**
   * The host's secret for state that travels through clients (at least 32 bytes): request state and the pack's own
   * cursors get keys derived from it per mount and purpose (`SetupContext.deriveKey`). Give every replica behind a
   * load balancer the same one. Default: random keys per process. `inputState.key`, when given, wins for input state.
   */
  secret?: HostSecret;
}

/** How to mount a pack: what it offers ({@link PlanOptions}) and how it runs ({@link InstanceOptions}). */
export type MountOptions<CIn = unknown> = InstanceOptions<CIn>;

/** What a mount offers, by final name. */
export interface MountSurface {
  /** The pack's name. */
  readonly name: string;
  /** The prefix it is mounted under, or `null`. */
  readonly prefix: string | null;
  /** The pack's instructions for the model, for the host to join into its server instructions. */
  readonly instructions: string | undefined;
  /** Final names of the tools. */
  readonly tools: readonly string[];
  /** Final names of the prompts. */
  readonly prompts: readonly string[];
  /** Final URIs of the fixed resources. */
  readonly resources: readonly string[];
  /** Final URI templates of the resource templates. */
  readonly resourceTemplates: readonly string[];
}

/** The registrations of a pack instance on one server. */
export interface Attachment {
  /** Unregister from this server (the instance and its services live on). Safe to call more than once. */
  detach(): void;
}

/**
 * A pack set up once, ready to attach to any number of servers. Its services are shared by every attachment; its
 * cleanups run once, on `close()`.
 */
export interface PackInstance<S = unknown> extends MountSurface {
  /** What the pack's `setup()` returned. */
  readonly services: S;
  /** The validated config the pack was set up with (schema defaults applied). */
  readonly config: unknown;
  /**
   * Register the pack's tools, resources, templates and prompts on `server`. Throws `PackError`
   * (`name_collision`, naming both owners) before registering anything when a name is taken on that server.
   * `options.tools` attaches only those tools (final names), for endpoints that serve a subset.
   */
  attach(server: McpServerLike, options?: AttachOptions): Attachment;
  /**
   * Detach from every server, abort calls still running and wait for them (bounded by `closeTimeoutMs`), then run
   * the pack's `onClose` cleanups once each, last registered first. Safe to call more than once.
   */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A pack mounted on one server: what it registered, and how to take it down. */
export interface MountedPack<S = unknown> extends MountSurface {
  /** What the pack's `setup()` returned. */
  readonly services: S;
  /** Unregister, abort calls still running, run the pack's cleanups once. Safe to call more than once. */
  close(): Promise<void>;
  /** Same as {@link MountedPack.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Instances and mounts

interface InstanceState extends ServingState {
  /** The servers attached now, with the adapter of each. */
  readonly servers: Map<McpServerLike, SdkAdapter>;
}

/** The instance's own logger (setup, background work): server sink, plus the clients of attached servers. */
function instanceLogger(state: InstanceState): Logger {
  const source = state.plan.source;
  return createLogger((level, message, data) => {
    state.sink({ level, source, message, data });
    for (const [server, adapter] of state.servers) {
      adapter.broadcastLog(server, level, source, clientLogData(message, data));
    }
  });
}

async function instantiate(plan: MountPlan, options: InstanceOptions): Promise<PackInstance> {
  const deriveKey = createKeyDeriver(options.secret, `${plan.pack.name}:${plan.prefix ?? ''}`);
  const inputState =
    options.secret === undefined || options.inputState?.key !== undefined
      ? options.inputState
      : { ...options.inputState, key: deriveKey('input-state') };
  const state: InstanceState = {
    plan,
    sink: options.logSink ?? createStderrSink(),
    controller: new AbortController(),
    sealer: new InputSealer(inputState),
    active: 0,
    onIdle: undefined,
    servers: new Map(),
    services: undefined,
    observer: options.observer,
  };
  const cleanups: (() => void | Promise<void>)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        state.sink({ level: 'error', source: plan.source, message: 'an onClose cleanup failed', error });
      }
    }
  };

  const { pack } = plan;
  if (pack.setup) {
    const context: SetupContext<unknown> = {
      config: plan.config,
      log: instanceLogger(state),
      signal: state.controller.signal,
      name: pack.name,
      prefix: plan.prefix,
      configPath: plan.configPath,
      deriveKey,
      onClose: (cleanup) => {
        cleanups.push(cleanup);
      },
    };
    try {
      state.services = await (pack.setup as (context: SetupContext<unknown>) => unknown)(context);
    } catch (error) {
      state.controller.abort();
      await runCleanups();
      if (isConfigError(error) || isPackError(error)) throw error;
      throw new PackError(`Setup of ${plan.owner} failed: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'setup_failed',
        pack: pack.name,
        cause: error,
      });
    }
  }

  const detachers = new Set<() => void>();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Abort and let calls in flight answer (cancelled) while their tools are still registered, then detach.
      state.controller.abort();
      if (state.active > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          state.onIdle = resolve;
          timer = setTimeout(resolve, options.closeTimeoutMs ?? 5000);
        });
        clearTimeout(timer);
        state.onIdle = undefined;
      }
      for (const detach of [...detachers]) detach();
      state.sealer.dispose();
      await runCleanups();
    })();
    return closing;
  };

  let handlers: ReturnType<typeof createHandlers> | undefined;
  const attach = (server: McpServerLike, attachOptions?: AttachOptions): Attachment => {
    const view = planFor(plan, attachOptions);
    if (closing) {
      throw new PackError(`Cannot attach ${plan.owner}: it is closed.`, { code: 'closed', pack: pack.name });
    }
    const adapter = adapterFor(server, plan.owner, pack.name);
    const problems = collisions(server, view);
    if (problems.length > 0) throw collisionError(plan, problems);
    handlers ??= createHandlers(state);
    let registered: Registration[];
    try {
      registered = adapter.register(server, handlersFor(handlers, view));
    } catch (error) {
      // A name registered on the server outside mcp-packs (the adapter undid its own registrations): report it.
      throw collisionError(
        plan,
        [`${error instanceof Error ? error.message : String(error)} (registered outside mcp-packs)`],
        error,
      );
    }
    const registry = serverState(server);
    if (!registry.prepared) {
      registry.prepared = true;
      adapter.prepareServer(server);
    }
    for (const { name } of view.tools) registry.tools.set(name, plan.owner);
    for (const { name } of plan.prompts) registry.prompts.set(name, plan.owner);
    for (const { uri } of plan.resources) registry.resources.set(uri, plan.owner);
    for (const { uriTemplate } of plan.templates) registry.templates.set(uriTemplate, plan.owner);
    state.servers.set(server, adapter);
    let detached = false;
    const detach = () => {
      if (detached) return;
      detached = true;
      detachers.delete(detach);
      state.servers.delete(server);
      for (const item of registered) item.remove();
      for (const { name } of view.tools) registry.tools.delete(name);
      for (const { name } of plan.prompts) registry.prompts.delete(name);
      for (const { uri } of plan.resources) registry.resources.delete(uri);
      for (const { uriTemplate } of plan.templates) registry.templates.delete(uriTemplate);
    };
    detachers.add(detach);
    // A closed server (a 2026-era request served, a session ended) lets go of the instance by itself.
    adapter.onClose(server, detach);
    return { detach };
  };

  return {
    ...surface(plan),
    services: state.services,
    config: plan.config,
    attach,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The pack's instructions for this mount: its text, or what its function writes for the tools the mount offers. */
function instructionsFor(plan: MountPlan): string | undefined {
  const { instructions } = plan.pack;
  if (typeof instructions !== 'function') return instructions;
  const offered = new Map(plan.tools.map(({ key, name }) => [key, name]));
  const text = instructions({
    has: (key) => offered.has(key),
    name: (key) => offered.get(key) ?? finalName(plan.prefix, key),
  });
  return text?.trim() ? text.trim() : undefined;
}

function surface(plan: MountPlan): MountSurface {
  return {
    name: plan.pack.name,
    prefix: plan.prefix,
    instructions: instructionsFor(plan),
    tools: plan.tools.map(({ name }) => name),
    prompts: plan.prompts.map(({ name }) => name),
    resources: plan.resources.map(({ uri }) => uri),
    resourceTemplates: plan.templates.map(({ uriTemplate }) => uriTemplate),
  };
}

/**
 * Set a pack up once, without a server: validate its config, check its names, run its `setup`. Attach the result
 * to as many servers as you need (one per stateless HTTP request, say); close it once. Throws what `mountPack`
 * throws, except collisions, which `attach` reports per server.
 */
export async function createPackInstance<P extends AnyPack>(
  pack: P,
  options: InstanceOptions<PackConfigInput<P>> = {},
): Promise<PackInstance<PackServices<P>>> {
  const plan = planMount(pack, options);
  await loadAdapter(options.sdk ?? 'v2');
  return (await instantiate(plan, options)) as PackInstance<PackServices<P>>;
}

/**
 * The surface a mount would have (final names of tools, prompts, resources), without running the pack: validates
 * config and names like `mountPack`. For listings and checks.
 */
export function describeMount<P extends AnyPack>(pack: P, options: PlanOptions<PackConfigInput<P>> = {}): MountSurface {
  return surface(planMount(pack, options));
}

/**
 * Mount a pack on an `McpServer` of either SDK major (`@modelcontextprotocol/server` v2, or
 * `@modelcontextprotocol/sdk` ^1.32): validate its config, run its `setup`, and register its tools, resources,
 * templates and prompts under the prefix. Fails before registering anything, with a `ConfigError` (every config
 * problem with its key path) or a `PackError` (bad names, collisions, unknown filter names, incompatible
 * `apiVersion`, failing setup, the SDK not installed).
 *
 * Create the server with `capabilities: { logging: {} }` for pack logs to reach the client.
 *
 * @example
 * // v2: serve both protocol eras on stdio
 * import { McpServer } from '@modelcontextprotocol/server';
 * import { serveStdio } from '@modelcontextprotocol/server/stdio';
 * serveStdio(async () => {
 *   const server = new McpServer({ name: 'my-server', version: '1.0.0' }, { capabilities: { logging: {} } });
 *   await mountPack(server, mathPack, { prefix: 'calc' });
 *   return server;
 * });
 *
 * @example
 * // v1 (an existing server on @modelcontextprotocol/sdk)
 * const server = new McpServer({ name: 'my-server', version: '1.0.0' }, { capabilities: { logging: {} } });
 * await mountPack(server, mathPack, { prefix: 'calc' });
 * await server.connect(new StdioServerTransport());
 */
export async function mountPack<P extends AnyPack>(
  server: McpServerLike,
  pack: P,
  options: MountOptions<PackConfigInput<P>> = {},
): Promise<MountedPack<PackServices<P>>> {
  const plan = planMount(pack, options);
  await loadAdapter(sdkOf(server));
  // Check names on this server before running setup, so a collision costs nothing.
  const problems = collisions(server, plan);
  if (problems.length > 0) throw collisionError(plan, problems);
  const instance = await instantiate(plan, options);
  try {
    instance.attach(server);
  } catch (error) {
    await instance.close();
    throw error;
  }
  return {
    ...surface(plan),
    services: instance.services as PackServices<P>,
    close: instance.close,
    [Symbol.asyncDispose]: instance.close,
  };
}
