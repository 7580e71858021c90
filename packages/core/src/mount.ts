/**
 * `mountPack`: the one place that turns a pack into registrations on an `McpServer`. Everything that touches the
 * SDK's server API lives here (and in `testing/`), so an SDK upgrade touches this file, not the packs.
 */
import { randomUUID } from 'node:crypto';
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
  type CallToolResult,
  ErrorCode,
  type GetPromptResult,
  ListRootsResultSchema,
  McpError,
  type ReadResourceResult,
  RootsListChangedNotificationSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ClientRoot, ToolCall } from './call.js';
import { isContentResult } from './content.js';
import {
  ConfigError,
  type ConfigIssue,
  isConfigError,
  isPackError,
  isToolError,
  PackError,
  type ToolError,
} from './errors.js';
import { createStderrSink, type Logger, type LogLevel, type LogSink } from './log.js';
import { FINAL_NAME_PATTERN, finalName, PACK_NAME_PATTERN, prefixUri } from './naming.js';
import {
  type AnyPack,
  isPack,
  PACK_API_VERSION,
  type PackConfigInput,
  type PackServices,
  type SetupContext,
} from './pack.js';
import type { PromptResult } from './prompt.js';
import type { CompleteVariable, ResourceReadResult } from './resource.js';
import type { AnyToolDefinition } from './tool.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Which tools of a pack to mount, by key (`write_file`) or final name (`fs_write_file`). */
export interface ToolFilter {
  /** Mount only these tools. */
  include?: readonly string[];
  /** Mount every tool but these. */
  exclude?: readonly string[];
}

/** How to mount a pack. */
export interface MountOptions<CIn = unknown> {
  /**
   * The namespace for tool and prompt names (`${prefix}_${key}`) and resource URIs (`scheme://<prefix>/…`).
   * Default: the pack's name. `null` mounts tools and prompts under their bare keys.
   */
  prefix?: string | null;
  /** The pack's config, validated with its schema (defaults applied) before anything else happens. */
  config?: CIn;
  /** Include or exclude tools. A name that matches no tool of the pack is an error. */
  tools?: ToolFilter;
  /** Mount only tools annotated `readOnlyHint: true`; the others are neither listed nor callable. */
  readOnly?: boolean;
  /** Where server-side logs go. Default: warnings and errors to stderr. */
  logSink?: LogSink;
  /** How config errors name the config's location; default `packs[<prefix>].config`. */
  configPath?: string;
  /**
   * How long `close()` waits for calls still running (after aborting their signals) before running the pack's
   * cleanup. Default 5000 ms.
   */
  closeTimeoutMs?: number;
}

/** A pack mounted on a server: what it registered, and how to take it down. */
export interface MountedPack<S = unknown> {
  /** The pack's name. */
  readonly name: string;
  /** The prefix it is mounted under, or `null`. */
  readonly prefix: string | null;
  /** The pack's instructions for the model, for the host to join into its server instructions. */
  readonly instructions: string | undefined;
  /** Final names of the mounted tools. */
  readonly tools: readonly string[];
  /** Final names of the mounted prompts. */
  readonly prompts: readonly string[];
  /** Final URIs of the mounted resources. */
  readonly resources: readonly string[];
  /** Final URI templates of the mounted resource templates. */
  readonly resourceTemplates: readonly string[];
  /** What the pack's `setup()` returned. */
  readonly services: S;
  /**
   * Unregister everything, abort calls still running and wait for them (bounded by `closeTimeoutMs`), then run the
   * pack's `onClose` cleanups once each, last registered first. Safe to call more than once.
   */
  close(): Promise<void>;
  /** Same as {@link MountedPack.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The `_meta` key under which tool errors carry their code, for clients and tests. */
export const ERROR_META_KEY = 'mcp-packs/error';

/** What `_meta[ERROR_META_KEY]` holds on an error result. */
export interface ErrorMeta {
  code: string;
  retryable: boolean;
  details?: Record<string, unknown>;
  errorId?: string;
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
    state = { tools: new Map(), prompts: new Map(), resources: new Map(), templates: new Map(), roots: new WeakMap() };
    holder[STATE_KEY] = state;
    // A changed root list invalidates every cached answer of this server; core owns this notification handler.
    server.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
      (holder[STATE_KEY] as ServerState).roots = new WeakMap();
    });
  }
  return state;
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
// Mount state and loggers

interface MountState {
  readonly pack: AnyPack;
  readonly source: string;
  readonly authority: string;
  readonly server: McpServer;
  readonly sink: LogSink;
  readonly controller: AbortController;
  readonly inFlight: Set<Promise<unknown>>;
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

/** The mount's own logger: server sink, plus the client when connected (outside any request). */
function mountLogger(state: MountState): Logger {
  return createLogger((level, message, data) => {
    state.sink({ level, source: state.source, message, data });
    if (state.server.isConnected() && clientLogEnabled(state.server, level, undefined)) {
      state.server.server
        .sendLoggingMessage({ level, logger: state.source, data: clientLogData(message, data) })
        .catch(() => {});
    }
  });
}

/** The context of one request: services, a lazily combined abort signal, a logger tied to the request. */
class Context implements ToolCall<unknown> {
  readonly #state: MountState;
  readonly #extra: Extra;
  #signal: AbortSignal | undefined;
  #log: Logger | undefined;
  #lastProgress = Number.NEGATIVE_INFINITY;
  #progressChain: Promise<void> = Promise.resolve();
  #finished = false;
  readonly toolName: string;

  constructor(state: MountState, extra: Extra, toolName: string) {
    this.#state = state;
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
      const state = this.#state;
      state.sink({ level, source: state.source, message, data });
      if (this.#finished || !clientLogEnabled(state.server, level, this.#extra.sessionId)) return;
      this.#extra
        .sendNotification({
          method: 'notifications/message',
          params: { level, logger: state.source, data: clientLogData(message, data) },
        })
        .catch(() => {});
    });
    return this.#log;
  }

  progress(done: number, total?: number, message?: string): Promise<void> {
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

  roots(): Promise<readonly ClientRoot[] | undefined> {
    const server = this.#state.server.server;
    if (!server.getClientCapabilities()?.roots) return Promise.resolve(undefined);
    const transport = server.transport;
    if (!transport) return Promise.resolve(undefined);
    const state = serverState(this.#state.server);
    let bySession = state.roots.get(transport);
    if (!bySession) {
      bySession = new Map();
      state.roots.set(transport, bySession);
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
      const cache = bySession;
      pending.catch(() => cache.delete(key));
      bySession.set(key, pending);
    }
    return pending;
  }

  resourceUri(uri: string): string {
    return prefixUri(uri, this.#state.authority);
  }

  finish(): void {
    this.#finished = true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Results

function errorId(): string {
  return randomUUID().slice(0, 8);
}

function errorResult(text: string, meta: ErrorMeta): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }], _meta: { [ERROR_META_KEY]: meta } };
}

function toolErrorResult(error: ToolError): CallToolResult {
  let text = `[${error.code}] ${error.message}`;
  if (error.hint) text += `\nHint: ${error.hint}`;
  if (error.retryable) text += '\nThis may succeed if tried again.';
  const meta: ErrorMeta = { code: error.code, retryable: error.retryable };
  if (error.details) meta.details = error.details;
  return errorResult(text, meta);
}

function internalErrorResult(state: MountState, toolName: string, reason: string, error: unknown): CallToolResult {
  const id = errorId();
  state.sink({ level: 'error', source: state.source, message: `${toolName}: ${reason} (error id ${id})`, error });
  return errorResult(
    `[internal_error] ${toolName} failed: ${reason} (error id ${id}). The fault is in the tool, not in your input; the details are in the server log.`,
    { code: 'internal_error', retryable: false, errorId: id },
  );
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toToolResult(
  state: MountState,
  tool: AnyToolDefinition,
  name: string,
  input: unknown,
  output: unknown,
): CallToolResult {
  const schema = tool.outputSchema as z.ZodType | undefined;
  if (isContentResult(output)) {
    const result: CallToolResult = { content: [...output.content] as CallToolResult['content'] };
    if (output.structuredContent !== undefined) {
      const structured = schema
        ? schema.safeParse(output.structuredContent)
        : { success: true as const, data: output.structuredContent };
      if (!structured.success) {
        return internalErrorResult(
          state,
          name,
          `its result did not match its output schema (${describeIssues(structured.error.issues)})`,
          structured.error,
        );
      }
      result.structuredContent = structured.data as Record<string, unknown>;
    } else if (schema) {
      return internalErrorResult(
        state,
        name,
        'it declares an output schema but returned no structured content',
        undefined,
      );
    }
    return result;
  }
  if (schema) {
    const parsed = schema.safeParse(output);
    if (!parsed.success) {
      return internalErrorResult(
        state,
        name,
        `its result did not match its output schema (${describeIssues(parsed.error.issues)})`,
        parsed.error,
      );
    }
    const structured = parsed.data as Record<string, unknown>;
    return {
      content: [{ type: 'text', text: tool.toText ? tool.toText(structured, input) : jsonText(structured) }],
      structuredContent: structured,
    };
  }
  if (typeof output === 'string') return { content: [{ type: 'text', text: output }] };
  if (output === undefined) return { content: [] };
  if (isPlainObject(output)) {
    return {
      content: [{ type: 'text', text: tool.toText ? tool.toText(output, input) : jsonText(output) }],
      structuredContent: output,
    };
  }
  return { content: [{ type: 'text', text: tool.toText ? tool.toText(output, input) : jsonText(output) }] };
}

function readResult(result: ResourceReadResult, uri: string, mimeType: string | undefined): ReadResourceResult {
  const items =
    typeof result === 'string'
      ? [{ text: result }]
      : Array.isArray(result)
        ? result
        : [result as Exclude<ResourceReadResult, string | readonly unknown[]>];
  return {
    contents: items.map((item) => {
      const base = {
        uri: item.uri ?? uri,
        ...((item.mimeType ?? mimeType) === undefined ? {} : { mimeType: item.mimeType ?? mimeType }),
      };
      if ('text' in item) return { ...base, text: item.text };
      const blob = typeof item.blob === 'string' ? item.blob : Buffer.from(item.blob).toString('base64');
      return { ...base, blob };
    }),
  };
}

function promptResult(result: PromptResult): GetPromptResult {
  if (typeof result === 'string') return { messages: [{ role: 'user', content: { type: 'text', text: result } }] };
  if (Array.isArray(result)) return { messages: [...result] as GetPromptResult['messages'] };
  const full = result as Exclude<PromptResult, string | readonly unknown[]>;
  return {
    ...(full.description === undefined ? {} : { description: full.description }),
    messages: [...full.messages] as GetPromptResult['messages'],
  };
}

/** Resource and prompt failures are protocol errors (MCP has no `isError` for them). */
function protocolError(state: MountState, what: string, error: unknown): McpError {
  if (isToolError(error)) {
    const code = error.code === 'not_found' ? -32002 : ErrorCode.InvalidParams;
    return new McpError(code, error.hint ? `${error.message} Hint: ${error.hint}` : error.message, {
      code: error.code,
    });
  }
  if (error instanceof McpError) return error;
  const id = errorId();
  state.sink({ level: 'error', source: state.source, message: `${what} failed (error id ${id})`, error });
  return new McpError(ErrorCode.InternalError, `${what} failed (error id ${id}); the details are in the server log.`);
}

// ---------------------------------------------------------------------------------------------------------------
// mountPack

function checkConfig(pack: AnyPack, config: unknown, path: string): unknown {
  const schema = pack.configSchema;
  if (!schema) {
    if (config === undefined || (isPlainObject(config) && Object.keys(config).length === 0)) return {};
    throw new ConfigError(`${path}: pack "${pack.name}" takes no config; remove it.`, {
      code: 'invalid_config',
      pack: pack.name,
      issues: [{ path, message: 'this pack takes no config' }],
    });
  }
  const parsed = schema.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  const issues: ConfigIssue[] = parsed.error.issues.map((issue) => ({
    path: path + issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join(''),
    message: issue.message,
  }));
  throw new ConfigError(
    `Invalid config for pack "${pack.name}":\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
    { code: 'invalid_config', pack: pack.name, issues },
  );
}

function selectTools(
  pack: AnyPack,
  prefix: string | null,
  options: MountOptions,
  problems: string[],
): [string, AnyToolDefinition][] {
  const entries = Object.entries(pack.tools);
  const keyOf = (name: string): string | undefined =>
    entries.find(([key]) => key === name || finalName(prefix, key) === name)?.[0];
  const resolveNames = (names: readonly string[] | undefined, label: string): Set<string> | undefined => {
    if (names === undefined) return undefined;
    const keys = new Set<string>();
    for (const name of names) {
      const key = keyOf(name);
      if (key === undefined) {
        problems.push(
          `tools.${label}: "${name}" is not a tool of pack "${pack.name}" (its tools: ${entries.map(([k]) => k).join(', ') || 'none'})`,
        );
      } else keys.add(key);
    }
    return keys;
  };
  const include = resolveNames(options.tools?.include, 'include');
  const exclude = resolveNames(options.tools?.exclude, 'exclude');
  if (options.readOnly && include) {
    for (const key of include) {
      if (pack.tools[key]?.annotations.readOnlyHint !== true) {
        problems.push(
          `tools.include: "${key}" is not read-only, and the mount is readOnly; remove it from include or drop readOnly`,
        );
      }
    }
  }
  return entries.filter(
    ([key, tool]) =>
      (!include || include.has(key)) &&
      !exclude?.has(key) &&
      (!options.readOnly || tool.annotations.readOnlyHint === true),
  );
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
  if (!isPack(pack)) {
    throw new PackError('mountPack expects a pack built with definePack from @mcp-packs/core.', { code: 'not_a_pack' });
  }
  if (pack.apiVersion !== PACK_API_VERSION) {
    const newer = pack.apiVersion > PACK_API_VERSION;
    throw new PackError(
      `Pack "${pack.name}" was built for pack API v${pack.apiVersion}; this @mcp-packs/core speaks v${PACK_API_VERSION}. ` +
        (newer ? 'Upgrade @mcp-packs/core (and the server that mounts it).' : `Upgrade the pack "${pack.name}".`),
      { code: 'api_version_mismatch', pack: pack.name },
    );
  }

  const prefix = options.prefix === undefined ? pack.name : options.prefix;
  if (prefix !== null && !PACK_NAME_PATTERN.test(prefix)) {
    throw new PackError(`Prefix ${JSON.stringify(prefix)} for pack "${pack.name}" must match ${PACK_NAME_PATTERN}.`, {
      code: 'invalid_prefix',
      pack: pack.name,
    });
  }
  const source = prefix ?? pack.name;
  const config = checkConfig(pack, options.config, options.configPath ?? `packs[${source}].config`);

  const problems: string[] = [];
  const tools = selectTools(pack, prefix, options, problems);
  const state = serverState(server);
  const owner = `pack "${pack.name}"${prefix === pack.name ? '' : ` mounted as ${prefix === null ? 'no prefix' : `"${prefix}"`}`}`;
  const checkName = (kind: string, name: string, taken: Map<string, string>) => {
    if (!FINAL_NAME_PATTERN.test(name)) {
      problems.push(
        `${kind} name "${name}" (${name.length} characters) must match ${FINAL_NAME_PATTERN}; choose a shorter prefix or key`,
      );
    }
    const other = taken.get(name);
    if (other)
      problems.push(`${kind} "${name}" is already registered by ${other}; mount one of them under another prefix`);
  };
  const toolNames = tools.map(([key]) => finalName(prefix, key));
  for (const name of toolNames) checkName('tool', name, state.tools);
  const prompts = Object.entries(pack.prompts).map(([key, prompt]) => [finalName(prefix, key), prompt] as const);
  for (const [name] of prompts) checkName('prompt', name, state.prompts);
  const resources = Object.entries(pack.resources).map(([key, resource]) => ({
    key,
    name: finalName(prefix, key),
    uri: prefixUri(resource.uri, source),
    resource,
  }));
  for (const { uri } of resources) {
    const other = state.resources.get(uri);
    if (other)
      problems.push(`resource "${uri}" is already registered by ${other}; mount one of them under another prefix`);
  }
  const templates = Object.entries(pack.resourceTemplates).map(([key, template]) => ({
    key,
    name: finalName(prefix, key),
    uriTemplate: prefixUri(template.uriTemplate, source),
    template,
  }));
  for (const { uriTemplate } of templates) {
    const other = state.templates.get(uriTemplate);
    if (other)
      problems.push(
        `resource template "${uriTemplate}" is already registered by ${other}; mount one of them under another prefix`,
      );
  }
  if (problems.length > 0) {
    throw new PackError(`Cannot mount ${owner}:\n- ${problems.join('\n- ')}`, {
      code: problems.some((p) => p.includes('already registered'))
        ? 'name_collision'
        : problems.some((p) => p.startsWith('tools.'))
          ? 'unknown_tool'
          : 'invalid_name',
      pack: pack.name,
    });
  }

  const mount: MountState = {
    pack,
    source,
    authority: source,
    server,
    sink: options.logSink ?? createStderrSink(),
    controller: new AbortController(),
    inFlight: new Set(),
    services: undefined,
  };
  const cleanups: (() => void | Promise<void>)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        mount.sink({ level: 'error', source, message: 'an onClose cleanup failed', error });
      }
    }
    cleanups.length = 0;
  };

  const log = mountLogger(mount);
  if (pack.setup) {
    const context: SetupContext<unknown> = {
      config,
      log,
      signal: mount.controller.signal,
      name: pack.name,
      prefix,
      onClose: (cleanup) => {
        cleanups.push(cleanup);
      },
    };
    try {
      mount.services = await (pack.setup as (context: SetupContext<unknown>) => unknown)(context);
    } catch (error) {
      mount.controller.abort();
      await runCleanups();
      if (isConfigError(error) || isPackError(error)) throw error;
      throw new PackError(`Setup of ${owner} failed: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'setup_failed',
        pack: pack.name,
        cause: error,
      });
    }
  }

  const track = <T>(promise: Promise<T>): Promise<T> => {
    mount.inFlight.add(promise);
    promise.then(
      () => mount.inFlight.delete(promise),
      () => mount.inFlight.delete(promise),
    );
    return promise;
  };

  const registered: (RegisteredTool | RegisteredPrompt | RegisteredResource | RegisteredResourceTemplate)[] = [];
  try {
    for (const [key, tool] of tools) {
      const name = finalName(prefix, key);
      const run = async (input: unknown, extra: Extra): Promise<CallToolResult> => {
        const context = new Context(mount, extra, name);
        try {
          const output = await tool.execute(input, context);
          return toToolResult(mount, tool, name, input, output);
        } catch (error) {
          if (isToolError(error)) return toolErrorResult(error);
          if (context.signal.aborted) {
            return errorResult(`[cancelled] ${name} was cancelled.`, { code: 'cancelled', retryable: true });
          }
          return internalErrorResult(mount, name, 'it hit an unexpected error', error);
        } finally {
          context.finish();
        }
      };
      registered.push(
        server.registerTool(
          name,
          {
            ...(tool.title === undefined ? {} : { title: tool.title }),
            description: tool.description,
            inputSchema: tool.inputSchema,
            ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
            annotations: tool.annotations,
            ...(tool.meta === undefined ? {} : { _meta: tool.meta }),
          },
          ((input: unknown, extra: Extra) => track(run(input, extra))) as never,
        ),
      );
    }

    for (const { name, uri, resource } of resources) {
      registered.push(
        server.registerResource(
          name,
          uri,
          {
            ...(resource.title === undefined ? {} : { title: resource.title }),
            description: resource.description,
            ...(resource.mimeType === undefined ? {} : { mimeType: resource.mimeType }),
          },
          (url, extra) =>
            track(
              (async () => {
                const context = new Context(mount, extra, name);
                try {
                  return readResult(await resource.read(url, context), url.href, resource.mimeType);
                } catch (error) {
                  throw protocolError(mount, `reading ${url.href}`, error);
                } finally {
                  context.finish();
                }
              })(),
            ),
        ),
      );
    }

    for (const { name, uriTemplate, template } of templates) {
      const complete: Record<
        string,
        (value: string, context?: { arguments?: Record<string, string> }) => Promise<string[]>
      > = {};
      for (const [variable, completer] of Object.entries(template.complete ?? {})) {
        complete[variable] = completeWith(mount, completer);
      }
      const list = template.list;
      const sdkTemplate = new ResourceTemplate(uriTemplate, {
        list: list
          ? async (extra) => {
              const context = new Context(mount, extra, name);
              try {
                return { resources: [...(await list(context))] };
              } catch (error) {
                throw protocolError(mount, `listing ${uriTemplate}`, error);
              }
            }
          : undefined,
        complete,
      });
      registered.push(
        server.registerResource(
          name,
          sdkTemplate,
          {
            ...(template.title === undefined ? {} : { title: template.title }),
            description: template.description,
            ...(template.mimeType === undefined ? {} : { mimeType: template.mimeType }),
          },
          (url, variables, extra) =>
            track(
              (async () => {
                const context = new Context(mount, extra, name);
                const values: Record<string, string> = {};
                for (const [key, value] of Object.entries(variables))
                  values[key] = Array.isArray(value) ? value.join(',') : String(value);
                try {
                  return readResult(await template.read(url, values, context), url.href, template.mimeType);
                } catch (error) {
                  throw protocolError(mount, `reading ${url.href}`, error);
                } finally {
                  context.finish();
                }
              })(),
            ),
        ),
      );
    }

    for (const [name, prompt] of prompts) {
      const schema = prompt.argsSchema as z.ZodObject | undefined;
      let shape: Record<string, z.ZodType> | undefined;
      if (schema) {
        shape = {};
        for (const [arg, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
          const completer = prompt.complete?.[arg];
          shape[arg] = completer ? completable(field.clone(), completeWith(mount, completer) as never) : field;
        }
      }
      registered.push(
        server.registerPrompt(
          name,
          {
            ...(prompt.title === undefined ? {} : { title: prompt.title }),
            description: prompt.description,
            ...(shape === undefined ? {} : { argsSchema: shape as never }),
          },
          (async (...args: unknown[]) => {
            const extra = (shape === undefined ? args[0] : args[1]) as Extra;
            const input = shape === undefined ? {} : args[0];
            const context = new Context(mount, extra, name);
            try {
              return promptResult(await prompt.get(input as never, context));
            } catch (error) {
              throw protocolError(mount, `prompt ${name}`, error);
            } finally {
              context.finish();
            }
          }) as never,
        ),
      );
    }
  } catch (error) {
    for (const item of registered) item.remove();
    mount.controller.abort();
    await runCleanups();
    throw new PackError(
      `Cannot mount ${owner}: ${error instanceof Error ? error.message : String(error)} (a name registered on the server outside mcp-packs?)`,
      { code: 'name_collision', pack: pack.name, cause: error },
    );
  }

  for (const name of toolNames) state.tools.set(name, owner);
  for (const [name] of prompts) state.prompts.set(name, owner);
  for (const { uri } of resources) state.resources.set(uri, owner);
  for (const { uriTemplate } of templates) state.templates.set(uriTemplate, owner);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const item of registered) item.remove();
      for (const name of toolNames) state.tools.delete(name);
      for (const [name] of prompts) state.prompts.delete(name);
      for (const { uri } of resources) state.resources.delete(uri);
      for (const { uriTemplate } of templates) state.templates.delete(uriTemplate);
      mount.controller.abort();
      if (mount.inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...mount.inFlight]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, options.closeTimeoutMs ?? 5000);
          }),
        ]);
        clearTimeout(timer);
      }
      await runCleanups();
    })();
    return closing;
  };

  return {
    name: pack.name,
    prefix,
    instructions: pack.instructions,
    tools: toolNames,
    prompts: prompts.map(([name]) => name),
    resources: resources.map(({ uri }) => uri),
    resourceTemplates: templates.map(({ uriTemplate }) => uriTemplate),
    services: mount.services as never,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function completeWith(state: MountState, completer: CompleteVariable<unknown>) {
  return async (value: string, context?: { arguments?: Record<string, string> }): Promise<string[]> => {
    try {
      return [...(await completer(value, { arguments: context?.arguments ?? {}, services: state.services }))].slice(
        0,
        100,
      );
    } catch (error) {
      state.sink({ level: 'error', source: state.source, message: 'a completion failed', error });
      return [];
    }
  };
}
