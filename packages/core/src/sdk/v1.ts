/**
 * The adapter for SDK v1 (`@modelcontextprotocol/sdk` ^1.32), for servers that have not moved to v2 (the reference
 * servers among them). v1 speaks the 2025 era only: logs honour `logging/setLevel`, questions to the user go out as
 * server-to-client `elicitation/create` requests (push), roots as `roots/list`.
 *
 * v1 takes zod schemas only, so each tool gets an open zod object whose JSON Schema is core's 2020-12 listing, set
 * through zod's public `.meta()` (json-schema.ts).
 */
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ElicitResultSchema,
  ListRootsResultSchema,
  McpError,
  RootsListChangedNotificationSchema,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ClientRoot } from '../call.js';
import type { InputPort, RawAnswer } from '../input.js';
import { zodSchemaFor } from '../json-schema.js';
import { listedAnnotations } from '../listing.js';
import type { LogLevel } from '../log.js';
import {
  type Handlers,
  optional,
  ProtocolFault,
  type Registration,
  type RequestPort,
  type SdkAdapter,
  templateCompleters,
  whenClosed,
} from './port.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Roots asked for per transport and session, dropped when the client says they changed. */
const rootsAsked = new WeakMap<McpServer, WeakMap<object, Map<string, Promise<readonly ClientRoot[] | undefined>>>>();

// v1 keeps the per-session log level private; reading it here (v1's one seam) lets a call's log go out on the
// request's own stream while still honouring `logging/setLevel`. Covered by tests.
interface ServerInternals {
  _capabilities?: { logging?: unknown };
  isMessageIgnored?: (level: LogLevel, sessionId?: string) => boolean;
}

function clientLogEnabled(server: McpServer, level: LogLevel, sessionId: string | undefined): boolean {
  const internals = server.server as unknown as ServerInternals;
  if (!internals._capabilities?.logging) return false;
  return !internals.isMessageIgnored?.(level, sessionId);
}

function createPort(server: McpServer, extra: Extra): RequestPort {
  return {
    signal: extra.signal,
    sessionId: extra.sessionId,
    meta: extra._meta as Readonly<Record<string, unknown>> | undefined,
    progressToken: extra._meta?.progressToken,
    notify: (method: string, params: Record<string, unknown>) =>
      extra.sendNotification({ method, params } as ServerNotification),
    log(level: LogLevel, logger: string, data: unknown) {
      if (!clientLogEnabled(server, level, extra.sessionId)) return;
      extra.sendNotification({ method: 'notifications/message', params: { level, logger, data } }).catch(() => {});
    },
    roots(): Promise<readonly ClientRoot[] | undefined> {
      const transport = server.server.transport;
      if (!server.server.getClientCapabilities()?.roots || !transport) return Promise.resolve(undefined);
      let byTransport = rootsAsked.get(server);
      if (!byTransport) {
        byTransport = new WeakMap();
        rootsAsked.set(server, byTransport);
      }
      let bySession = byTransport.get(transport);
      if (!bySession) {
        bySession = new Map();
        byTransport.set(transport, bySession);
      }
      const key = extra.sessionId ?? '';
      let pending = bySession.get(key);
      if (!pending) {
        pending = extra
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
    },
    input(): InputPort {
      const elicitation = server.server.getClientCapabilities()?.elicitation as
        | { form?: unknown; url?: unknown }
        | undefined;
      if (!elicitation || (elicitation.form === undefined && elicitation.url !== undefined)) {
        return { kind: 'none', reason: 'this client cannot ask the user (no elicitation)' };
      }
      return {
        kind: 'push',
        ask: async (params, signal) =>
          (await extra.sendRequest({ method: 'elicitation/create', params } as ServerRequest, ElicitResultSchema, {
            signal,
            timeout: 600_000,
          })) as RawAnswer,
      };
    },
  };
}

function toMcpError(error: unknown): unknown {
  return error instanceof ProtocolFault ? new McpError(error.code, error.message, error.data) : error;
}

function register(target: object, handlers: Handlers): Registration[] {
  const server = target as McpServer;
  const { plan } = handlers;
  const registered: Registration[] = [];
  try {
    plan.tools.forEach(({ name, tool, annotations }, index) => {
      registered.push(
        server.registerTool(
          name,
          {
            ...optional('title', tool.title),
            description: tool.description,
            inputSchema: zodSchemaFor(tool.inputSchema, 'input') as never,
            ...optional(
              'outputSchema',
              plan.listOutputSchemas && tool.outputSchema
                ? (zodSchemaFor(tool.outputSchema, 'output') as never)
                : undefined,
            ),
            annotations: listedAnnotations(annotations, tool.title),
            ...optional('_meta', tool.meta),
          },
          (async (args: unknown, extra: Extra) => {
            // Push delivers answers within the call, so a v1 call never ends with a question.
            const outcome = await handlers.tool(index, args, createPort(server, extra));
            return outcome.kind === 'result' ? outcome.result : undefined;
          }) as never,
        ),
      );
    });

    plan.resources.forEach(({ name, uri, resource }, index) => {
      const metadata = {
        ...optional('title', resource.title),
        description: resource.description,
        ...optional('mimeType', resource.mimeType),
        ...optional('_meta', resource.meta),
      };
      registered.push(
        server.registerResource(name, uri, metadata, (url, extra) =>
          handlers.resource(index, url, createPort(server, extra)).catch((error) => {
            throw toMcpError(error);
          }),
        ),
      );
    });

    plan.templates.forEach(({ name, uriTemplate, template }, index) => {
      const complete = templateCompleters(handlers, index);
      const sdkTemplate = new ResourceTemplate(uriTemplate, {
        list: template.list
          ? (extra) =>
              handlers.listTemplate(index, createPort(server, extra)).catch((error) => {
                throw toMcpError(error);
              }) as never
          : undefined,
        complete,
      });
      const metadata = {
        ...optional('title', template.title),
        description: template.description,
        ...optional('mimeType', template.mimeType),
      };
      registered.push(
        server.registerResource(name, sdkTemplate, metadata, (url, variables, extra) =>
          handlers.template(index, url, variables, createPort(server, extra)).catch((error) => {
            throw toMcpError(error);
          }),
        ),
      );
    });

    plan.prompts.forEach(({ name, prompt }, index) => {
      const schema = prompt.argsSchema as z.ZodObject | undefined;
      let shape: Record<string, z.ZodType> | undefined;
      if (schema) {
        shape = {};
        for (const [arg, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
          const completer = handlers.completer('prompt', index, arg);
          // completable() marks the schema object itself; clone so mounts (and servers) never share the mark.
          shape[arg] = completer ? completable(field.clone(), completer as never) : field;
        }
      }
      const get = (input: unknown, extra: Extra) =>
        handlers.prompt(index, input, createPort(server, extra)).catch((error) => {
          throw toMcpError(error);
        });
      registered.push(
        server.registerPrompt(
          name,
          { ...optional('title', prompt.title), description: prompt.description, ...optional('argsSchema', shape) },
          (shape === undefined ? (extra: Extra) => get({}, extra) : get) as never,
        ),
      );
    });
  } catch (error) {
    for (const item of registered) item.remove();
    throw error;
  }
  return registered;
}

export const adapter: SdkAdapter = {
  sdk: 'v1',
  register,
  broadcastLog(target: object, level: LogLevel, logger: string, data: unknown) {
    const server = target as McpServer;
    if (server.isConnected() && clientLogEnabled(server, level, undefined)) {
      server.server.sendLoggingMessage({ level, logger, data }).catch(() => {});
    }
  },
  prepareServer(target: object) {
    const server = target as McpServer;
    server.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
      rootsAsked.delete(server);
    });
  },
  onClose(target: object, listener: () => void) {
    whenClosed(target as McpServer, (target as McpServer).server, listener);
  },
};
