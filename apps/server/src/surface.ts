/**
 * `mcp-packs list`: the surface a client sees, read through a real SDK client connected in memory to a server of
 * the composition, so what is listed is exactly what goes over the wire. Each tool definition is priced with a
 * tokenizer-free estimate: its JSON size in UTF-8 bytes divided by 4 (JSON-heavy text runs close to 4 bytes per
 * token with current tokenizers; treat the figure as ±25%).
 */

import type { ToolAnnotations } from '@mcp-packs/core';
import { Client, type Tool } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import type { Composition } from './compose.js';
import { VERSION } from './version.js';

/** How token counts are estimated, as stated in `list` output. */
export const TOKEN_ESTIMATE = 'ceil(UTF-8 bytes of the JSON tool definition / 4), a tokenizer-free estimate (±25%)';

/** One tool as listed. */
export interface SurfaceTool {
  name: string;
  /** The pack it comes from (its name). */
  pack: string;
  title?: string;
  annotations: ToolAnnotations;
  /** Size of its definition in `tools/list`, in bytes of JSON. */
  bytes: number;
  /** Estimated tokens of its definition (see {@link TOKEN_ESTIMATE}). */
  tokens: number;
}

/** A preset of the config, as `list` shows it. */
export interface SurfacePreset {
  name: string;
  description?: string;
  /** Final names of its tools. */
  tools: string[];
}

/** The effective surface of a server (or of one preset's endpoint). */
export interface Surface {
  server: { name: string; version: string };
  /** The preset listed, when one was asked for. */
  preset?: string;
  /** Each mount, with what its listed tools cost (`bytes`, `tokens`: sums over its tools, as in `totals`). */
  packs: {
    use: string;
    name: string;
    version: string | null;
    prefix: string | null;
    tools: number;
    bytes: number;
    tokens: number;
  }[];
  tools: SurfaceTool[];
  /** Every listed tool (the server's own too, such as search_tools): count, bytes, bytes per tool, tokens. */
  totals: { tools: number; bytes: number; bytesPerTool: number; tokens: number; tokenEstimate: string };
  resources: { uri: string; name: string; pack: string }[];
  resourceTemplates: { uriTemplate: string; name: string; pack: string }[];
  prompts: { name: string; pack: string; description?: string }[];
  /** Every preset of the config (listed for the main endpoint only). */
  presets: SurfacePreset[];
}

async function all<T>(fetch: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string | undefined }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Ask a server of the composition (or of one preset) for everything it offers, through a real client. */
export async function describeSurface(composition: Composition, preset?: string): Promise<Surface> {
  const served = new Set(composition.endpoint(preset).tools);
  const composed = composition.createServer(preset);
  // Listing calls no tool: skip the client's output-schema compilation (Ajv, a good part of `list`'s run time).
  const client = new Client(
    { name: 'mcp-packs-list', version: VERSION },
    {
      jsonSchemaValidator: {
        getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
      },
    },
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await composed.server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const capabilities = client.getServerCapabilities() ?? {};
    const owner = new Map<string, string>();
    for (const { prepared } of composition.mounts) {
      const { surface } = prepared;
      for (const name of [...surface.tools, ...surface.prompts, ...surface.resources, ...surface.resourceTemplates]) {
        owner.set(name, prepared.pack.name);
      }
    }
    const ownerOf = (name: string) => owner.get(name) ?? 'server';
    const tools = capabilities.tools
      ? await all(async (cursor) => {
          const page = await client.listTools(cursor ? { cursor } : {});
          return { items: page.tools, nextCursor: page.nextCursor };
        })
      : [];
    const resources = capabilities.resources
      ? await all(async (cursor) => {
          const page = await client.listResources(cursor ? { cursor } : {});
          return { items: page.resources, nextCursor: page.nextCursor };
        })
      : [];
    const templates = capabilities.resources
      ? await all(async (cursor) => {
          const page = await client.listResourceTemplates(cursor ? { cursor } : {});
          return { items: page.resourceTemplates, nextCursor: page.nextCursor };
        })
      : [];
    const prompts = capabilities.prompts
      ? await all(async (cursor) => {
          const page = await client.listPrompts(cursor ? { cursor } : {});
          return { items: page.prompts, nextCursor: page.nextCursor };
        })
      : [];
    const listed = tools.map((tool: Tool): SurfaceTool => {
      const bytes = Buffer.byteLength(JSON.stringify(tool));
      return {
        name: tool.name,
        pack: ownerOf(tool.name),
        ...(tool.title === undefined ? {} : { title: tool.title }),
        annotations: (tool.annotations ?? {}) as ToolAnnotations,
        bytes,
        tokens: Math.ceil(bytes / 4),
      };
    });
    const bytes = listed.reduce((sum, tool) => sum + tool.bytes, 0);
    const byName = new Map(listed.map((tool) => [tool.name, tool]));
    return {
      server: { name: composition.name, version: VERSION },
      ...(preset === undefined ? {} : { preset }),
      packs: composition.mounts.map(({ prepared }) => {
        // By mount, not by pack name: one pack mounted twice is two entries. A tool not listed (behind
        // search_tools, or outside the preset) costs nothing here.
        const own = prepared.surface.tools.flatMap((name) => byName.get(name) ?? []);
        return {
          use: prepared.entry.use,
          name: prepared.pack.name,
          version: prepared.version ?? null,
          prefix: prepared.surface.prefix,
          tools: prepared.surface.tools.filter((tool) => served.has(tool)).length,
          bytes: own.reduce((sum, tool) => sum + tool.bytes, 0),
          tokens: own.reduce((sum, tool) => sum + tool.tokens, 0),
        };
      }),
      tools: listed,
      totals: {
        tools: listed.length,
        bytes,
        bytesPerTool: listed.length === 0 ? 0 : Math.round(bytes / listed.length),
        tokens: listed.reduce((sum, tool) => sum + tool.tokens, 0),
        tokenEstimate: TOKEN_ESTIMATE,
      },
      resources: resources.map((resource) => ({
        uri: resource.uri,
        name: resource.name,
        pack: ownerOf(resource.uri),
      })),
      resourceTemplates: templates.map((template) => ({
        uriTemplate: template.uriTemplate,
        name: template.name,
        pack: ownerOf(template.uriTemplate),
      })),
      prompts: prompts.map((prompt) => ({
        name: prompt.name,
        pack: ownerOf(prompt.name),
        ...(prompt.description === undefined ? {} : { description: prompt.description }),
      })),
      presets:
        preset === undefined
          ? composition.presets.map((item) => ({
              name: item.name,
              ...(item.description === undefined ? {} : { description: item.description }),
              tools: [...item.tools],
            }))
          : [],
    };
  } finally {
    await client.close();
    await composed.close();
  }
}

/**
 * Annotations in a few words: `read-only`, or what a writing tool may do. A hint left out means the spec's default
 * (a listing leaves defaults out): a writing tool may destroy, and a tool may reach the open world.
 */
export function describeAnnotations(annotations: ToolAnnotations): string {
  const words: string[] = [];
  if (annotations.readOnlyHint === true) words.push('read-only');
  else {
    words.push('writes');
    if (annotations.destructiveHint !== false) words.push('destructive');
    if (annotations.idempotentHint === true) words.push('idempotent');
  }
  if (annotations.openWorldHint !== false) words.push('open-world');
  return words.join(', ');
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const width = widths[i] ?? 0;
          if (i === row.length - 1 && !rightAligned.has(i)) return cell;
          return rightAligned.has(i) ? cell.padStart(width) : cell.padEnd(width);
        })
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}

/** The human-readable form of `list`. */
export function formatSurface(surface: Surface): string {
  const out: string[] = [];
  const packs = surface.packs.length;
  out.push(
    `${surface.server.name} (mcp-packs ${surface.server.version})${surface.preset === undefined ? '' : `, preset ${surface.preset}`}: ${packs} pack${packs === 1 ? '' : 's'}, ` +
      `${surface.totals.tools} tool${surface.totals.tools === 1 ? '' : 's'}, ` +
      `~${surface.totals.tokens} tokens of tool definitions (${surface.totals.bytes} bytes, ` +
      `${surface.totals.bytesPerTool} per tool)`,
  );
  if (packs > 0) {
    out.push('', 'Packs');
    out.push(
      table(
        [
          ['prefix', 'pack', 'use', 'tools', 'bytes', '~tokens'],
          ...surface.packs.map((pack) => [
            pack.prefix ?? '(no prefix)',
            `${pack.name}${pack.version ? `@${pack.version}` : ''}`,
            pack.use,
            String(pack.tools),
            String(pack.bytes),
            String(pack.tokens),
          ]),
          ['total', '', '', String(surface.totals.tools), String(surface.totals.bytes), String(surface.totals.tokens)],
        ],
        new Set([3, 4, 5]),
      ),
    );
  }
  if (surface.tools.length > 0) {
    out.push('', 'Tools');
    out.push(
      table(
        [
          ['name', 'pack', 'annotations', 'bytes', '~tokens'],
          ...surface.tools.map((tool) => [
            tool.name,
            tool.pack,
            describeAnnotations(tool.annotations),
            String(tool.bytes),
            String(tool.tokens),
          ]),
          ['total', '', '', String(surface.totals.bytes), String(surface.totals.tokens)],
        ],
        new Set([3, 4]),
      ),
    );
    out.push(`  (token estimate: ${surface.totals.tokenEstimate})`);
  }
  if (surface.resources.length > 0) {
    out.push('', 'Resources');
    out.push(table(surface.resources.map((resource) => [resource.uri, resource.pack])));
  }
  if (surface.resourceTemplates.length > 0) {
    out.push('', 'Resource templates');
    out.push(table(surface.resourceTemplates.map((template) => [template.uriTemplate, template.pack])));
  }
  if (surface.prompts.length > 0) {
    out.push('', 'Prompts');
    out.push(table(surface.prompts.map((prompt) => [prompt.name, prompt.pack])));
  }
  if (surface.presets.length > 0) {
    out.push('', 'Presets (HTTP <path>/<name>, stdio --preset <name>; list one with list --preset <name>)');
    out.push(
      table(
        surface.presets.map((preset) => [
          preset.name,
          `${preset.tools.length} tool${preset.tools.length === 1 ? '' : 's'}`,
          preset.description ?? '',
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
