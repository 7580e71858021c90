/**
 * The config file's schema. The JSON Schema shipped as `schema.json` (for `"$schema"` in editors) is generated from
 * it by `scripts/generate-schema.ts`, and a test keeps the two in step.
 */
import { LOG_LEVELS, PACK_NAME_PATTERN } from '@mcp-packs/core';
import { z } from 'zod';
import { discoverySchema } from '../discovery/config.js';
import { telemetrySchema } from '../telemetry/config.js';

/** Default TCP port of the Streamable HTTP transport. */
export const DEFAULT_HTTP_PORT = 3100;
/** Default path of the MCP endpoint. */
export const DEFAULT_HTTP_PATH = '/mcp';
/** Default upper bound of a request body, in bytes (the SDK's default: 4 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Default idle time after which an HTTP session is closed, in seconds. */
export const DEFAULT_SESSION_IDLE_SECONDS = 30 * 60;
/** Default maximum number of open HTTP sessions. */
export const DEFAULT_MAX_SESSIONS = 1000;
/**
 * Default time a client has to send a request's headers, in seconds. Node's own default is 60; a real client sends
 * its headers in one packet, and a client that drips them (slowloris) holds a connection only this long.
 */
export const DEFAULT_HEADERS_TIMEOUT_SECONDS = 10;
/**
 * Default time a client has to send a whole request, headers and body, in seconds (Node's default: 300). A body at
 * the 4 MiB limit arrives within it at 70 KB/s. Answers are not bounded by it: a long call or an event stream may run
 * as long as it needs.
 */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;
/**
 * Default time an answer may wait on a client that takes none of it (it stopped reading), in seconds, before the
 * connection is dropped (as nginx's `send_timeout`). An idle event stream, or a call still running, waits on nothing
 * and is never dropped by it.
 */
export const DEFAULT_SEND_TIMEOUT_SECONDS = 60;
/**
 * Default maximum number of connections open at once; beyond, a new connection is closed at once. Room for every
 * session to hold its event stream and a request or two: it keeps a flood of connections from taking every file
 * descriptor the packs need.
 */
export const DEFAULT_MAX_CONNECTIONS = 2000;

const toolName = z.string().min(1);

/** Which of a pack's tools to mount. */
export const toolFilterSchema = z
  .strictObject({
    include: z.array(toolName).optional().describe('Mount only these tools (keys like "read_file" or final names).'),
    exclude: z.array(toolName).optional().describe('Mount every tool but these.'),
  })
  .describe("Which of the pack's tools to mount. A name that is not a tool of the pack is an error.");

/** What a mount does with one parameter of a tool. */
export const argTransformSchema = z
  .strictObject({
    fixed: z
      .unknown()
      .optional()
      .describe('Always pass this value; the parameter disappears from the schema the model sees.'),
    default: z.unknown().optional().describe('Pass this value when the model leaves the parameter out.'),
    hidden: z
      .literal(true)
      .optional()
      .describe('Hide an optional parameter: gone from the schema the model sees, and refused when a call sends it.'),
  })
  .describe(
    'Exactly one of "fixed", "default" or "hidden", checked against the parameter\'s schema at start. These apply over the pack\'s own (a pack may hide a parameter its config makes useless).',
  );

/** Annotations a mount lays over a tool's own. */
export const annotationsTransformSchema = z
  .strictObject({
    title: z.string().optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .describe(
    "Merged over the pack's annotations. Never safer than the pack says: readOnlyHint true, destructiveHint false and openWorldHint false only where the pack says so too.",
  );

/** How a mount changes one tool. */
export const toolTransformSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .optional()
      .describe('A new name. The prefix still applies: "read" under prefix "fs" is listed as "fs_read".'),
    title: z.string().min(1).optional().describe('A new title.'),
    description: z.string().min(1).optional().describe("A new description for the model, replacing the pack's."),
    hidden: z.boolean().optional().describe('true: neither listed nor callable (as tools.exclude).'),
    args: z
      .record(z.string(), argTransformSchema)
      .optional()
      .describe('Per parameter name: { "fixed": value }, { "default": value } or { "hidden": true }.'),
    annotations: annotationsTransformSchema.optional(),
    tags: z.array(z.string().min(1)).optional().describe('Labels listed in the tool\'s _meta under "mcp-packs/tags".'),
  })
  .describe('How this mount changes one tool.');

/** One pack to mount. */
export const packEntrySchema = z
  .strictObject({
    use: z
      .string()
      .min(1)
      .describe(
        'The pack to mount: an npm package name (resolved from the config file\'s directory, then from the server\'s own packages), or a path to a module ("./my-pack.js", "~/packs/x.mjs", absolute). Its default export, or a named export `pack`, must be a pack built with definePack.',
      ),
    prefix: z
      .string()
      .regex(PACK_NAME_PATTERN, 'a prefix is lower-case letters, digits and hyphens, starting with a letter')
      .nullable()
      .optional()
      .describe(
        "Namespace of the pack's tools and prompts (`<prefix>_<tool>`) and resource URIs (`scheme://<prefix>/...`). Default: the pack's name. `null` mounts tools under their bare names. Two packs may not share a prefix.",
      ),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        `The pack's own config, validated by the pack's schema (see its README). Strings may use \${ENV} / \${ENV:-default}; a string that starts with ~/, ./ or ../ (or is ~, . or ..) is a path, expanded and resolved against the config file's directory.`,
      ),
    tools: toolFilterSchema.optional(),
    transforms: z
      .record(z.string(), toolTransformSchema)
      .optional()
      .describe(
        'Per tool (its name in the pack, like "read_text_file", or its final name): rename, redescribe, hide, fix or default arguments, override annotations, tag. Checked against the pack at start.',
      ),
    readOnly: z
      .boolean()
      .optional()
      .describe('Mount only the tools annotated read-only; the others are neither listed nor callable.'),
    enabled: z.boolean().optional().describe('Set to false to keep the entry in the file without mounting it.'),
  })
  .describe('A pack to mount.');

/** A preset's name: it becomes an HTTP path segment (`/mcp/<name>`) and the argument of `--preset`. */
export const PRESET_NAME_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

/** One named subset of the tools, served at an endpoint of its own. */
export const presetSchema = z
  .strictObject({
    tools: z
      .array(z.string().min(1))
      .min(1, 'a preset needs at least one tool')
      .describe(
        'The tools of the preset, by final name ("notes_search", as `mcp-packs list` shows them); "*" matches any run of characters ("web_*"). Each entry must match a mounted tool.',
      ),
    description: z
      .string()
      .min(1)
      .optional()
      .describe("What the preset is for: shown by `mcp-packs list`, and to the model in its endpoint's instructions."),
  })
  .describe('A named subset of the tools, served at its own endpoint.');

/** The transport the server speaks, and the options of Streamable HTTP. */
export const transportSchema = z
  .strictObject({
    type: z
      .enum(['stdio', 'http'])
      .default('stdio')
      .describe('"stdio" (default; what desktop clients launch) or "http" (Streamable HTTP). --http overrides.'),
    host: z
      .string()
      .min(1)
      .optional()
      .describe('HTTP: the address to bind. Default 127.0.0.1 (this machine only). --host overrides.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe(`HTTP: the TCP port; 0 picks a free one. Default ${DEFAULT_HTTP_PORT}. --port overrides.`),
    path: z
      .string()
      .regex(/^\/[^?#]*$/, 'a path starts with / and has no query or fragment')
      .optional()
      .describe(`HTTP: the path of the MCP endpoint. Default ${DEFAULT_HTTP_PATH}.`),
    token: z
      .string()
      .min(16, 'a bearer token needs at least 16 characters')
      .optional()
      .describe(
        `HTTP: the bearer token clients must send (Authorization: Bearer <token>). Use "\${MCP_PACKS_TOKEN}" rather than writing it here. Default: the MCP_PACKS_TOKEN environment variable, else one is generated at start and printed to stderr.`,
      ),
    allowedHosts: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'HTTP: extra Host header names accepted (DNS-rebinding protection), e.g. "mcp.example.com". localhost, 127.0.0.1, [::1] and the bound host are always accepted.',
      ),
    allowedOrigins: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'HTTP: extra browser origins accepted, e.g. "https://app.example.com". Requests without Origin and from loopback origins are always accepted.',
      ),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(`HTTP: the largest request body accepted (413 above). Default ${DEFAULT_MAX_BODY_BYTES} (4 MiB).`),
    sessionIdleSeconds: z
      .number()
      .positive()
      .optional()
      .describe(
        `HTTP: close a session after this long without requests or open streams. Default ${DEFAULT_SESSION_IDLE_SECONDS}.`,
      ),
    maxSessions: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        `HTTP: the most 2025-era sessions open at once. A new one then replaces the session idle longest (its client gets 404 and starts again); 503 when every session is busy. Default ${DEFAULT_MAX_SESSIONS}.`,
      ),
    headersTimeoutSeconds: z
      .number()
      .positive()
      .optional()
      .describe(
        `HTTP: the time a client has to send a request's headers; slower ones get 408 and are disconnected. Default ${DEFAULT_HEADERS_TIMEOUT_SECONDS}. At most requestTimeoutSeconds.`,
      ),
    requestTimeoutSeconds: z
      .number()
      .positive()
      .optional()
      .describe(
        `HTTP: the time a client has to send a whole request, headers and body (408 beyond). Answers are not bounded by it. Default ${DEFAULT_REQUEST_TIMEOUT_SECONDS}.`,
      ),
    sendTimeoutSeconds: z
      .number()
      .positive()
      .optional()
      .describe(
        `HTTP: drop a connection when the client has taken nothing of an answer for this long (it stopped reading). An idle event stream is not affected. Default ${DEFAULT_SEND_TIMEOUT_SECONDS}.`,
      ),
    maxConnections: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        `HTTP: the most connections open at once; a connection beyond is closed at once. Default ${DEFAULT_MAX_CONNECTIONS}.`,
      ),
    stateSecret: z
      .string()
      .min(32, 'a state secret needs at least 32 characters')
      .optional()
      .describe(
        `HTTP: the secret that signs state handed to clients and read back later (multi-round-trip request state, search cursors): every replica behind a load balancer needs the same one. Use "\${MCP_PACKS_STATE_SECRET}" rather than writing it here. Default: the MCP_PACKS_STATE_SECRET environment variable, else random per process (state is then good on this process only).`,
      ),
    backend: z
      .strictObject({
        redis: z
          .string()
          .regex(/^rediss?:\/\//, 'a Redis URL starts with redis:// or rediss://')
          .describe(
            `The Redis server, e.g. "redis://127.0.0.1:6379", or "\${REDIS_URL}" to take it from the environment.`,
          ),
        keyPrefix: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Prefix of every Redis key and channel, so several deployments can share one Redis. Default "mcp-packs:".',
          ),
      })
      .optional()
      .describe(
        'HTTP: where 2025-era sessions, their event streams (resumability) and server events are kept, so N replicas serve any session. Default: in this process (one replica).',
      ),
    stateless: z
      .boolean()
      .optional()
      .describe(
        'HTTP, 2025-11-25 era: serve without sessions (a fresh protocol server per request, packs still set up once), for replicas behind a load balancer; server-to-client requests (roots) are then unavailable to 2025-era clients. The 2026-07-28 era is always stateless.',
      ),
  })
  .superRefine((transport, context) => {
    // Node refuses a headers timeout longer than the request timeout (headers are part of the request).
    const headers = transport.headersTimeoutSeconds ?? DEFAULT_HEADERS_TIMEOUT_SECONDS;
    const request = transport.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
    if (headers > request) {
      context.addIssue({
        code: 'custom',
        path: [transport.headersTimeoutSeconds === undefined ? 'requestTimeoutSeconds' : 'headersTimeoutSeconds'],
        message: `headersTimeoutSeconds (${headers}) may not exceed requestTimeoutSeconds (${request}): the headers are part of the request`,
      });
    }
  })
  .describe('How clients connect.');

/** What clients see of the server. */
export const serverSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('The server name clients see. Default "mcp-packs".'),
    instructions: z
      .string()
      .optional()
      .describe("Instructions for the model, placed before the packs' own instructions."),
  })
  .describe('What clients see of the server.');

/** Server logs. */
export const logSchema = z
  .strictObject({
    level: z
      .enum(LOG_LEVELS)
      .optional()
      .describe(
        'The least severe level logged to stderr. Default "info". --log-level and MCP_PACKS_LOG_LEVEL override.',
      ),
    file: z
      .string()
      .min(1)
      .optional()
      .describe('Also append the log to this file. --log-file and MCP_PACKS_LOG_FILE override.'),
  })
  .describe('Server logs (never on stdout).');

/** How tools are listed to clients. */
export const listingSchema = z
  .strictObject({
    outputSchemas: z
      .boolean()
      .optional()
      .describe(
        "List each tool's outputSchema in tools/list. Default false: the listing stays lean (output schemas were two fifths of it), and results still carry structuredContent, checked by the server against the tool's schema, with the same data as JSON text. Set true for clients that read or validate output schemas.",
      ),
  })
  .describe('How tools are listed to clients.');

/** The whole config file. */
export const configFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema of this file, for editor completion.'),
    server: serverSchema.optional(),
    transport: transportSchema.optional(),
    log: logSchema.optional(),
    discovery: discoverySchema.optional(),
    telemetry: telemetrySchema.optional(),
    listing: listingSchema.optional(),
    packs: z.array(packEntrySchema).describe('The packs to mount, in order.'),
    presets: z
      .record(
        z
          .string()
          .regex(
            PRESET_NAME_PATTERN,
            'a preset name is lower-case letters, digits and hyphens, starting with a letter (at most 64)',
          ),
        presetSchema,
      )
      .optional()
      .describe(
        'Named subsets of the tools, each served at its own endpoint: over HTTP at <transport.path>/<name> (same token and checks), on stdio with `mcp-packs --preset <name>`. The main endpoint still serves every tool.',
      ),
  })
  .describe('mcp-packs server config (mcp-packs.config.json). JSON with comments allowed.');

/** A pack entry as written in the config file. */
export type PackEntryConfig = z.output<typeof packEntrySchema>;
/** A preset as written. */
export type PresetConfig = z.output<typeof presetSchema>;
/** The transport section, defaults applied. */
export type TransportConfig = z.output<typeof transportSchema>;
/** A validated config file. */
export type ConfigFile = z.output<typeof configFileSchema>;

/** The JSON Schema of the config file, as shipped in `schema.json`. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configFileSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://unpkg.com/@mcp-packs/server/schema.json',
    title: 'mcp-packs config',
  };
}

/**
 * Parse options for what is parsed once, at start (config files, pack configs): no zod compiled fast path, whose
 * compiling costs more than the one parse saves.
 */
export const ONCE = { jitless: true } as const;
