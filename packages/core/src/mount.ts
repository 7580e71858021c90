/**
 * Mounting: the one place that turns a pack into registrations on an `McpServer`. Everything that touches the SDK's
 * server API lives here (and in `testing/`), so an SDK upgrade touches this file, not the packs.
 *
 * A pack is instantiated once (`createPackInstance`: config, setup, services) and attached to one server or to
 * many (`instance.attach(server)`: registrations only), as stateless Streamable HTTP needs a fresh `McpServer` per
 * request. `mountPack` does both for the common case of one server.
 */
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import {
  type McpServer,
  type RegisteredPrompt,
  type RegisteredResource,
  type RegisteredResourceTemplate,
  type RegisteredTool,
  ResourceTemplate,
} from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  ListRootsResultSchema,
  McpError,
  RootsListChangedNotificationSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ClientRoot, ToolCall } from './call.js';
import { isConfigError, isPackError, isToolError, PackError } from './errors.js';
import { forListing } from './json-schema.js';
import { createStderrSink, type Logger, type LogLevel, type LogSink } from './log.js';
import { prefixUri } from './naming.js';
import type { AnyPack, PackConfigInput, PackServices, SetupContext } from './pack.js';
import { type MountPlan, type PlanOptions, planMount } from './plan.js';
import type { CompleteVariable } from './resource.js';
import {
  cancelledResult,
  errorId,
  internalErrorResult,
  invalidInputResult,
  promptResult,
  readResult,
  toolErrorResult,
  toolResult,
} from './results.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Options of {@link createPackInstance}. */
export interface InstanceOptions<CIn = unknown> extends PlanOptions<CIn> {
  /** Where server-side logs go. Default: warnings and errors to stderr (never stdout). */
  logSink?: LogSink;
  /**
   * How long `close()` waits for calls still running (after aborting their signals) before running the pack's
   * cleanups. Default 5000 ms.
   */
  closeTimeoutMs?: number;
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
   */
  attach(server: McpServer): Attachment;
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
// Per-server state, shared by every copy of core through a Symbol.for key, so collisions are caught across copies.

interface ServerState {
  tools: Map<string, string>;
  prompts: Map<string, string>;
  resources: Map<string, string>;
  templates: Map<string, string>;
  roots: WeakMap<object, Map<string, Promise<readonly ClientRoot[] | undefined>>>;
}

const STATE_KEY = Symbol.for('mcp-packs.server-state');

function serverState(server: McpServer): ServerState {
  const holder = server as unknown as { [STATE_KEY]?: ServerState };
  let state = holder[STATE_KEY];
  if (!state) {
    const created: ServerState = {
      tools: new Map(),
      prompts: new Map(),
      resources: new Map(),
      templates: new Map(),
      roots: new WeakMap(),
    };
    holder[STATE_KEY] = created;
    // A changed root list invalidates every cached answer of this server; core owns this notification handler.
    server.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
      created.roots = new WeakMap();
    });
    state = created;
  }
  return state;
}

function collisions(server: McpServer, plan: MountPlan): string[] {
  const state = serverState(server);
  const problems: string[] = [];
  const check = (kind: string, key: string, taken: Map<string, string>) => {
    const other = taken.get(key);
    if (other)
      problems.push(`${kind} "${key}" is already registered by ${other}; mount one of them under another prefix`);
  };
  for (const { name } of plan.tools) check('tool', name, state.tools);
  for (const { name } of plan.prompts) check('prompt', name, state.prompts);
  for (const { uri } of plan.resources) check('resource', uri, state.resources);
  for (const { uriTemplate } of plan.templates) check('resource template', uriTemplate, state.templates);
  return problems;
}

function collisionError(plan: MountPlan, problems: readonly string[], cause?: unknown): PackError {
  return new PackError(`Cannot mount ${plan.owner}:\n- ${problems.join('\n- ')}`, {
    code: 'name_collision',
    pack: plan.pack.name,
    ...(cause === undefined ? {} : { cause }),
  });
}

// The SDK keeps the logging capability and the per-session level private; reading them here (the one seam) lets a
// call's log go out on the request's own stream while still honouring `logging/setLevel`. Covered by tests.
interface ServerInternals {
  _capabilities?: { logging?: unknown };
  isMessageIgnored?: (level: LogLevel, sessionId?: string) => boolean;
}

function clientLogEnabled(server: McpServer, level: LogLevel, sessionId: string | undefined): boolean {
  const internals = server.server as unknown as ServerInternals;
  if (!internals._capabilities?.logging) return false;
  return !internals.isMessageIgnored?.(level, sessionId);
}

// ---------------------------------------------------------------------------------------------------------------
// Instance state, loggers and the per-request context

interface InstanceState {
  readonly plan: MountPlan;
  readonly sink: LogSink;
  readonly controller: AbortController;
  /** Requests running now; `close()` waits for them (bounded) after aborting. A counter, not a set of promises: this is the hot path. */
  active: number;
  /** Set by `close()` while it waits for `active` to reach zero. */
  onIdle: (() => void) | undefined;
  readonly servers: Set<McpServer>;
  services: unknown;
}

const LEVEL_METHODS = ['debug', 'info', 'notice', 'warning', 'error'] as const;

function createLogger(write: (level: LogLevel, message: string, data: unknown) => void): Logger {
  const logger = {} as Logger;
  for (const level of LEVEL_METHODS) logger[level] = (message, data) => write(level, message, data);
  return logger;
}

function clientLogData(message: string, data: unknown): unknown {
  return data === undefined ? message : { message, data };
}

/** The instance's own logger (setup, background work): server sink, plus every connected server it is attached to. */
function instanceLogger(state: InstanceState): Logger {
  const source = state.plan.source;
  return createLogger((level, message, data) => {
    state.sink({ level, source, message, data });
    for (const server of state.servers) {
      if (server.isConnected() && clientLogEnabled(server, level, undefined)) {
        server.server.sendLoggingMessage({ level, logger: source, data: clientLogData(message, data) }).catch(() => {});
      }
    }
  });
}

/** The context of one request: services, a lazily combined abort signal, a logger tied to the request. */
class Context implements ToolCall<unknown> {
  readonly #state: InstanceState;
  readonly #server: McpServer;
  readonly #extra: Extra;
  #signal: AbortSignal | undefined;
  #log: Logger | undefined;
  #lastProgress = Number.NEGATIVE_INFINITY;
  #progressChain: Promise<void> = Promise.resolve();
  #finished = false;
  readonly toolName: string;

  constructor(state: InstanceState, server: McpServer, extra: Extra, toolName: string) {
    this.#state = state;
    this.#server = server;
    this.#extra = extra;
    this.toolName = toolName;
  }

  get services(): unknown {
    return this.#state.services;
  }

  get sessionId(): string | undefined {
    return this.#extra.sessionId;
  }

  get signal(): AbortSignal {
    this.#signal ??= AbortSignal.any([this.#extra.signal, this.#state.controller.signal]);
    return this.#signal;
  }

  get log(): Logger {
    this.#log ??= createLogger((level, message, data) => {
      const source = this.#state.plan.source;
      this.#state.sink({ level, source, message, data });
      if (this.#finished || !clientLogEnabled(this.#server, level, this.#extra.sessionId)) return;
      this.#extra
        .sendNotification({
          method: 'notifications/message',
          params: { level, logger: source, data: clientLogData(message, data) },
        })
        .catch(() => {});
    });
    return this.#log;
  }

  // progress, roots and resourceUri are getters returning bound functions, so `const { progress } = call` works;
  // built on first use, as most calls never touch them.
  #progressFn: ToolCall['progress'] | undefined;
  #rootsFn: ToolCall['roots'] | undefined;
  #resourceUriFn: ToolCall['resourceUri'] | undefined;

  get progress(): ToolCall['progress'] {
    this.#progressFn ??= (done, total, message) => this.#progress(done, total, message);
    return this.#progressFn;
  }

  get roots(): ToolCall['roots'] {
    this.#rootsFn ??= () => this.#roots();
    return this.#rootsFn;
  }

  get resourceUri(): ToolCall['resourceUri'] {
    this.#resourceUriFn ??= (uri) => prefixUri(uri, this.#state.plan.source);
    return this.#resourceUriFn;
  }

  #progress(done: number, total?: number, message?: string): Promise<void> {
    const token = this.#extra._meta?.progressToken;
    if (token === undefined || this.#finished || !(done > this.#lastProgress)) return this.#progressChain;
    this.#lastProgress = done;
    const params = {
      progressToken: token,
      progress: done,
      ...(total === undefined ? {} : { total }),
      ...(message === undefined ? {} : { message }),
    };
    this.#progressChain = this.#progressChain.then(() =>
      this.#extra.sendNotification({ method: 'notifications/progress', params }).catch(() => {}),
    );
    return this.#progressChain;
  }

  #roots(): Promise<readonly ClientRoot[] | undefined> {
    const server = this.#server.server;
    const transport = server.transport;
    if (!server.getClientCapabilities()?.roots || !transport) return Promise.resolve(undefined);
    const cache = serverState(this.#server).roots;
    let bySession = cache.get(transport);
    if (!bySession) {
      bySession = new Map();
      cache.set(transport, bySession);
    }
    const key = this.#extra.sessionId ?? '';
    let pending = bySession.get(key);
    if (!pending) {
      pending = this.#extra
        .sendRequest({ method: 'roots/list' }, ListRootsResultSchema)
        .then((result) =>
          result.roots.map((root) =>
            root.name === undefined ? { uri: root.uri } : { uri: root.uri, name: root.name },
          ),
        );
      const sessions = bySession;
      pending.catch(() => sessions.delete(key));
      bySession.set(key, pending);
    }
    return pending;
  }

  finish(): void {
    this.#finished = true;
  }
}

/** Resource and prompt failures are protocol errors (MCP has no `isError` for them). */
function protocolError(state: InstanceState, what: string, error: unknown): McpError {
  if (isToolError(error)) {
    const code = error.code === 'not_found' ? -32002 : ErrorCode.InvalidParams;
    return new McpError(code, error.hint ? `${error.message} Hint: ${error.hint}` : error.message, {
      code: error.code,
    });
  }
  if (error instanceof McpError) return error;
  const id = errorId();
  state.sink({ level: 'error', source: state.plan.source, message: `${what} failed (error id ${id})`, error });
  return new McpError(ErrorCode.InternalError, `${what} failed (error id ${id}); the details are in the server log.`);
}

function completeWith(state: InstanceState, completer: CompleteVariable<unknown>) {
  return async (value: string, context?: { arguments?: Record<string, string> }): Promise<string[]> => {
    try {
      return [...(await completer(value, { arguments: context?.arguments ?? {}, services: state.services }))].slice(
        0,
        100,
      );
    } catch (error) {
      state.sink({ level: 'error', source: state.plan.source, message: 'a completion failed', error });
      return [];
    }
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---------------------------------------------------------------------------------------------------------------
// Registration on one server

type Registered = RegisteredTool | RegisteredPrompt | RegisteredResource | RegisteredResourceTemplate;

function register(state: InstanceState, server: McpServer): Registered[] {
  const { plan } = state;
  const registered: Registered[] = [];
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    state.active++;
    try {
      return await work();
    } finally {
      if (--state.active === 0) state.onIdle?.();
    }
  };
  const log = { sink: state.sink, source: plan.source };

  for (const { name, tool, annotations } of plan.tools) {
    const inputSchema = tool.inputSchema as z.ZodType;
    const run = async (args: unknown, extra: Extra) => {
      // The SDK is handed an open schema (json-schema.ts): the arguments are checked here, once, against the tool's
      // own schema, which a lazy one is built for on the first call.
      const parsed = await inputSchema.safeParseAsync(args ?? {});
      if (!parsed.success) return invalidInputResult(name, parsed.error);
      const input = parsed.data;
      const context = new Context(state, server, extra, name);
      state.active++;
      try {
        return toolResult(log, tool, name, input, await tool.execute(input, context));
      } catch (error) {
        if (isToolError(error)) return toolErrorResult(error);
        if (context.signal.aborted) return cancelledResult(name);
        return internalErrorResult(log, name, 'it hit an unexpected error', error);
      } finally {
        context.finish();
        if (--state.active === 0) state.onIdle?.();
      }
    };
    registered.push(
      server.registerTool(
        name,
        {
          ...optional('title', tool.title),
          description: tool.description,
          inputSchema: forListing(tool.inputSchema, 'input'),
          ...optional('outputSchema', tool.outputSchema && forListing(tool.outputSchema, 'output')),
          annotations,
          ...optional('_meta', tool.meta),
        },
        run as never,
      ),
    );
  }

  for (const { name, uri, resource } of plan.resources) {
    const metadata = {
      ...optional('title', resource.title),
      description: resource.description,
      ...optional('mimeType', resource.mimeType),
    };
    const read = async (url: URL, extra: Extra) => {
      const context = new Context(state, server, extra, name);
      try {
        return readResult(await resource.read(url, context), url.href, resource.mimeType);
      } catch (error) {
        throw protocolError(state, `reading ${url.href}`, error);
      } finally {
        context.finish();
      }
    };
    registered.push(server.registerResource(name, uri, metadata, (url, extra) => track(() => read(url, extra))));
  }

  for (const { name, uriTemplate, template } of plan.templates) {
    const complete: Record<string, ReturnType<typeof completeWith>> = {};
    for (const [variable, completer] of Object.entries(template.complete ?? {})) {
      complete[variable] = completeWith(state, completer);
    }
    const list = template.list;
    const sdkTemplate = new ResourceTemplate(uriTemplate, {
      list: list
        ? async (extra) => {
            const context = new Context(state, server, extra, name);
            try {
              return { resources: [...(await list(context))] };
            } catch (error) {
              throw protocolError(state, `listing ${uriTemplate}`, error);
            } finally {
              context.finish();
            }
          }
        : undefined,
      complete,
    });
    const metadata = {
      ...optional('title', template.title),
      description: template.description,
      ...optional('mimeType', template.mimeType),
    };
    const read = async (url: URL, variables: Record<string, string | string[]>, extra: Extra) => {
      const context = new Context(state, server, extra, name);
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(variables))
        values[key] = Array.isArray(value) ? value.join(',') : value;
      try {
        return readResult(await template.read(url, values, context), url.href, template.mimeType);
      } catch (error) {
        throw protocolError(state, `reading ${url.href}`, error);
      } finally {
        context.finish();
      }
    };
    registered.push(
      server.registerResource(name, sdkTemplate, metadata, (url, variables, extra) =>
        track(() => read(url, variables, extra)),
      ),
    );
  }

  for (const { name, prompt } of plan.prompts) {
    const schema = prompt.argsSchema as z.ZodObject | undefined;
    let shape: Record<string, z.ZodType> | undefined;
    if (schema) {
      shape = {};
      for (const [arg, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
        const completer = prompt.complete?.[arg];
        // completable() marks the schema object itself; clone so mounts (and servers) never share the mark.
        shape[arg] = completer ? completable(field.clone(), completeWith(state, completer) as never) : field;
      }
    }
    const get = async (input: unknown, extra: Extra) => {
      const context = new Context(state, server, extra, name);
      try {
        return promptResult(await prompt.get(input as never, context));
      } catch (error) {
        throw protocolError(state, `prompt ${name}`, error);
      } finally {
        context.finish();
      }
    };
    registered.push(
      server.registerPrompt(
        name,
        { ...optional('title', prompt.title), description: prompt.description, ...optional('argsSchema', shape) },
        (shape === undefined
          ? (extra: Extra) => track(() => get({}, extra))
          : (input: unknown, extra: Extra) => track(() => get(input, extra))) as never,
      ),
    );
  }
  return registered;
}

// ---------------------------------------------------------------------------------------------------------------
// Instances and mounts

async function instantiate(plan: MountPlan, options: InstanceOptions): Promise<PackInstance> {
  const state: InstanceState = {
    plan,
    sink: options.logSink ?? createStderrSink(),
    controller: new AbortController(),
    active: 0,
    onIdle: undefined,
    servers: new Set(),
    services: undefined,
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
      await runCleanups();
    })();
    return closing;
  };

  const attach = (server: McpServer): Attachment => {
    if (closing) {
      throw new PackError(`Cannot attach ${plan.owner}: it is closed.`, { code: 'closed', pack: pack.name });
    }
    const problems = collisions(server, plan);
    if (problems.length > 0) throw collisionError(plan, problems);
    let registered: Registered[] = [];
    try {
      registered = register(state, server);
    } catch (error) {
      // A name registered on the server outside mcp-packs: undo what this attach did, then report.
      for (const item of registered) item.remove();
      throw collisionError(
        plan,
        [`${error instanceof Error ? error.message : String(error)} (registered outside mcp-packs)`],
        error,
      );
    }
    const registry = serverState(server);
    for (const { name } of plan.tools) registry.tools.set(name, plan.owner);
    for (const { name } of plan.prompts) registry.prompts.set(name, plan.owner);
    for (const { uri } of plan.resources) registry.resources.set(uri, plan.owner);
    for (const { uriTemplate } of plan.templates) registry.templates.set(uriTemplate, plan.owner);
    state.servers.add(server);
    let detached = false;
    const detach = () => {
      if (detached) return;
      detached = true;
      detachers.delete(detach);
      state.servers.delete(server);
      for (const item of registered) item.remove();
      for (const { name } of plan.tools) registry.tools.delete(name);
      for (const { name } of plan.prompts) registry.prompts.delete(name);
      for (const { uri } of plan.resources) registry.resources.delete(uri);
      for (const { uriTemplate } of plan.templates) registry.templates.delete(uriTemplate);
    };
    detachers.add(detach);
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

function surface(plan: MountPlan): MountSurface {
  return {
    name: plan.pack.name,
    prefix: plan.prefix,
    instructions: plan.pack.instructions,
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
  return (await instantiate(planMount(pack, options), options)) as PackInstance<PackServices<P>>;
}

/**
 * The surface a mount would have (final names of tools, prompts, resources), without running the pack: validates
 * config and names like `mountPack`. For listings and checks.
 */
export function describeMount<P extends AnyPack>(pack: P, options: PlanOptions<PackConfigInput<P>> = {}): MountSurface {
  return surface(planMount(pack, options));
}

/**
 * Mount a pack on an `McpServer`: validate its config, run its `setup`, and register its tools, resources,
 * templates and prompts under the prefix. Fails before registering anything, with a `ConfigError` (every config
 * problem with its key path) or a `PackError` (bad names, collisions, unknown filter names, incompatible
 * `apiVersion`, failing setup).
 *
 * Create the server with `capabilities: { logging: {} }` for pack logs to reach the client.
 *
 * @example
 * const server = new McpServer({ name: 'my-server', version: '1.0.0' }, { capabilities: { logging: {} } });
 * await mountPack(server, mathPack, { prefix: 'calc' });
 * await server.connect(new StdioServerTransport());
 */
export async function mountPack<P extends AnyPack>(
  server: McpServer,
  pack: P,
  options: MountOptions<PackConfigInput<P>> = {},
): Promise<MountedPack<PackServices<P>>> {
  const plan = planMount(pack, options);
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
