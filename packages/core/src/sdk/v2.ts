/**
 * The adapter for SDK v2 (`@modelcontextprotocol/server`), which serves both protocol eras: 2026-07-28 (per
 * request, the `_meta` envelope, input requests in band) and 2025-11-25 (a session opened with `initialize`).
 *
 * - Schemas go to the SDK as Standard Schemas carrying their JSON Schema (json-schema.ts), so nothing reaches into
 *   zod or the SDK.
 * - Logging goes through `ctx.mcpReq.log`, which honours `logging/setLevel` in the 2025 era and the request's
 *   `logLevel` in the 2026 era.
 * - Questions to the user are replayed (input.ts): a tool call ends with `inputRequired(...)`; on 2025-era
 *   connections the SDK's own shim asks the client with real `elicitation/create` requests.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  completable,
  inputRequired,
  type McpServer,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  ResourceTemplate,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { ClientRoot } from '../call.js';
import type { InputPort } from '../input.js';
import { standardSchemaFor } from '../json-schema.js';
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

type Envelope = Record<string, unknown> | undefined;

/** Roots asked for on each server instance (one per connection), dropped when the client says they changed. */
const rootsAsked = new WeakMap<McpServer, Promise<readonly ClientRoot[] | undefined>>();

function isModern(ctx: ServerContext): boolean {
  return (ctx.mcpReq.envelope as Envelope)?.[PROTOCOL_VERSION_META_KEY] !== undefined;
}

/** Form elicitation: a bare `elicitation: {}` (the 2025-06 meaning) or one that lists `form`. */
function canAskForms(capabilities: { elicitation?: { form?: unknown; url?: unknown } } | undefined): boolean {
  const elicitation = capabilities?.elicitation;
  if (!elicitation) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

function createPort(server: McpServer, ctx: ServerContext): RequestPort {
  const modern = isModern(ctx);
  return {
    signal: ctx.mcpReq.signal,
    sessionId: ctx.sessionId,
    meta: ctx.mcpReq._meta as Readonly<Record<string, unknown>> | undefined,
    progressToken: ctx.mcpReq._meta?.progressToken,
    notify: (method, params) => ctx.mcpReq.notify({ method, params } as never),
    log(level, logger, data) {
      if (!server.server.getCapabilities().logging) return;
      // biome-ignore lint/suspicious/noExplicitAny: deprecated (SEP-2577) but the only per-request log channel in both eras
      (ctx.mcpReq as any).log(level, data, logger).catch(() => {});
    },
    roots() {
      if (modern || !server.server.getClientCapabilities()?.roots) return Promise.resolve(undefined);
      let pending = rootsAsked.get(server);
      if (!pending) {
        pending = ctx.mcpReq
          .send({ method: 'roots/list' })
          .then((result) =>
            result.roots.map((root) =>
              root.name === undefined ? { uri: root.uri } : { uri: root.uri, name: root.name },
            ),
          );
        const asked = pending;
        asked.catch(() => {
          if (rootsAsked.get(server) === asked) rootsAsked.delete(server);
        });
        rootsAsked.set(server, pending);
      }
      return pending;
    },
    input(): InputPort {
      const capabilities = modern
        ? ((ctx.mcpReq.envelope as Envelope)?.[CLIENT_CAPABILITIES_META_KEY] as Parameters<typeof canAskForms>[0])
        : server.server.getClientCapabilities();
      if (!canAskForms(capabilities))
        return { kind: 'none', reason: 'this client cannot ask the user (no elicitation)' };
      return { kind: 'replay', state: ctx.mcpReq.requestState(), responses: ctx.mcpReq.inputResponses };
    },
  };
}

function toProtocolError(error: unknown): unknown {
  return error instanceof ProtocolFault ? new ProtocolError(error.code, error.message, error.data) : error;
}

/** A prompt argument with completions: `completable` on the field itself, then `optional` again (v2 reads it there). */
function completableField(field: z.ZodType, complete: NonNullable<ReturnType<Handlers['completer']>>): z.ZodType {
  const optionalField = field as z.ZodType & { unwrap?: () => z.ZodType; _zod: { def: { type: string } } };
  if (optionalField._zod.def.type === 'optional' && optionalField.unwrap) {
    return (completable(optionalField.unwrap().clone(), complete as never) as unknown as z.ZodType).optional();
  }
  return completable(field.clone(), complete as never) as unknown as z.ZodType;
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
            inputSchema: standardSchemaFor(tool.inputSchema, 'input') as never,
            ...optional(
              'outputSchema',
              plan.listOutputSchemas && tool.outputSchema
                ? (standardSchemaFor(tool.outputSchema, 'output') as never)
                : undefined,
            ),
            annotations: listedAnnotations(annotations, tool.title),
            ...optional('icons', tool.icons as never),
            ...optional('_meta', tool.meta),
          },
          (async (args: unknown, ctx: ServerContext) => {
            const outcome = await handlers.tool(index, args, createPort(server, ctx));
            if (outcome.kind === 'result') return outcome.result;
            return inputRequired({
              inputRequests: { [outcome.key]: inputRequired.elicit(outcome.params as never) },
              requestState: outcome.requestState,
            });
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
        ...optional('icons', resource.icons as never),
      };
      registered.push(
        server.registerResource(name, uri, metadata, (url, ctx) =>
          handlers.resource(index, url, createPort(server, ctx)).catch((error) => {
            throw toProtocolError(error);
          }),
        ),
      );
    });

    plan.templates.forEach(({ name, uriTemplate, template }, index) => {
      const complete = templateCompleters(handlers, index);
      const sdkTemplate = new ResourceTemplate(uriTemplate, {
        list: template.list
          ? (ctx) =>
              handlers.listTemplate(index, createPort(server, ctx)).catch((error) => {
                throw toProtocolError(error);
              }) as never
          : undefined,
        complete,
      });
      const metadata = {
        ...optional('title', template.title),
        description: template.description,
        ...optional('mimeType', template.mimeType),
        ...optional('icons', template.icons as never),
      };
      registered.push(
        server.registerResource(name, sdkTemplate, metadata, (url, variables, ctx) =>
          handlers.template(index, url, variables, createPort(server, ctx)).catch((error) => {
            throw toProtocolError(error);
          }),
        ),
      );
    });

    plan.prompts.forEach(({ name, prompt }, index) => {
      const schema = prompt.argsSchema as z.ZodObject | undefined;
      let args: z.ZodObject | undefined;
      if (schema) {
        const shape: Record<string, z.ZodType> = {};
        for (const [arg, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
          const completer = handlers.completer('prompt', index, arg);
          // completable() marks the schema object itself; clone so mounts (and servers) never share the mark.
          shape[arg] = completer ? completableField(field, completer) : field;
        }
        args = schema.extend(shape) as z.ZodObject;
      }
      const get = (input: unknown, ctx: ServerContext) =>
        handlers.prompt(index, input, createPort(server, ctx)).catch((error) => {
          throw toProtocolError(error);
        });
      const config = {
        ...optional('title', prompt.title),
        description: prompt.description,
        ...optional('icons', prompt.icons as never),
      };
      registered.push(
        args === undefined
          ? server.registerPrompt(name, config, ((ctx: ServerContext) => get({}, ctx)) as never)
          : server.registerPrompt(name, { ...config, argsSchema: args as never }, get as never),
      );
    });
  } catch (error) {
    for (const item of registered) item.remove();
    throw error;
  }
  return registered;
}

export const adapter: SdkAdapter = {
  sdk: 'v2',
  register,
  broadcastLog(target: object, level: LogLevel, logger: string, data: unknown) {
    const server = target as McpServer;
    // Outside a request only a 2025-era session has a channel for it (the 2026 era sends nothing unasked).
    if (!server.isConnected() || !server.server.getCapabilities().logging) return;
    const version = server.server.getNegotiatedProtocolVersion();
    if (version === undefined || version >= '2026') return;
    server.sendLoggingMessage({ level, logger, data }).catch(() => {});
  },
  prepareServer(target: object) {
    const server = target as McpServer;
    // A changed root list invalidates the answer cached for this connection; core owns this notification handler.
    server.server.setNotificationHandler('notifications/roots/list_changed', async () => {
      rootsAsked.delete(server);
    });
  },
  onClose(target: object, listener: () => void) {
    whenClosed(target as McpServer, (target as McpServer).server, listener);
  },
};
