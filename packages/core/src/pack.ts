import type { z } from 'zod';
import { PackError, type ToolError } from './errors.js';
import type { Logger } from './log.js';
import { KEY_PATTERN, PACK_NAME_PATTERN, splitUri } from './naming.js';
import {
  type AnyPromptDefinition,
  definePrompt,
  type PromptArgsSchema,
  type PromptDefinition,
  type PromptSpec,
} from './prompt.js';
import {
  defineResource,
  defineResourceTemplate,
  type ResourceDefinition,
  type ResourceSpec,
  type ResourceTemplateDefinition,
  type ResourceTemplateSpec,
} from './resource.js';
import {
  type AnyToolDefinition,
  type AnyToolSchema,
  defineTool,
  type ToolAnnotations,
  type ToolDefinition,
  type ToolReturn,
  type ToolSpec,
} from './tool.js';
import type { ToolArgTransforms } from './transform-args.js';
import { defineView, type ViewDefinition, type ViewSpec, viewProblem } from './view.js';

/**
 * The version of the pack contract. A pack records the version of the core that defined it; `mountPack` refuses a
 * pack whose version it does not speak, with a message that says which package to upgrade.
 */
export const PACK_API_VERSION = 1;

const PACK_BRAND: unique symbol = Symbol.for('mcp-packs.pack') as never;

/** What `setup()` receives when the pack is mounted. */
export interface SetupContext<C> {
  /** The validated config, with the schema's defaults applied. */
  readonly config: C;
  /** The server-side log of this mount (and the client's, once connected). */
  readonly log: Logger;
  /** Register cleanup to run once when the mount closes (last registered, first run). */
  onClose(cleanup: () => void | Promise<void>): void;
  /** Aborted when the mount closes: hand it to timers, watchers and requests started in setup. */
  readonly signal: AbortSignal;
  /** The pack's name. */
  readonly name: string;
  /** The prefix it is mounted under (`null` when mounted without one). */
  readonly prefix: string | null;
  /**
   * Where the config sits in the host's config, such as `packs[fs].config`: prefix key paths with it when setup
   * throws a `ConfigError` of its own (a root that does not exist, say).
   */
  readonly configPath: string;
  /**
   * A 32-byte key for one purpose of this mount (`'search-cursor'`, say), for sealing what the pack hands to the
   * client and reads back later. Derived from the host's secret when it gives one (so every replica derives the same
   * key), random per process otherwise; the same purpose always gets the same key, two purposes never share one.
   */
  deriveKey(purpose: string): Uint8Array;
}

/** The `define*` functions bound to a pack's services type, for inline definitions with full inference. */
export interface PackDefiners<S> {
  defineTool<
    I extends AnyToolSchema,
    O extends AnyToolSchema | undefined = undefined,
    R extends ToolReturn<O> = ToolReturn<O>,
  >(spec: ToolSpec<S, I, O, R>): ToolDefinition<S, I, O, R>;
  defineResource(spec: ResourceSpec<S>): ResourceDefinition<S>;
  defineResourceTemplate(spec: ResourceTemplateSpec<S>): ResourceTemplateDefinition<S>;
  definePrompt<A extends PromptArgsSchema | undefined = undefined>(spec: PromptSpec<S, A>): PromptDefinition<S, A>;
  defineView(spec: ViewSpec<S>): ViewDefinition<S>;
}

/** A record of definitions, or a function that builds it from the definers bound to the pack's services. */
export type Definitions<S, T> =
  | Readonly<Record<string, T>>
  | ((define: PackDefiners<S>) => Readonly<Record<string, T>>);

/** What a pack author writes. */
/** The tools one mount offers, for instructions that name them. */
export interface MountedTools {
  /** Whether the mount offers the tool with this key (a config, filter or readOnly mount may leave it out). */
  has(key: string): boolean;
  /** The name clients call the tool with this key by (`fs_edit_file` for `edit_file` under prefix `fs`). */
  name(key: string): string;
}

/** A pack's instructions: fixed text, or text made for each mount from the tools it offers. */
export type PackInstructions = string | ((tools: MountedTools) => string | undefined);

export interface PackSpec<C extends z.ZodType, S> {
  /** `[a-z][a-z0-9-]*`: the pack's identity, and its default prefix unless `prefix` says otherwise. */
  name: string;
  /**
   * The default prefix of its tools, prompts and resource URIs when a mount does not choose one, when it should
   * be shorter than the name (`fs` for `filesystem`). `[a-z][a-z0-9-]*`. Default: the name.
   */
  prefix?: string;
  /** The pack's version, shown to clients; usually its package.json version. */
  version?: string;
  /** One or two sentences: what this pack gives an assistant. */
  description: string;
  /**
   * Guidance for the model on using the tools together; joined into the server's instructions by the composer.
   * Name tools through the function form, so a mount's instructions mention only the tools it offers, by the names
   * it offers them under: `(tools) => tools.has('edit_file') ? \`Prefer ${tools.name('edit_file')}.\` : undefined`.
   */
  instructions?: PackInstructions;
  /** A zod schema for the pack's config; every field `.describe()`d. Omit for a pack that takes no config. */
  configSchema?: C;
  /** Build the pack's services from its config. What it returns is what every handler gets as `services`. */
  setup?: (context: SetupContext<z.output<C>>) => S | Promise<S>;
  /** Tools by key; the key becomes the wire name (`${prefix}_${key}`), so use snake_case. */
  tools?: Definitions<S, AnyToolDefinition<S>>;
  /**
   * Tools a mount does not offer under the given (validated) config, each key mapped to the reason, such as
   * `{ write_file: 'writes are off; set allowWrite: true' }`. They are neither listed nor callable, and a filter
   * that includes one fails at mount with that reason. Default: every tool is offered.
   */
  disabledTools?: (config: z.output<C>) => Readonly<Record<string, string | undefined>>;
  /**
   * Annotations that depend on config, by tool key, merged over the tool's own: a fetch tool that may POST when
   * the config allows it is no longer `readOnlyHint: true`. `readOnly` mounts and listings use the merged values.
   */
  annotations?: (config: z.output<C>) => Readonly<Record<string, Partial<ToolAnnotations> | undefined>>;
  /**
   * Argument transforms that depend on config, by tool key then parameter, so the model is not shown a parameter
   * this config makes useless: `{ body: { hidden: true } }` for a fetch tool whose config allows only GET and HEAD.
   * The same transforms a host can give (`fixed`, `default`, `hidden`), applied first; the host's apply over them.
   * The tool's own schema still checks every call.
   */
  args?: (config: z.output<C>) => ToolArgTransforms;
  /**
   * The pack's error map: turns an error of its domain code into the `ToolError` the client should see, or returns
   * `undefined` for errors it does not know. Mount applies it to whatever a tool's `execute`, a resource or template
   * read, or a prompt throws, before the generic handling, so tool files need no try/catch of their own. A thrown
   * `ToolError` passes through unmapped; an unmapped error stays an internal error (generic message, error id).
   *
   * @example
   * errors: (error) => (error instanceof NoteNotFound ? new ToolError(error.message, { code: 'not_found' }) : undefined)
   */
  errors?: ErrorMap;
  /** Fixed resources by key. */
  resources?: Definitions<S, ResourceDefinition<S>>;
  /** Resource templates by key. */
  resourceTemplates?: Definitions<S, ResourceTemplateDefinition<S>>;
  /** Prompts by key; the key becomes the prompt name (`${prefix}_${key}`). */
  prompts?: Definitions<S, AnyPromptDefinition<S>>;
}

/**
 * A pack: plain data describing tools, resources, templates and prompts, ready for `mountPack`. Recognised by a
 * `Symbol.for` brand (see {@link isPack}), so a pack built with another copy of core still mounts.
 *
 * `CIn` is the config a mount accepts (the schema's input type); `S` is the services type.
 */
export interface Pack<CIn = unknown, S = unknown> {
  readonly [PACK_BRAND]: number;
  readonly apiVersion: number;
  readonly name: string;
  /** The prefix a mount uses unless it chooses one (may be absent on packs from older copies of core). */
  readonly prefix?: string;
  readonly version: string | undefined;
  readonly description: string;
  readonly instructions: PackInstructions | undefined;
  readonly configSchema: z.ZodType | undefined;
  readonly setup: ((context: SetupContext<never>) => S | Promise<S>) | undefined;
  readonly disabledTools: ((config: never) => Readonly<Record<string, string | undefined>>) | undefined;
  readonly annotations: ((config: never) => Readonly<Record<string, Partial<ToolAnnotations> | undefined>>) | undefined;
  /** Config-dependent argument transforms (may be absent on packs from older copies of core). */
  readonly args?: ((config: never) => ToolArgTransforms) | undefined;
  /** The pack's error map (may be absent on packs from older copies of core). */
  readonly errors?: ErrorMap | undefined;
  // Definitions are stored with their services type erased: `definePack` has already checked them against `S`.
  // biome-ignore lint/suspicious/noExplicitAny: erased services type (see above)
  readonly tools: Readonly<Record<string, AnyToolDefinition<any>>>;
  // biome-ignore lint/suspicious/noExplicitAny: erased services type
  readonly resources: Readonly<Record<string, ResourceDefinition<any>>>;
  // biome-ignore lint/suspicious/noExplicitAny: erased services type
  readonly resourceTemplates: Readonly<Record<string, ResourceTemplateDefinition<any>>>;
  // biome-ignore lint/suspicious/noExplicitAny: erased services type
  readonly prompts: Readonly<Record<string, AnyPromptDefinition<any>>>;
  /** Type-level only: the config input and services types. Never set at run time. */
  readonly '~types'?: { readonly config: CIn; readonly services: S };
}

/**
 * A pack's error map ({@link PackSpec.errors}): the `ToolError` a domain error stands for, or `undefined` to leave it
 * to the generic handling.
 */
export type ErrorMap = (error: unknown) => ToolError | undefined;

/** Any pack, whatever its config and services. */
// biome-ignore lint/suspicious/noExplicitAny: erases config and services so any pack fits
export type AnyPack = Pack<any, any>;

/** The config a pack accepts when mounted. */
export type PackConfigInput<P extends AnyPack> = NonNullable<P['~types']>['config'];

/** The services a pack's handlers receive. */
export type PackServices<P extends AnyPack> = NonNullable<P['~types']>['services'];

/**
 * The `define*` functions bound to a pack's services type, for definitions in files of their own. Call it once per
 * pack; every tool defined with its `defineTool` gets `call.services` typed, with no annotation in the tool file.
 * (The same functions, so nothing differs at run time: this is for type inference only.)
 *
 * @example
 * // src/define.ts
 * export const { defineTool, defineResource } = definersFor<NoteServices>();
 * // src/tools/read.ts
 * export const read = defineTool({ ..., execute: ({ id }, { services }) => services.store.read(id) });
 */
export function definersFor<S>(): PackDefiners<S> {
  return { defineTool, defineResource, defineResourceTemplate, definePrompt, defineView } as PackDefiners<S>;
}

function resolve<S, T>(entries: Definitions<S, T> | undefined): Readonly<Record<string, T>> {
  if (entries === undefined) return {};
  return Object.freeze({ ...(typeof entries === 'function' ? entries(definersFor<S>()) : entries) });
}

function zodType(value: unknown): unknown {
  return (value as { _zod?: { def?: { type?: unknown } } } | undefined)?._zod?.def?.type;
}

function isZodObject(value: unknown): boolean {
  return zodType(value) === 'object';
}

/** A tool schema as written: a zod object, a function that builds one (checked once built), or `z.lazy`. */
function isToolSchema(value: unknown): boolean {
  if (typeof value === 'function') return true;
  const type = zodType(value);
  return type === 'object' || type === 'lazy';
}

function checkDefinition(pack: Omit<Pack, typeof PACK_BRAND>): string[] {
  const problems: string[] = [];
  if (typeof pack.name !== 'string' || !PACK_NAME_PATTERN.test(pack.name)) {
    problems.push(
      `name ${JSON.stringify(pack.name)} must match ${PACK_NAME_PATTERN} (lower-case, starts with a letter)`,
    );
  }
  if (typeof pack.prefix !== 'string' || !PACK_NAME_PATTERN.test(pack.prefix)) {
    problems.push(`prefix ${JSON.stringify(pack.prefix)} must match ${PACK_NAME_PATTERN}`);
  }
  if (typeof pack.description !== 'string' || pack.description.trim() === '') {
    problems.push('description must be a non-empty string');
  }
  if (
    pack.instructions !== undefined &&
    typeof pack.instructions !== 'string' &&
    typeof pack.instructions !== 'function'
  ) {
    problems.push('instructions must be a string or a function of the mounted tools');
  }
  if (pack.errors !== undefined && typeof pack.errors !== 'function') {
    problems.push('errors must be a function from a thrown error to a ToolError (or undefined)');
  }
  if (pack.configSchema !== undefined && !(pack.configSchema as { _zod?: unknown })._zod) {
    problems.push('configSchema must be a zod (v4) schema');
  }
  for (const [key, tool] of Object.entries(pack.tools)) {
    const where = `tools.${key}`;
    if (!KEY_PATTERN.test(key)) problems.push(`${where}: key must match ${KEY_PATTERN}`);
    if (tool?.kind !== 'tool') {
      problems.push(`${where}: not a tool (build it with defineTool)`);
      continue;
    }
    if (typeof tool.description !== 'string' || tool.description.trim() === '') {
      problems.push(`${where}: description must be a non-empty string`);
    }
    // A lazy schema is checked once built (it must list as an object: planMount and checkPack see to it).
    if (!isToolSchema(tool.inputSchema)) {
      problems.push(`${where}: inputSchema must be a zod object, or a function returning one (() => z.object({...}))`);
    }
    if (tool.outputSchema !== undefined && !isToolSchema(tool.outputSchema)) {
      problems.push(`${where}: outputSchema must be a zod object, or a function returning one (() => z.object({...}))`);
    }
    if (typeof tool.annotations !== 'object' || tool.annotations === null) {
      problems.push(`${where}: annotations are required (at least readOnlyHint)`);
    }
    if (typeof tool.execute !== 'function') problems.push(`${where}: execute must be a function`);
    const view = viewProblem(tool.view, pack.resources);
    if (view !== undefined) problems.push(`${where}: ${view}`);
  }
  for (const [key, resource] of Object.entries(pack.resources)) {
    if (resource?.kind !== 'resource') problems.push(`resources.${key}: not a resource (build it with defineResource)`);
    else if (!splitUri(resource.uri)) problems.push(`resources.${key}: uri must look like scheme://path`);
  }
  for (const [key, template] of Object.entries(pack.resourceTemplates)) {
    if (template?.kind !== 'resourceTemplate') {
      problems.push(`resourceTemplates.${key}: not a resource template (build it with defineResourceTemplate)`);
    } else if (!splitUri(template.uriTemplate)) {
      problems.push(`resourceTemplates.${key}: uriTemplate must look like scheme://{var}`);
    }
  }
  for (const [key, prompt] of Object.entries(pack.prompts)) {
    if (!KEY_PATTERN.test(key)) problems.push(`prompts.${key}: key must match ${KEY_PATTERN}`);
    if (prompt?.kind !== 'prompt') problems.push(`prompts.${key}: not a prompt (build it with definePrompt)`);
    else if (prompt.argsSchema !== undefined && !isZodObject(prompt.argsSchema)) {
      problems.push(`prompts.${key}: argsSchema must be a zod object of strings`);
    }
  }
  return problems;
}

/**
 * Define a pack. Pure data: nothing runs until `mountPack`. Throws `PackError` (`invalid_definition`) listing every
 * problem when the definition is malformed, so a pack author finds out at import time. Whether each tool schema can
 * be listed as JSON Schema is checked when the pack is first planned or mounted (converting every schema is the
 * costliest part of a definition, and a server would otherwise pay for it twice at start: see `primeListing`).
 *
 * Services flow from `setup()`'s return type into every handler: write definitions inline with the function form
 * (`tools: ({ defineTool }) => ({ ... })`), or in their own files with the definers of {@link definersFor}.
 *
 * @example
 * export const counterPack = definePack({
 *   name: 'counter',
 *   description: 'A counter the assistant can bump.',
 *   configSchema: z.object({ start: z.number().default(0).describe('Initial value') }),
 *   setup: ({ config }) => ({ counter: { value: config.start } }),
 *   tools: ({ defineTool }) => ({
 *     bump: defineTool({
 *       description: 'Add one to the counter and return the new value.',
 *       inputSchema: z.object({}),
 *       annotations: { readOnlyHint: false, idempotentHint: false },
 *       execute: (_input, { services }) => ({ value: ++services.counter.value }),
 *     }),
 *   }),
 * });
 */
export function definePack<C extends z.ZodType = z.ZodObject<Record<never, never>>, S = undefined>(
  spec: PackSpec<C, S>,
): Pack<z.input<C>, S> {
  const body = {
    apiVersion: PACK_API_VERSION,
    name: spec.name,
    prefix: spec.prefix ?? spec.name,
    version: spec.version,
    description: spec.description,
    instructions: spec.instructions,
    configSchema: spec.configSchema,
    setup: spec.setup as Pack<z.input<C>, S>['setup'],
    disabledTools: spec.disabledTools as Pack<z.input<C>, S>['disabledTools'],
    annotations: spec.annotations as Pack<z.input<C>, S>['annotations'],
    args: spec.args as Pack<z.input<C>, S>['args'],
    errors: spec.errors,
    tools: resolve<S, AnyToolDefinition<S>>(spec.tools),
    resources: resolve<S, ResourceDefinition<S>>(spec.resources),
    resourceTemplates: resolve<S, ResourceTemplateDefinition<S>>(spec.resourceTemplates),
    prompts: resolve<S, AnyPromptDefinition<S>>(spec.prompts),
  };
  const problems = checkDefinition(body as Omit<Pack, typeof PACK_BRAND>);
  if (problems.length > 0) {
    throw new PackError(`Pack ${JSON.stringify(spec.name)} is not valid:\n- ${problems.join('\n- ')}`, {
      code: 'invalid_definition',
      pack: typeof spec.name === 'string' ? spec.name : undefined,
    });
  }
  return Object.freeze({ ...body, [PACK_BRAND]: PACK_API_VERSION }) as Pack<z.input<C>, S>;
}

/** True for a pack defined by any copy of `@mcp-packs/core` (any API version; `mountPack` checks the version). */
export function isPack(value: unknown): value is AnyPack {
  return (
    typeof value === 'object' && value !== null && typeof (value as { [PACK_BRAND]?: unknown })[PACK_BRAND] === 'number'
  );
}
