/**
 * @mcp-packs/core/testing: drive a pack through a real SDK v2 `Client` against a real `McpServer` with the pack
 * mounted, in either protocol era: 2026-07-28 through the SDK's own HTTP entry (`createMcpHandler`) served in
 * process, or 2025-11-25 over the in-memory transport. Nothing is mocked: what passes here passes over stdio and
 * HTTP too.
 */
import { Client, type Progress, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  type CallToolResult,
  createMcpHandler,
  InMemoryTransport,
  LOG_LEVEL_META_KEY,
  type LoggingMessageNotification,
  McpServer,
} from '@modelcontextprotocol/server';
import type { ClientRoot } from '../call.js';
import { type RawAnswer, verifyInputState } from '../input.js';
import type { LogLevel } from '../log.js';
import { createPackInstance, type MountedPack, type MountOptions } from '../mount.js';
import type { AnyPack, PackConfigInput, PackServices } from '../pack.js';
import { ERROR_META_KEY, type ErrorMeta } from '../results.js';
import { finalToolName } from './final-tool-name.js';

/** The protocol revisions the test kit speaks: the 2026 era (stateless) and the 2025 era (`initialize`). */
export type TestProtocol = '2026-07-28' | '2025-11-25';

/** The revisions {@link TestProtocol} allows, newest first. */
export const TEST_PROTOCOLS: readonly TestProtocol[] = ['2026-07-28', '2025-11-25'];

/**
 * The protocol a {@link connectPack} without a `protocol` option speaks: `MCP_PACKS_TEST_PROTOCOL` when set (so a
 * whole suite can run in each era), else 2026-07-28.
 */
export function defaultTestProtocol(): TestProtocol {
  const fromEnv = process.env.MCP_PACKS_TEST_PROTOCOL;
  if (fromEnv === undefined || fromEnv === '') return '2026-07-28';
  if (!(TEST_PROTOCOLS as readonly string[]).includes(fromEnv)) {
    throw new Error(`MCP_PACKS_TEST_PROTOCOL must be one of ${TEST_PROTOCOLS.join(', ')}; it is "${fromEnv}".`);
  }
  return fromEnv as TestProtocol;
}

/** An elicitation request as the test client receives it (form mode). */
export interface ElicitationRequest {
  mode?: 'form';
  message: string;
  requestedSchema: Record<string, unknown>;
}

/** Options of {@link connectPack}: how to mount the pack, and what the test client looks like. */
export interface ConnectPackOptions<CIn = unknown> extends MountOptions<CIn> {
  /** Which protocol the client speaks. Default {@link defaultTestProtocol}. */
  protocol?: TestProtocol;
  /**
   * Roots the client advertises (MCP roots capability). Omit for a client without roots support. Roots are asked
   * for in the 2025 era only; a 2026-era call sees none.
   */
  roots?: readonly ClientRoot[];
  /**
   * How the client answers questions to the user (elicitation, form mode); the client declares elicitation
   * support only when this is set. Every request it receives is also kept in {@link ConnectedPack.elicitations}.
   */
  elicit?: (request: ElicitationRequest) => RawAnswer | Promise<RawAnswer>;
  /**
   * The log level the client asks for: with `logging/setLevel` in the 2025 era (when set), on every call in the
   * 2026 era (where a call that names none gets no log messages). Default `debug`; `null` asks for none.
   */
  logLevel?: LogLevel | null;
  /** The server's name; default `mcp-packs-test`. */
  serverName?: string;
}

/** Options of {@link ConnectedPack.callTool}. */
export interface CallToolOptions {
  /** Called for each `notifications/progress` of this call; a progress token is sent only when this is set. */
  onProgress?: (progress: Progress) => void;
  /** Abort the call: the client closes the request's stream (2026 era) or sends `notifications/cancelled`. */
  signal?: AbortSignal;
  /** Request timeout in ms (default the SDK's, 60 s). */
  timeout?: number;
}

/** A pack mounted on a real server, with a real client connected to it. Close it, or use `await using`. */
export interface ConnectedPack<S = unknown> {
  /** The SDK client, for anything the helpers below do not cover. */
  readonly client: Client;
  /** The protocol the client speaks. */
  readonly protocol: TestProtocol;
  /** The mount: final names, services, close. */
  readonly mounted: MountedPack<S>;
  /** Every `notifications/message` the client received, in order. */
  readonly logs: LoggingMessageNotification['params'][];
  /** Every elicitation request the client received, in order. */
  readonly elicitations: ElicitationRequest[];
  /**
   * Call a tool by its key (`evaluate`) or final name (`math_evaluate`); resolves with the raw result, errors
   * included (`isError`), never throwing for a tool-level error.
   */
  callTool(name: string, args?: Record<string, unknown>, options?: CallToolOptions): Promise<CallToolResult>;
  /** Change the roots the client advertises and notify the server (`notifications/roots/list_changed`). */
  setRoots(roots: readonly ClientRoot[]): Promise<void>;
  /** Close the client, the server(s) and the mount (running the pack's cleanups). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Mount `pack` on a real `McpServer` (with logging enabled) and connect a real `Client` to it in the chosen era:
 * 2026-07-28 through `createMcpHandler` (a fresh server per request, as deployed), or 2025-11-25 over the
 * in-memory transport. Throws what `mountPack` throws (config and pack errors).
 *
 * @example
 * await using conn = await connectPack(mathPack, { config: { timeoutMs: 500 } });
 * const result = await conn.callTool('evaluate', { expression: '2 + 2' });
 * expect(structured(result)).toMatchObject({ value: '4' });
 */
export async function connectPack<P extends AnyPack>(
  pack: P,
  options: ConnectPackOptions<PackConfigInput<P>> = {},
): Promise<ConnectedPack<PackServices<P>>> {
  const protocol = options.protocol ?? defaultTestProtocol();
  const instance = await createPackInstance(pack, { ...options, sdk: 'v2' });
  const serverInfo = { name: options.serverName ?? 'mcp-packs-test', version: '0.0.0' };
  let unmounted = false;
  const newServer = () => {
    // Once the mount is closed, later requests meet a server that offers nothing (as a restarted one would).
    if (unmounted)
      return new McpServer(serverInfo, { capabilities: { logging: {}, tools: {}, resources: {}, prompts: {} } });
    const server = new McpServer(serverInfo, {
      capabilities: { logging: {} },
      requestState: { verify: verifyInputState },
    });
    instance.attach(server);
    return server;
  };

  let roots = options.roots ? [...options.roots] : undefined;
  const logLevel = options.logLevel === undefined ? 'debug' : options.logLevel;
  const client = new Client(
    { name: 'mcp-packs-test-client', version: '0.0.0' },
    {
      capabilities: {
        ...(roots ? { roots: { listChanged: true } } : {}),
        ...(options.elicit ? { elicitation: { form: {} } } : {}),
      },
      ...(protocol === '2026-07-28' ? { versionNegotiation: { mode: { pin: protocol } } } : {}),
    },
  );
  const logs: LoggingMessageNotification['params'][] = [];
  const elicitations: ElicitationRequest[] = [];
  client.setNotificationHandler('notifications/message', (notification) => {
    logs.push(notification.params);
  });
  if (roots) client.setRequestHandler('roots/list', () => ({ roots: roots ?? [] }));
  const elicit = options.elicit;
  if (elicit) {
    client.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params as unknown as ElicitationRequest;
      elicitations.push(params);
      return (await elicit(params)) as never;
    });
  }

  const closers: (() => Promise<void>)[] = [];
  if (protocol === '2026-07-28') {
    const handler = createMcpHandler(newServer, { legacy: 'reject' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://mcp-packs.test/mcp'), {
        fetch: (url, init) => handler.fetch(new Request(url, init)),
      }),
    );
    closers.push(() => handler.close());
  } else {
    const server = newServer();
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    if (options.logLevel) await client.setLoggingLevel(options.logLevel);
    closers.push(() => server.close());
  }

  const closeMount = () => {
    unmounted = true;
    return instance.close();
  };
  const mounted: MountedPack<PackServices<P>> = {
    name: instance.name,
    prefix: instance.prefix,
    instructions: instance.instructions,
    tools: instance.tools,
    prompts: instance.prompts,
    resources: instance.resources,
    resourceTemplates: instance.resourceTemplates,
    services: instance.services as PackServices<P>,
    close: closeMount,
    [Symbol.asyncDispose]: closeMount,
  };

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      await client.close();
      for (const closer of closers) await closer();
      await closeMount();
    })();
    return closed;
  };

  return {
    client,
    protocol,
    mounted,
    logs,
    elicitations,
    async callTool(name, args = {}, callOptions = {}) {
      const meta = protocol === '2026-07-28' && logLevel ? { _meta: { [LOG_LEVEL_META_KEY]: logLevel } } : {};
      return client.callTool(
        { name: finalToolName(mounted, name), arguments: args, ...meta },
        {
          ...(callOptions.onProgress ? { onprogress: callOptions.onProgress } : {}),
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
          ...(callOptions.timeout === undefined ? {} : { timeout: callOptions.timeout }),
        },
      );
    },
    async setRoots(next) {
      roots = [...next];
      await client.sendRootsListChanged();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** What a client sees of a mount: every tool, prompt, resource and template as listed, in a stable order. */
export interface ListedSurface {
  tools: unknown[];
  prompts: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
}

/**
 * List everything a client sees of `pack` mounted with `options` (through a real client), sorted by name, for a
 * committed snapshot: a change to any tool's name, description or schema then shows up in review.
 *
 * @example
 * const { tools } = await listSurface(myPack);
 */
export async function listSurface<P extends AnyPack>(
  pack: P,
  options: ConnectPackOptions<PackConfigInput<P>> = {},
): Promise<ListedSurface> {
  await using conn = await connectPack(pack, { logSink: () => {}, ...options });
  const capabilities = conn.client.getServerCapabilities() ?? {};
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    tools: capabilities.tools ? (await conn.client.listTools()).tools.sort(byName) : [],
    prompts: capabilities.prompts ? (await conn.client.listPrompts()).prompts.sort(byName) : [],
    resources: capabilities.resources
      ? (await conn.client.listResources()).resources.filter((r) => conn.mounted.resources.includes(r.uri)).sort(byName)
      : [],
    resourceTemplates: capabilities.resources
      ? (await conn.client.listResourceTemplates()).resourceTemplates.sort(byName)
      : [],
  };
}

/**
 * {@link listSurface} as the text of a committed snapshot file (stable JSON, trailing newline).
 *
 * @example
 * await expect(await surfaceSnapshot(myPack)).toMatchFileSnapshot('./__snapshots__/surface.json');
 */
export async function surfaceSnapshot<P extends AnyPack>(
  pack: P,
  options: ConnectPackOptions<PackConfigInput<P>> = {},
): Promise<string> {
  return `${JSON.stringify(await listSurface(pack, options), null, 2)}\n`;
}

/** The text of a tool result: its text blocks joined by newlines. */
export function resultText(result: CallToolResult): string {
  return result.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/** The structured content of a successful result; throws, with the result's text, when it is an error. */
export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  if (result.isError) throw new Error(`Expected a successful result, got an error: ${resultText(result)}`);
  if (result.structuredContent === undefined) throw new Error(`Result has no structuredContent: ${resultText(result)}`);
  return result.structuredContent as T;
}

/** A tool's hints as a client reads them from a listing. */
export interface ReadHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * A listed tool's hints as a client reads them: each hint the listing leaves out at the spec's default
 * (`readOnlyHint` false, `destructiveHint` true, `idempotentHint` false, `openWorldHint` true), as core lists them.
 * For asserting what a tool promises without depending on which defaults the listing spells out.
 *
 * @example
 * expect(hintsOf(tool.annotations)).toMatchObject({ readOnlyHint: false, destructiveHint: true });
 */
export function hintsOf(annotations: Record<string, unknown> | undefined): ReadHints {
  const hint = (key: keyof ReadHints, fallback: boolean) =>
    typeof annotations?.[key] === 'boolean' ? (annotations[key] as boolean) : fallback;
  return {
    readOnlyHint: hint('readOnlyHint', false),
    destructiveHint: hint('destructiveHint', true),
    idempotentHint: hint('idempotentHint', false),
    openWorldHint: hint('openWorldHint', true),
  };
}

/** The error code of an error result (`_meta["mcp-packs/error"].code`), or undefined for a success. */
export function errorCode(result: CallToolResult): string | undefined {
  if (!result.isError) return undefined;
  return (result._meta?.[ERROR_META_KEY] as ErrorMeta | undefined)?.code;
}

export { type CallToolResult, ERROR_META_KEY, type ErrorMeta };
