/**
 * What a mount will be, worked out before anything runs: the validated config, the prefix, the tools a filter and
 * the config leave, and every final name and URI, checked. No SDK, no side effects.
 */
import { ConfigError, type ConfigIssue, PackError } from './errors.js';
import { unlistableReason } from './json-schema.js';
import type { ListingOptions } from './listing.js';
import { FINAL_NAME_PATTERN, finalName, mountedUri, PACK_NAME_PATTERN } from './naming.js';
import { type AnyPack, isPack, PACK_API_VERSION } from './pack.js';
import type { AnyPromptDefinition } from './prompt.js';
import type { ResourceDefinition, ResourceTemplateDefinition } from './resource.js';
import { isPlainObject } from './results.js';
import type { AnyToolDefinition, ToolAnnotations } from './tool.js';
import { resolveTransforms, type ToolTransforms } from './transform.js';
import type { ToolArgTransforms } from './transform-args.js';
import { withViewMeta } from './view.js';

/** Which tools of a pack to mount, by key (`write_file`) or final name (`fs_write_file`). */
export interface ToolFilter {
  /** Mount only these tools. */
  include?: readonly string[];
  /** Mount every tool but these. */
  exclude?: readonly string[];
}

/** The options that decide what a mount offers (shared by `mountPack` and `createPackInstance`). */
export interface PlanOptions<CIn = unknown> {
  /**
   * The namespace for tool and prompt names (`${prefix}_${key}`) and resource URIs (`scheme://<prefix>/…`).
   * Default: the pack's own default prefix (its `prefix`, else its name). `null` mounts tools and prompts under
   * their bare keys.
   */
  prefix?: string | null;
  /** The pack's config, validated with its schema (defaults applied) before anything else happens. */
  config?: CIn;
  /** Include or exclude tools. A name that matches no tool of the pack is an error. */
  tools?: ToolFilter;
  /**
   * Change tools on this mount, by the pack's tool key: rename, redescribe, hide, fix or default arguments,
   * override annotations, tag ({@link ToolTransforms}). Checked against the pack before anything runs.
   */
  transforms?: ToolTransforms;
  /**
   * Mount only tools annotated `readOnlyHint: true` (after transforms, which can never make a tool look safer);
   * the others are neither listed nor callable.
   */
  readOnly?: boolean;
  /** How config errors name the config's location; default `packs[<prefix>].config`. */
  configPath?: string;
  /** How transform errors name the transforms' location; default `packs[<prefix>].transforms`. */
  transformsPath?: string;
  /** How the tools are listed (`outputSchemas: false` leaves output schemas out of tools/list). */
  listing?: ListingOptions;
}

/** A checked plan of one mount. */
export interface MountPlan {
  pack: AnyPack;
  prefix: string | null;
  /** The prefix, or the pack name without one: the URI authority and the log source. */
  source: string;
  /** How messages name this mount: `pack "notes"`, `pack "notes" mounted as "work"`. */
  owner: string;
  /** Where the config sits in the host's config, for messages: `packs[fs].config`. */
  configPath: string;
  config: unknown;
  /** Whether tools/list shows each tool's output schema ({@link ListingOptions.outputSchemas}). */
  listOutputSchemas: boolean;
  /** The tools to offer, each with its annotations after the pack's config-dependent overrides. */
  tools: { key: string; name: string; tool: AnyToolDefinition; annotations: ToolAnnotations }[];
  prompts: { key: string; name: string; prompt: AnyPromptDefinition }[];
  resources: { key: string; name: string; uri: string; resource: ResourceDefinition }[];
  templates: { key: string; name: string; uriTemplate: string; template: ResourceTemplateDefinition }[];
}

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
  // Parsed once: skip zod's compiled fast path (compiling it costs more than one parse saves).
  const parsed = schema.safeParse(config ?? {}, { jitless: true });
  if (parsed.success) return parsed.data;
  const issues: ConfigIssue[] = parsed.error.issues.map((issue) => ({
    path: path + issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join(''),
    segments: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    message: issue.message,
  }));
  throw new ConfigError(
    `Invalid config for pack "${pack.name}":\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
    { code: 'invalid_config', pack: pack.name, issues },
  );
}

/**
 * A schema that cannot become JSON Schema would make tools/list fail for the whole server: refuse the pack. Every
 * tool is checked, mounted or not; conversions are remembered (json-schema.ts), so this costs once per process.
 */
function checkListable(pack: AnyPack): void {
  const problems: string[] = [];
  for (const [key, tool] of Object.entries(pack.tools as Record<string, AnyToolDefinition>)) {
    for (const [io, schema] of [
      ['input', tool.inputSchema],
      ['output', tool.outputSchema],
    ] as const) {
      const reason = schema === undefined ? undefined : unlistableReason(schema, io);
      if (reason !== undefined) {
        problems.push(
          `tools.${key}.${io}Schema: cannot be listed as JSON Schema (${reason}); use JSON-representable types`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new PackError(`Pack ${JSON.stringify(pack.name)} is not valid:\n- ${problems.join('\n- ')}`, {
      code: 'invalid_definition',
      pack: pack.name,
    });
  }
}

/**
 * Check a pack and mount options and work out the mount: throws `PackError` (not a pack, API version, prefix,
 * names, filters) or `ConfigError` (every config issue with its key path). Runs nothing of the pack but its
 * `disabledTools(config)`.
 */
export function planMount(pack: AnyPack, options: PlanOptions): MountPlan {
  if (!isPack(pack)) {
    throw new PackError('Expected a pack built with definePack from @mcp-packs/core.', { code: 'not_a_pack' });
  }
  if (pack.apiVersion !== PACK_API_VERSION) {
    const newer = pack.apiVersion > PACK_API_VERSION;
    throw new PackError(
      `Pack "${pack.name}" was built for pack API v${pack.apiVersion}; this @mcp-packs/core speaks v${PACK_API_VERSION}. ` +
        (newer ? 'Upgrade @mcp-packs/core (and the server that mounts it).' : `Upgrade the pack "${pack.name}".`),
      { code: 'api_version_mismatch', pack: pack.name },
    );
  }
  checkListable(pack);
  const prefix = options.prefix === undefined ? (pack.prefix ?? pack.name) : options.prefix;
  if (prefix !== null && !PACK_NAME_PATTERN.test(prefix)) {
    throw new PackError(`Prefix ${JSON.stringify(prefix)} for pack "${pack.name}" must match ${PACK_NAME_PATTERN}.`, {
      code: 'invalid_prefix',
      pack: pack.name,
    });
  }
  const source = prefix ?? pack.name;
  const owner = `pack "${pack.name}"${prefix === pack.name ? '' : prefix === null ? ' mounted without a prefix' : ` mounted as "${prefix}"`}`;
  const configPath = options.configPath ?? `packs[${source}].config`;
  const config = checkConfig(pack, options.config, configPath);

  const unknownFilter: string[] = [];
  const otherProblems: string[] = [];
  const entries = Object.entries(pack.tools);
  const disabled =
    (pack.disabledTools as ((config: unknown) => Readonly<Record<string, string>>) | undefined)?.(config) ?? {};
  const keyOf = (name: string) => entries.find(([key]) => key === name || finalName(prefix, key) === name)?.[0];
  const resolveFilter = (names: readonly string[] | undefined, label: 'include' | 'exclude') => {
    if (names === undefined) return undefined;
    const keys = new Set<string>();
    for (const name of names) {
      const key = keyOf(name);
      if (key === undefined) {
        unknownFilter.push(
          `tools.${label}: "${name}" is not a tool of pack "${pack.name}" (its tools: ${entries.map(([k]) => k).join(', ') || 'none'})`,
        );
      } else keys.add(key);
    }
    return keys;
  };
  const overrides =
    (
      pack.annotations as
        | ((config: unknown) => Readonly<Record<string, Partial<ToolAnnotations> | undefined>>)
        | undefined
    )?.(config) ?? {};
  const packAnnotationsOf = (key: string, tool: AnyToolDefinition): ToolAnnotations =>
    overrides[key] ? { ...tool.annotations, ...overrides[key] } : tool.annotations;
  const transforms = resolveTransforms(options.transforms, {
    pack,
    prefix,
    path: options.transformsPath ?? `packs[${source}].transforms`,
    annotationsOf: packAnnotationsOf,
    packArgs: (pack.args as ((config: unknown) => ToolArgTransforms) | undefined)?.(config) ?? {},
  });
  const annotationsOf = (key: string, tool: AnyToolDefinition): ToolAnnotations => ({
    ...packAnnotationsOf(key, tool),
    ...transforms.annotations(key),
  });
  const include = resolveFilter(options.tools?.include, 'include');
  const exclude = resolveFilter(options.tools?.exclude, 'exclude');
  for (const key of include ?? []) {
    const tool = pack.tools[key];
    if (options.readOnly && tool && annotationsOf(key, tool).readOnlyHint !== true) {
      otherProblems.push(
        `tools.include: "${key}" is not read-only, and the mount is readOnly; remove it from include or drop readOnly`,
      );
    }
    const reason = disabled[key];
    if (reason !== undefined) otherProblems.push(`tools.include: "${key}" is disabled by this config: ${reason}`);
    if (transforms.hidden(key)) otherProblems.push(`tools.include: "${key}" is hidden by its transform`);
  }
  const tools = transforms.apply(
    entries
      .filter(
        ([key, tool]) =>
          (!include || include.has(key)) &&
          !exclude?.has(key) &&
          disabled[key] === undefined &&
          !transforms.hidden(key) &&
          (!options.readOnly || annotationsOf(key, tool).readOnlyHint === true),
      )
      .map(([key, tool]) => ({
        key,
        name: finalName(prefix, key),
        tool: withViewMeta(tool, prefix),
        annotations: annotationsOf(key, tool),
      })),
  );
  const prompts = Object.entries(pack.prompts).map(([key, prompt]) => ({ key, name: finalName(prefix, key), prompt }));
  const resources = Object.entries(pack.resources).map(([key, resource]) => ({
    key,
    name: finalName(prefix, key),
    uri: mountedUri(resource.uri, prefix),
    resource,
  }));
  const templates = Object.entries(pack.resourceTemplates).map(([key, template]) => ({
    key,
    name: finalName(prefix, key),
    uriTemplate: mountedUri(template.uriTemplate, prefix),
    template,
  }));

  const badNames: string[] = [];
  for (const [kind, list] of [
    ['tool', tools],
    ['prompt', prompts],
  ] as const) {
    for (const { name } of list) {
      if (!FINAL_NAME_PATTERN.test(name)) {
        badNames.push(
          `${kind} name "${name}" (${name.length} characters) must match ${FINAL_NAME_PATTERN}; choose a shorter prefix or key`,
        );
      }
    }
  }
  const problems = [...unknownFilter, ...otherProblems, ...badNames];
  if (problems.length > 0) {
    throw new PackError(`Cannot mount ${owner}:\n- ${problems.join('\n- ')}`, {
      code: unknownFilter.length > 0 ? 'unknown_tool' : otherProblems.length > 0 ? 'invalid_filter' : 'invalid_name',
      pack: pack.name,
    });
  }
  const listOutputSchemas = options.listing?.outputSchemas ?? true;
  return { pack, prefix, source, owner, configPath, config, listOutputSchemas, tools, prompts, resources, templates };
}
