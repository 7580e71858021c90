/**
 * @mcp-packs/core/testing: drive a pack through a real SDK `Client` connected over the in-memory transport to a
 * real `McpServer` with the pack mounted. Nothing is mocked: what passes here passes over stdio and HTTP too.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  ListRootsRequestSchema,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import type { ClientRoot } from '../call.js';
import { type MountedPack, type MountOptions, mountPack } from '../mount.js';
import type { AnyPack, PackConfigInput, PackServices } from '../pack.js';
import { ERROR_META_KEY, type ErrorMeta } from '../results.js';

/** Options of {@link connectPack}: how to mount the pack, and what the test client looks like. */
export interface ConnectPackOptions<CIn = unknown> extends MountOptions<CIn> {
  /** Roots the client advertises (MCP roots capability). Omit for a client without roots support. */
  roots?: readonly ClientRoot[];
  /** The server's name in `initialize`; default `mcp-packs-test`. */
  serverName?: string;
}

/** Options of {@link ConnectedPack.callTool}. */
export interface CallToolOptions {
  /** Called for each `notifications/progress` of this call; a progress token is sent only when this is set. */
  onProgress?: (progress: Progress) => void;
  /** Abort the call; the client sends `notifications/cancelled`. */
  signal?: AbortSignal;
  /** Request timeout in ms (default the SDK's, 60 s). */
  timeout?: number;
}

/** A pack mounted on a real server, with a real client connected to it. Close it, or use `await using`. */
export interface ConnectedPack<S = unknown> {
  /** The SDK client, for anything the helpers below do not cover. */
  readonly client: Client;
  /** The SDK server the pack is mounted on. */
  readonly server: McpServer;
  /** The mount: final names, services, close. */
  readonly mounted: MountedPack<S>;
  /** Every `notifications/message` the client received, in order. */
  readonly logs: LoggingMessageNotification['params'][];
  /**
   * Call a tool by its key (`evaluate`) or final name (`math_evaluate`); resolves with the raw result, errors
   * included (`isError`), never throwing for a tool-level error.
   */
  callTool(name: string, args?: Record<string, unknown>, options?: CallToolOptions): Promise<CallToolResult>;
  /** Change the roots the client advertises and notify the server (`notifications/roots/list_changed`). */
  setRoots(roots: readonly ClientRoot[]): Promise<void>;
  /** Close the client, the mount (running the pack's cleanups) and the server. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Mount `pack` on a fresh `McpServer` (with logging enabled), connect a real `Client` over the in-memory transport,
 * and return both. Throws what `mountPack` throws (config and pack errors).
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
  const server = new McpServer(
    { name: options.serverName ?? 'mcp-packs-test', version: '0.0.0' },
    { capabilities: { logging: {} } },
  );
  const mounted = await mountPack(server, pack, options);
  let roots = options.roots ? [...options.roots] : undefined;
  const client = new Client(
    { name: 'mcp-packs-test-client', version: '0.0.0' },
    { capabilities: roots ? { roots: { listChanged: true } } : {} },
  );
  const logs: LoggingMessageNotification['params'][] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    logs.push(notification.params);
  });
  if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots ?? [] }));

  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);

  const resolveName = (name: string): string => {
    if (mounted.tools.includes(name)) return name;
    const prefixed = mounted.prefix === null ? name : `${mounted.prefix}_${name}`;
    return mounted.tools.includes(prefixed) ? prefixed : name;
  };

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      await client.close();
      await mounted.close();
      await server.close();
    })();
    return closed;
  };

  return {
    client,
    server,
    mounted: mounted as never,
    logs,
    async callTool(name, args = {}, callOptions = {}) {
      const result = await client.callTool({ name: resolveName(name), arguments: args }, CallToolResultSchema, {
        ...(callOptions.onProgress ? { onprogress: callOptions.onProgress } : {}),
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        ...(callOptions.timeout === undefined ? {} : { timeout: callOptions.timeout }),
      });
      return result as CallToolResult;
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

/** The error code of an error result (`_meta["mcp-packs/error"].code`), or undefined for a success. */
export function errorCode(result: CallToolResult): string | undefined {
  if (!result.isError) return undefined;
  return (result._meta?.[ERROR_META_KEY] as ErrorMeta | undefined)?.code;
}

export { ERROR_META_KEY, type ErrorMeta };
