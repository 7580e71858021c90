import type { z } from 'zod';
import type { ToolCall } from './call.js';
import type { ContentResult } from './content.js';

/**
 * What a tool does to the world, as MCP tool annotations. Clients use them to decide what needs confirmation;
 * `mountPack(..., { readOnly: true })` uses `readOnlyHint` to drop every tool that is not read-only.
 */
export interface ToolAnnotations {
  /** A human-readable title for the tool. */
  title?: string;
  /** True if the tool does not change its environment. */
  readOnlyHint?: boolean;
  /** True if the tool may destroy or overwrite data (meaningful when not read-only). */
  destructiveHint?: boolean;
  /** True if calling it twice with the same arguments has no further effect (meaningful when not read-only). */
  idempotentHint?: boolean;
  /** True if the tool reaches outside the machine (the web, other services). */
  openWorldHint?: boolean;
}

/**
 * An icon a client may show beside a tool, resource, template or prompt (MCP `icons`). `src` is an `https:` or
 * `data:` URI; give `mimeType` and `sizes` (`"48x48"`, `"any"`) so clients can pick one, and `theme` when it is drawn
 * for a light or dark background.
 */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** Any zod object schema: the shape of a tool's input or structured output. */
// biome-ignore lint/suspicious/noExplicitAny: the widest zod object type, used only as a constraint
export type AnyObjectSchema = z.ZodObject<any, any>;

/**
 * A tool's input or output schema. Write it as a function returning a zod object, `() => z.object({...})`, to build it
 * only when it is first needed (the tool's first call, or a listing that was not made ahead of time); it is built
 * once and kept. Building schemas is most of what loading a pack costs, and a server with a build-time listing needs
 * none of them to start. A plain `z.object({...})` works too (built when the module loads), and so does the older
 * lazy form, `z.lazy(() => z.object({...}))`.
 */
export type AnyToolSchema = AnyObjectSchema | z.ZodLazy<AnyObjectSchema> | (() => AnyObjectSchema);

/** The zod schema a tool schema stands for: what its function returns, or the schema itself. */
export type BuiltSchema<T> = T extends () => infer B ? B : T;

/** What a tool's `execute` may return: the output (checked against `outputSchema` if declared) or content blocks. */
export type ToolReturn<O extends AnyToolSchema | undefined> =
  | (O extends AnyToolSchema ? z.input<BuiltSchema<O>> : unknown)
  | ContentResult;

/** The output a tool's `toText` receives. */
export type ToolOutput<O extends AnyToolSchema | undefined, R> = O extends AnyToolSchema
  ? z.output<BuiltSchema<O>>
  : Exclude<Awaited<R>, ContentResult>;

/** The input a tool's `execute` receives: the output of its input schema. */
export type ToolInput<I extends AnyToolSchema> = z.output<BuiltSchema<I>>;

const built = new WeakMap<() => AnyObjectSchema, AnyObjectSchema>();

/**
 * The zod schema behind a tool schema, built now if it is written as a function (once: later calls get the same
 * schema). Core's own way in to every tool schema; pack code never needs it.
 *
 * @internal
 */
export function toolSchema(schema: AnyToolSchema): z.ZodType {
  if (typeof schema !== 'function') return schema;
  let known = built.get(schema);
  if (known === undefined) {
    known = schema();
    built.set(schema, known);
  }
  return known;
}

/** The declaration of one tool, as written by a pack author. */
export interface ToolSpec<S, I extends AnyToolSchema, O extends AnyToolSchema | undefined, R> {
  /** A short human-readable title. */
  title?: string;
  /**
   * Written for the model: what the tool does, when to use it (and when another tool is better), what each
   * parameter means, limits and defaults. Keep it short; it is paid for in context on every request.
   */
  description: string;
  /**
   * A zod object, or a function returning one (`() => z.object({...})`) to build it on first use instead of when the
   * module loads; each field should be `.describe()`d. Invalid input never reaches `execute`: the call gets an
   * `invalid_input` error naming each field at fault.
   */
  inputSchema: I;
  /**
   * A zod object describing the structured result, or a function returning one (built on first use). When set,
   * every successful result is checked against it.
   */
  outputSchema?: O;
  /** What the tool does to the world. Required: every tool says whether it is read-only. */
  annotations: ToolAnnotations;
  /**
   * Do the work. Return a plain object (sent as `structuredContent` and as text), a string (sent as text), or
   * {@link ContentResult} blocks. Throw `ToolError` for failures the model can act on.
   */
  execute: (input: ToolInput<I>, call: ToolCall<S>) => R | Promise<R>;
  /** Render a plain-object output as the text content; default: its JSON. */
  toText?(output: ToolOutput<O, R>, input: ToolInput<I>): string;
  /** Extra `_meta` to list with the tool. */
  meta?: Record<string, unknown>;
  /**
   * The MCP Apps view that shows this tool's results, by the `ui://` URI its `defineView` declares (without the
   * prefix); it must be one of the pack's resources. Listed as `_meta.ui.resourceUri`, with the mounted URI. The
   * result itself is unchanged: clients without MCP Apps show its text and structured content.
   */
  view?: string;
  /** Icons a client may show for the tool. */
  icons?: readonly Icon[];
}

/** A tool as {@link defineTool} returns it: the spec, marked as a tool. */
export interface ToolDefinition<
  S = unknown,
  I extends AnyToolSchema = AnyToolSchema,
  O extends AnyToolSchema | undefined = AnyToolSchema | undefined,
  R = unknown,
> extends ToolSpec<S, I, O, R> {
  readonly kind: 'tool';
}

/** A tool of any input and output that can run with services `S`. */
// biome-ignore lint/suspicious/noExplicitAny: erases input/output types so tools of any shape fit one record
export type AnyToolDefinition<S = unknown> = ToolDefinition<S, any, any, any>;

/**
 * Declare a tool. Pure data: nothing runs until the pack is mounted. The input type of `execute` is inferred from
 * `inputSchema`. For a tool that uses its pack's services, take `defineTool` from `definersFor<MyServices>()` (once
 * per pack), or write it inline (`tools: ({ defineTool }) => ...`): `call.services` is then typed with no annotation.
 *
 * @example
 * export const add = defineTool({
 *   description: 'Add two numbers.',
 *   inputSchema: () => z.object({ a: z.number(), b: z.number() }),
 *   outputSchema: () => z.object({ sum: z.number() }),
 *   annotations: { readOnlyHint: true, openWorldHint: false },
 *   execute: ({ a, b }) => ({ sum: a + b }),
 * });
 */
export function defineTool<
  S = unknown,
  I extends AnyToolSchema = AnyToolSchema,
  O extends AnyToolSchema | undefined = undefined,
  R extends ToolReturn<O> = ToolReturn<O>,
>(spec: ToolSpec<S, I, O, R>): ToolDefinition<S, I, O, R> {
  return { ...spec, kind: 'tool' };
}
