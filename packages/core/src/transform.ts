/**
 * Per-mount tool transforms: what a host changes about a pack's tools when it mounts them (a new name, a new
 * description, hidden, arguments fixed or defaulted, annotations, tags), checked at mount against the pack, so a
 * typo fails before anything is served. The pack itself is never changed: a transformed tool is a new definition
 * that calls the pack's.
 */
import { ConfigError, type ConfigIssue } from './errors.js';
import { finalName, KEY_PATTERN } from './naming.js';
import type { AnyPack } from './pack.js';
import type { AnyToolDefinition, ToolAnnotations } from './tool.js';
import { type ArgTransform, type ToolArgTransforms, transformArgs } from './transform-args.js';

export type { ArgTransform } from './transform-args.js';

/** The `_meta` key under which a tool's mount tags are listed. */
export const TAGS_META_KEY = 'mcp-packs/tags';

/** How a mount changes one of the pack's tools. Every field is optional; give only what you change. */
export interface ToolTransform {
  /**
   * A new key for the tool. The prefix still applies: `name: 'read'` under prefix `fs` is listed as `fs_read`
   * (mount with `prefix: null` for bare names). Filters (`tools.include`/`exclude`) and `instructions` keep using
   * the pack's key.
   */
  name?: string;
  /** A new title. */
  title?: string;
  /** A new description for the model, replacing the pack's. */
  description?: string;
  /** `true`: neither listed nor callable on this mount (as `tools.exclude`). */
  hidden?: boolean;
  /**
   * Per parameter: `{ fixed: value }` removes it from the listed schema and always passes `value` (a call that
   * sends another value is refused); `{ default: value }` makes it optional, `value` used when the model leaves it
   * out; `{ hidden: true }` removes an optional parameter (a call that sends it is refused). Each value is checked
   * against the parameter's schema at mount. These apply over the pack's own config-dependent ones (its `args`).
   */
  args?: Readonly<Record<string, ArgTransform>>;
  /**
   * Annotations merged over the pack's. They may make a tool look more cautious, never safer than the pack says:
   * `readOnlyHint: true`, `destructiveHint: false` and `openWorldHint: false` only where the pack says so too.
   */
  annotations?: Partial<ToolAnnotations>;
  /** Labels listed in the tool's `_meta` under {@link TAGS_META_KEY}, for hosts and clients that group tools. */
  tags?: readonly string[];
}

/** Transforms by the pack's tool key (or the tool's final name under the mount's prefix). */
export type ToolTransforms = Readonly<Record<string, ToolTransform>>;

/** A planned tool, before and after transforms. */
export interface PlannedTool {
  key: string;
  name: string;
  tool: AnyToolDefinition;
  annotations: ToolAnnotations;
}

const FIELDS = new Set(['name', 'title', 'description', 'hidden', 'args', 'annotations', 'tags']);
const ANNOTATION_KEYS = new Set(['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']);
/** The claims that let a client skip confirmation, and what the pack must say for a mount to make them. */
const SAFER_CLAIMS: readonly [keyof ToolAnnotations, boolean][] = [
  ['readOnlyHint', true],
  ['destructiveHint', false],
  ['openWorldHint', false],
];

/** Checked transforms, by the pack's key. */
export interface ResolvedTransforms {
  /** Whether a tool is hidden on this mount. */
  hidden(key: string): boolean;
  /** The annotation overrides of a tool (empty when none). */
  annotations(key: string): Partial<ToolAnnotations>;
  /** Apply the transforms to the tools the mount offers; throws a ConfigError on a rename collision. */
  apply(tools: PlannedTool[]): PlannedTool[];
}

interface Context {
  pack: AnyPack;
  prefix: string | null;
  /** Where the transforms sit in the host's config, for messages: `packs[fs].transforms`. */
  path: string;
  /** Config-dependent annotations of each tool (the pack's, with its own overrides). */
  annotationsOf(key: string, tool: AnyToolDefinition): ToolAnnotations;
  /** The pack's config-dependent argument transforms, by tool key (see `PackSpec.args`). */
  packArgs?: ToolArgTransforms;
}

function issue(path: string, segments: (string | number)[], message: string): ConfigIssue {
  const tail = segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
  return { path: `${path}${tail}`, segments, message };
}

function fail(context: Context, issues: ConfigIssue[]): never {
  throw new ConfigError(
    `Invalid tool transforms for pack "${context.pack.name}":\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    { code: 'invalid_transform', pack: context.pack.name, issues },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Check every transform against the pack; throws a ConfigError (`invalid_transform`) listing every problem. */
export function resolveTransforms(transforms: ToolTransforms | undefined, context: Context): ResolvedTransforms {
  const { pack, prefix } = context;
  const tools = pack.tools as Record<string, AnyToolDefinition>;
  const keys = Object.keys(tools);
  const byKey = new Map<string, ToolTransform>();
  const writtenOf = new Map<string, string>();
  const schemas = new Map<string, AnyToolDefinition['inputSchema']>();
  const issues: ConfigIssue[] = [];
  for (const [written, transform] of Object.entries(transforms ?? {})) {
    const key = keys.find((k) => k === written || finalName(prefix, k) === written);
    const at = (...segments: (string | number)[]) => [written, ...segments];
    if (key === undefined) {
      issues.push(
        issue(context.path, at(), `not a tool of pack "${pack.name}" (its tools: ${keys.join(', ') || 'none'})`),
      );
      continue;
    }
    const tool = tools[key] as AnyToolDefinition;
    if (!isRecord(transform)) {
      issues.push(issue(context.path, at(), 'expected an object of changes (name, description, hidden, args, ...)'));
      continue;
    }
    for (const field of Object.keys(transform)) {
      if (!FIELDS.has(field)) {
        issues.push(issue(context.path, at(field), `unknown field; a transform has ${[...FIELDS].join(', ')}`));
      }
    }
    const { name, title, description, hidden, args, annotations, tags } = transform;
    if (name !== undefined && (typeof name !== 'string' || !KEY_PATTERN.test(name))) {
      issues.push(issue(context.path, at('name'), `must be a string matching ${KEY_PATTERN}`));
    }
    for (const [field, value] of [
      ['title', title],
      ['description', description],
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
        issues.push(issue(context.path, at(field), 'must be a non-empty string'));
      }
    }
    if (hidden !== undefined && typeof hidden !== 'boolean') {
      issues.push(issue(context.path, at('hidden'), 'must be true or false'));
    }
    if (tags !== undefined && (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || tag === ''))) {
      issues.push(issue(context.path, at('tags'), 'must be an array of non-empty strings'));
    }
    if (annotations !== undefined) {
      if (!isRecord(annotations)) issues.push(issue(context.path, at('annotations'), 'must be an object'));
      else {
        const own = context.annotationsOf(key, tool);
        for (const [field, value] of Object.entries(annotations)) {
          if (!ANNOTATION_KEYS.has(field)) {
            issues.push(
              issue(
                context.path,
                at('annotations', field),
                `unknown annotation; use ${[...ANNOTATION_KEYS].join(', ')}`,
              ),
            );
          } else if (field === 'title' ? typeof value !== 'string' : typeof value !== 'boolean') {
            issues.push(
              issue(
                context.path,
                at('annotations', field),
                field === 'title' ? 'must be a string' : 'must be true or false',
              ),
            );
          }
        }
        for (const [hint, safe] of SAFER_CLAIMS) {
          if (annotations[hint] === safe && own[hint] !== safe) {
            issues.push(
              issue(
                context.path,
                at('annotations', hint),
                `pack "${pack.name}" does not say ${hint}: ${safe} for "${key}"; a mount may make a tool look more cautious, never safer`,
              ),
            );
          }
        }
      }
    }
    if (args !== undefined && !isRecord(args)) {
      issues.push(issue(context.path, at('args'), 'must be an object of parameters'));
    }
    if (byKey.has(key)) issues.push(issue(context.path, at(), `"${key}" is transformed twice (by key and by name)`));
    byKey.set(key, transform);
    writtenOf.set(key, written);
  }
  // Arguments: the pack's own (by its config) with the host's over them, parameter by parameter.
  for (const key of keys) {
    const own = context.packArgs?.[key] ?? {};
    const written = writtenOf.get(key) ?? key;
    const host = byKey.get(key)?.args;
    const hostArgs = isRecord(host) ? (host as Record<string, ArgTransform>) : {};
    const merged = { ...own, ...hostArgs };
    if (Object.keys(merged).length === 0) continue;
    const tool = tools[key] as AnyToolDefinition;
    const result = transformArgs(pack.name, key, tool.inputSchema, merged);
    for (const problem of result.problems) {
      const param = problem.segments[1];
      if (typeof param === 'string' && Object.hasOwn(hostArgs, param)) {
        issues.push(issue(context.path, [written, ...problem.segments], problem.message));
      } else {
        // The pack's own transform is wrong: a bug in the pack, not in the host's config.
        issues.push(issue(`pack "${pack.name}" args(config)`, [key, ...problem.segments], problem.message));
      }
    }
    if ('inputSchema' in result) schemas.set(key, result.inputSchema as AnyToolDefinition['inputSchema']);
  }
  if (issues.length > 0) fail(context, issues);

  return {
    hidden: (key) => byKey.get(key)?.hidden === true,
    annotations: (key) => byKey.get(key)?.annotations ?? {},
    apply(planned) {
      const out = planned.map((entry) => transformTool(entry, byKey.get(entry.key), schemas.get(entry.key), prefix));
      const owners = new Map<string, string>();
      const clashes: ConfigIssue[] = [];
      for (const { key, name } of out) {
        const other = owners.get(name);
        if (other === undefined) {
          owners.set(name, key);
          continue;
        }
        const renamed = byKey.get(key)?.name === undefined ? other : key;
        clashes.push(
          issue(
            context.path,
            [renamed, 'name'],
            `"${name}" is also the name of tool "${renamed === key ? other : key}" on this mount; choose another name`,
          ),
        );
      }
      if (clashes.length > 0) fail(context, clashes);
      return out;
    },
  };
}

function transformTool(
  entry: PlannedTool,
  transform: ToolTransform | undefined,
  inputSchema: AnyToolDefinition['inputSchema'] | undefined,
  prefix: string | null,
): PlannedTool {
  if (transform === undefined && inputSchema === undefined) return entry;
  const { tool } = entry;
  const meta =
    transform?.tags === undefined ? tool.meta : { ...tool.meta, [TAGS_META_KEY]: [...new Set(transform.tags)] };
  const derived: AnyToolDefinition = {
    ...tool,
    ...(transform?.title === undefined ? {} : { title: transform.title }),
    ...(transform?.description === undefined ? {} : { description: transform.description }),
    ...(inputSchema === undefined ? {} : { inputSchema }),
    ...(meta === undefined ? {} : { meta }),
  };
  return {
    key: entry.key,
    name: transform?.name === undefined ? entry.name : finalName(prefix, transform.name),
    tool: derived,
    annotations: { ...entry.annotations, ...transform?.annotations },
  };
}
