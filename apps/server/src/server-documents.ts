/**
 * What a composition tells clients about itself: the server instructions (the config's, a preset's, each pack's),
 * and the server's own resources, `mcp-packs://server/config` (the effective config, secrets redacted) and
 * `mcp-packs://server/packs` (each mount, its tools as listed).
 */
import type { ToolAnnotations } from '@mcp-packs/core';
import { TAGS_META_KEY } from '@mcp-packs/core/host';
import type { Tool } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import type { Composition, Mount } from './compose.js';
import type { LoadedConfig } from './config/load.js';
import { ONCE, type TransportConfig } from './config/schema.js';
import type { PreparedPack } from './prepare.js';
import type { Preset } from './presets.js';
import { redactConfig } from './redact.js';

/** URI of the server's own resource with its effective config (secrets redacted). */
export const CONFIG_RESOURCE_URI = 'mcp-packs://server/config';
/** URI of the server's own resource listing the mounted packs. */
export const PACKS_RESOURCE_URI = 'mcp-packs://server/packs';

/** The instructions of an endpoint: the config's, the preset's, then each pack's (those the preset serves). */
export function joinInstructions(
  loaded: LoadedConfig,
  prepared: readonly PreparedPack[],
  preset: Preset | undefined,
): string | undefined {
  const parts: string[] = [];
  if (loaded.server.instructions) parts.push(loaded.server.instructions.trim());
  if (preset?.description) parts.push(`## Preset "${preset.name}"\n${preset.description.trim()}`);
  const served = preset === undefined ? undefined : new Set(preset.tools);
  for (const { pack, surface } of prepared) {
    if (!surface.instructions) continue;
    // A pack none of whose tools the preset serves has nothing to say here (one with no tools still may).
    if (served && surface.tools.length > 0 && !surface.tools.some((tool) => served.has(tool))) continue;
    const label = surface.prefix === null ? pack.name : `${pack.name} (tools ${surface.prefix}_*)`;
    parts.push(`## ${label}\n${surface.instructions.trim()}`);
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** One tool as `mcp-packs://server/packs` shows it. */
interface DocumentedTool {
  name: string;
  title?: string;
  annotations: ToolAnnotations;
  tags?: string[];
}

/** The document behind `mcp-packs://server/packs`, from the tools as they are listed (transforms applied). */
export function packsDocument(mounts: readonly Mount[], listed: readonly Tool[], preset: Preset | undefined): unknown {
  const byName = new Map(listed.map((tool) => [tool.name, tool]));
  return {
    ...(preset === undefined ? {} : { preset: preset.name }),
    packs: mounts.map(({ prepared: item, instance }) => ({
      use: item.entry.use,
      name: item.pack.name,
      version: item.version ?? null,
      description: item.pack.description,
      prefix: item.surface.prefix,
      readOnly: item.entry.readOnly ?? false,
      tools: instance.tools.flatMap((name): DocumentedTool[] => {
        const tool = byName.get(name);
        if (!tool) return [];
        const tags = tool._meta?.[TAGS_META_KEY];
        return [
          {
            name,
            ...(tool.title === undefined ? {} : { title: tool.title }),
            annotations: (tool.annotations ?? {}) as ToolAnnotations,
            ...(Array.isArray(tags) ? { tags: tags as string[] } : {}),
          },
        ];
      }),
      resources: item.surface.resources,
      resourceTemplates: item.surface.resourceTemplates,
      prompts: item.surface.prompts,
    })),
  };
}

/** The document behind `mcp-packs://server/config`: the effective config, defaults applied, secrets redacted. */
export function configDocument(
  loaded: LoadedConfig,
  prepared: readonly PreparedPack[],
  transport: TransportConfig,
  discovery: Composition['discovery'],
): unknown {
  const byIndex = new Map(prepared.map((item) => [item.entry.index, item]));
  const packs = loaded.rawPacks.map((raw, index) => {
    const item = byIndex.get(index);
    const written = raw as Record<string, unknown>;
    // Disabled in the file, or a default pack that is not installed.
    if (!item) return { ...written, mounted: false };
    const parsed = item.pack.configSchema?.safeParse(item.entry.config ?? {}, ONCE);
    return {
      use: item.entry.use,
      prefix: item.surface.prefix,
      ...(item.entry.tools === undefined ? {} : { tools: item.entry.tools }),
      ...(item.entry.transforms === undefined ? {} : { transforms: item.entry.transforms }),
      readOnly: item.entry.readOnly ?? false,
      config: parsed?.success ? parsed.data : (item.entry.config ?? {}),
    };
  });
  const document = {
    source: loaded.source.file ?? 'built-in default',
    server: { name: loaded.server.name, ...(loaded.server.instructions ? { instructions: '(set)' } : {}) },
    transport: transport.type === 'stdio' ? { type: 'stdio' } : transport,
    discovery,
    listing: loaded.listing,
    packs,
    ...(loaded.presets === undefined ? {} : { presets: loaded.presets }),
  };
  return redactConfig(document, loaded.fromEnv);
}

export function registerServerResources(server: McpServer, composition: Composition, preset: string | undefined): void {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const config = json(composition.configDocument);
  server.registerResource(
    'server_config',
    CONFIG_RESOURCE_URI,
    {
      title: 'Server config',
      description: 'The effective config of this mcp-packs server: defaults applied, secrets redacted.',
      mimeType: 'application/json',
    },
    () => ({ contents: [{ uri: CONFIG_RESOURCE_URI, mimeType: 'application/json', text: config }] }),
  );
  server.registerResource(
    'server_packs',
    PACKS_RESOURCE_URI,
    {
      title: 'Mounted packs',
      description: 'Each mounted pack: version, prefix, tools with their annotations, resources and prompts.',
      mimeType: 'application/json',
    },
    async () => ({
      contents: [
        { uri: PACKS_RESOURCE_URI, mimeType: 'application/json', text: json(await composition.packsDocument(preset)) },
      ],
    }),
  );
}
