/**
 * Search mode: a server that lists `search_tools` and `call_tool` (and the few tools named in `discovery.list`)
 * instead of every tool. Every tool stays registered as in "all" mode; only what `tools/list` shows changes, and
 * `call_tool` hands its call to the SDK's own `tools/call` handler under the real name, with the same request
 * context: input validation, output checks, errors as `isError` results, progress (the request's progress token),
 * cancellation (its signal) and questions to the user (`input_required` in 2026, `elicitation/create` in 2025) behave
 * exactly as when the tool is called by name. A tool found by search can also be called by its own name.
 *
 * How: `McpServer` installs its `tools/list` and `tools/call` handlers through its protocol server's public
 * `setRequestHandler` when the first tool is registered. {@link Discovery.prepare} catches that one installation on
 * each server it is given, keeps the SDK's two handlers, and installs its own in their place (they call the SDK's).
 * So the server must be created without the `tools` capability (the SDK then adds it with the first tool). If the
 * SDK stopped installing them that way, `finish` throws at once rather than serving a broken list.
 *
 * Per composition, not per server: the catalog (every tool as the SDK lists it, identical on every server of the
 * composition) and the ranker over it are made on the first search and kept. `tools/list` is the same for every
 * connection to an endpoint, as the spec asks.
 */
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import type { ServerLog } from '../log.js';
import { createBm25Ranker } from './bm25.js';
import type { DiscoverySettings } from './config.js';
import { createHybridRanker, SEMANTIC_WEIGHT } from './hybrid.js';
import type { Ranker } from './ranker.js';
import { createSemanticRanker, type Embedder, loadUniversalSentenceEncoder, type PackageImporter } from './semantic.js';
import { type ListedTool, toolDocument } from './tool-document.js';

/** The name of the search tool. */
export const SEARCH_TOOLS = 'search_tools';
/** The name of the tool that calls a tool found by search. */
export const CALL_TOOL = 'call_tool';

/** Default and largest `limit` of search_tools. */
const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 20;

/** What a composition knows about its tools before any server exists. */
export interface DiscoveryOptions {
  settings: DiscoverySettings;
  /** How many tools the composition mounts (all behind search). */
  toolCount: number;
  /** Imports the semantic ranker's packages, resolved as packs are (the config's directory, then the server's). */
  importPackage: PackageImporter;
  /**
   * Loads the embedding model for the semantic and hybrid rankers. Default: the Universal Sentence Encoder through
   * `importPackage`. The endpoints of one composition (its presets) pass one loader, so they share one model.
   */
  loadEmbedder?: () => Promise<Embedder>;
  log?: ServerLog | undefined;
}

type Handler = (request: { method: string; params?: Record<string, unknown> }, ctx: ServerContext) => Promise<unknown>;

interface CallResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Search mode for one composition: prepares each of its servers. */
export interface Discovery {
  /** Text for the server instructions: how tools are found here. */
  readonly instructions: string;
  /** Call before anything registers tools on `server`; call `finish` once every pack is attached. */
  prepare(server: McpServer): { finish(): void };
  /** The ranker (built on first use), for tests and benchmarks. */
  ranker(ctx?: ServerContext): Promise<Ranker>;
}

const searchInput = z.strictObject({
  query: z.string().trim().min(1, 'say what you want to do'),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
});

const callInput = z.strictObject({
  name: z.string().min(1, 'name the tool to call'),
  arguments: z.record(z.string(), z.unknown()).optional(),
});

function textResult(text: string, structuredContent?: Record<string, unknown>, isError = false): CallResult {
  return {
    content: [{ type: 'text', text }],
    ...(structuredContent === undefined ? {} : { structuredContent }),
    ...(isError ? { isError: true } : {}),
  };
}

function invalid(tool: string, error: z.ZodError): CallResult {
  const detail = error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ');
  return textResult(`Invalid arguments for ${tool}: ${detail}.`, undefined, true);
}

function searchToolsDefinition(toolCount: number) {
  return {
    name: SEARCH_TOOLS,
    title: 'Search tools',
    description:
      `Find the tools of this server that can do what you need. It has ${toolCount} tools, most of them not listed: ` +
      'search here first. Describe the task in plain words ("convert 3 miles to km", "files changed today", "post ' +
      'a message to a Slack channel"). Returns the best matching tools, best first, each with its name, description ' +
      'and full input schema; call one with call_tool. If none fits, search again with other words.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, description: 'What you want to do, in plain words.' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: MAX_LIMIT,
          description: `How many tools to return, best first. Default ${DEFAULT_LIMIT}.`,
        },
      },
      required: ['query'],
      additionalProperties: false,
    },
    // Read-only: destructive and idempotent hints mean nothing (the spec), and are left out as core leaves them out.
    annotations: { readOnlyHint: true, openWorldHint: false },
  };
}

/** What call_tool's annotations say: read-only only when every tool is, destructive or open-world when any may be. */
function sharedAnnotations(tools: readonly ListedTool[]) {
  const all = tools.map((tool) => tool.annotations ?? {});
  return {
    readOnlyHint: all.every((a) => a.readOnlyHint === true),
    destructiveHint: all.some((a) => a.readOnlyHint !== true && a.destructiveHint !== false),
    openWorldHint: all.some((a) => a.openWorldHint !== false),
  };
}

function callToolDefinition(annotations: ReturnType<typeof sharedAnnotations>) {
  return {
    name: CALL_TOOL,
    title: 'Call a tool',
    description:
      'Call a tool of this server by its exact name (from search_tools, or named in the instructions) with arguments ' +
      "matching its input schema. Returns the tool's own result: its output, its errors, its questions to the user.",
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, description: 'The exact tool name, e.g. "fs_read_text_file".' },
        arguments: {
          type: 'object',
          description: "The tool's arguments: an object matching its inputSchema. Omit for a tool without any.",
        },
      },
      required: ['name'],
      additionalProperties: false,
    },
    annotations: annotations.readOnlyHint
      ? { readOnlyHint: true, openWorldHint: annotations.openWorldHint }
      : { ...annotations, idempotentHint: false },
  };
}

/** A composition's search mode. */
export function createDiscovery(options: DiscoveryOptions): Discovery {
  const { settings, toolCount, log } = options;
  const pinned = new Set(settings.list);
  let catalog: Promise<ListedTool[]> | undefined;
  let ranker: Promise<Ranker> | undefined;
  let rankerNote: string | undefined;

  /** Every tool as the SDK lists it, from the first server that needs it (they all list the same). */
  const loadCatalog = (list: Handler | undefined, ctx: ServerContext | undefined): Promise<ListedTool[]> => {
    catalog ??= list
      ? Promise.resolve()
          .then(() => list({ method: 'tools/list', params: {} }, ctx as ServerContext))
          .then((result) => (result as { tools: ListedTool[] }).tools)
      : Promise.resolve([]);
    catalog.catch(() => {
      catalog = undefined;
    });
    return catalog;
  };

  const buildRanker = async (tools: readonly ListedTool[]): Promise<Ranker> => {
    const documents = tools.map(toolDocument);
    const started = performance.now();
    const bm25 = settings.ranker === 'semantic' ? undefined : await createBm25Ranker(documents);
    if (settings.ranker === 'bm25' && bm25) return bm25;
    try {
      const embedder = await (options.loadEmbedder?.() ?? loadUniversalSentenceEncoder(options.importPackage));
      const semantic = await createSemanticRanker(documents, embedder);
      log?.debug(
        `search_tools: ${settings.ranker} ranker over ${documents.length} tools ready in ${Math.round(performance.now() - started)} ms (${embedder.model})`,
      );
      return bm25 ? createHybridRanker([bm25, { ranker: semantic, weight: SEMANTIC_WEIGHT }]) : semantic;
    } catch (error) {
      // The packages were there at start (checked with the config); a model that will not load must not take
      // search down with it.
      rankerNote = `the ${settings.ranker} ranker could not start (${error instanceof Error ? error.message : String(error)}); ranked by bm25`;
      log?.warning(`search_tools: ${rankerNote}`);
      return bm25 ?? createBm25Ranker(documents);
    }
  };

  const rankerFor = (list: Handler | undefined, ctx: ServerContext | undefined): Promise<Ranker> => {
    ranker ??= loadCatalog(list, ctx).then(buildRanker);
    ranker.catch(() => {
      ranker = undefined;
    });
    return ranker;
  };

  let listHandler: Handler | undefined;

  const search = async (args: unknown, list: Handler | undefined, ctx: ServerContext): Promise<CallResult> => {
    const parsed = searchInput.safeParse(args ?? {});
    if (!parsed.success) return invalid(SEARCH_TOOLS, parsed.error);
    const limit = parsed.data.limit ?? DEFAULT_LIMIT;
    const [tools, active] = await Promise.all([loadCatalog(list, ctx), rankerFor(list, ctx)]);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const hits = await active.rank(parsed.data.query, limit);
    const found = hits.flatMap((hit) => {
      const tool = byName.get(hit.name);
      if (!tool) return [];
      return [
        {
          name: tool.name,
          ...(tool.title ? { title: tool.title } : {}),
          description: tool.description ?? '',
          inputSchema: tool.inputSchema ?? { type: 'object' },
          ...(tool.annotations ? { annotations: tool.annotations } : {}),
        },
      ];
    });
    const structured = {
      tools: found,
      ranker: active.kind,
      ...(rankerNote ? { note: rankerNote } : {}),
    };
    if (found.length === 0) {
      return textResult(
        `No tool matched "${parsed.data.query}". Search again with other words: say what you want done (the task, the kind of thing it acts on).`,
        structured,
      );
    }
    return textResult(JSON.stringify(structured), structured);
  };

  const unknownTool = async (name: string, list: Handler | undefined, ctx: ServerContext): Promise<CallResult> => {
    const tools = await loadCatalog(list, ctx);
    const near = tools
      .map((tool) => ({ name: tool.name, d: distance(name.toLowerCase(), tool.name.toLowerCase()) }))
      .sort((a, b) => a.d - b.d)
      .filter((candidate) => candidate.d <= Math.max(3, Math.floor(name.length / 2)))
      .slice(0, 3)
      .map((candidate) => candidate.name);
    let suggestions = near;
    if (suggestions.length === 0) {
      const active = await rankerFor(list, ctx);
      suggestions = (await active.rank(name.replace(/[_-]+/g, ' '), 3)).map((hit) => hit.name);
    }
    const text =
      `There is no tool "${name}" on this server. ` +
      (suggestions.length > 0 ? `Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}? ` : '') +
      'Find tools and their exact names with search_tools.';
    return { ...textResult(text, undefined, true), _meta: { code: 'unknown_tool', suggestions } };
  };

  return {
    instructions:
      `## Finding tools\nThis server has ${toolCount} tools but lists only ${SEARCH_TOOLS} and ${CALL_TOOL}` +
      (pinned.size > 0 ? ` (and ${[...pinned].join(', ')})` : '') +
      `. Find the tool for a task with ${SEARCH_TOOLS}; call it, or any tool named in these instructions, with ${CALL_TOOL} (its name and arguments).`,

    ranker: (ctx) => rankerFor(listHandler, ctx),

    prepare(server: McpServer) {
      const protocol = server.server as unknown as { setRequestHandler: (method: string, ...rest: unknown[]) => void };
      const own = Object.hasOwn(protocol, 'setRequestHandler');
      const setRequestHandler = protocol.setRequestHandler;
      const captured: { list?: Handler; call?: Handler } = {};

      const listTools: Handler = async (_request, ctx) => {
        // call_tool's annotations come from the tools as listed, after the mounts' transforms.
        const tools = await loadCatalog(captured.list, ctx);
        return {
          tools: [
            searchToolsDefinition(toolCount),
            callToolDefinition(sharedAnnotations(tools)),
            ...tools.filter((tool) => pinned.has(tool.name)),
          ],
        };
      };
      const callTool: Handler = async (request, ctx) => {
        const params = request.params ?? {};
        const name = params.name;
        if (name === SEARCH_TOOLS) return search(params.arguments, captured.list, ctx);
        if (name !== CALL_TOOL) {
          if (captured.call) return captured.call(request, ctx);
          return unknownTool(String(name), captured.list, ctx);
        }
        const parsed = callInput.safeParse(params.arguments ?? {});
        if (!parsed.success) return invalid(CALL_TOOL, parsed.error);
        const target = parsed.data.name;
        if (target === SEARCH_TOOLS || target === CALL_TOOL) {
          return textResult(`Call ${target} directly, not through ${CALL_TOOL}.`, undefined, true);
        }
        const tools = await loadCatalog(captured.list, ctx);
        if (!captured.call || !tools.some((tool) => tool.name === target)) {
          return unknownTool(target, captured.list, ctx);
        }
        return captured.call(
          {
            ...request,
            params: {
              ...params,
              name: target,
              ...(parsed.data.arguments === undefined ? { arguments: {} } : { arguments: parsed.data.arguments }),
            },
          },
          ctx,
        );
      };

      protocol.setRequestHandler = function (this: unknown, method: string, ...rest: unknown[]) {
        if ((method === 'tools/list' || method === 'tools/call') && rest.length === 1) {
          if (method === 'tools/list') captured.list = rest[0] as Handler;
          else captured.call = rest[0] as Handler;
          return setRequestHandler.call(this, method, method === 'tools/list' ? listTools : callTool);
        }
        return setRequestHandler.call(this, method, ...rest);
      };

      return {
        finish() {
          if (own) protocol.setRequestHandler = setRequestHandler;
          else delete (protocol as { setRequestHandler?: unknown }).setRequestHandler;
          if (captured.list === undefined && captured.call === undefined) {
            // No pack has tools: search_tools and call_tool are still offered (and find nothing).
            const serverProtocol = server.server;
            serverProtocol.registerCapabilities({ tools: { listChanged: true } });
            setRequestHandler.call(serverProtocol, 'tools/list', listTools);
            setRequestHandler.call(serverProtocol, 'tools/call', callTool);
          } else if (captured.list === undefined || captured.call === undefined) {
            throw new Error(
              'search mode could not take over tools/list and tools/call: this version of @modelcontextprotocol/server installs them another way',
            );
          }
          listHandler ??= captured.list;
        },
      };
    },
  };
}
