/**
 * Argument transforms of one tool: parameters fixed by the host (gone from the listed schema, always injected),
 * parameters given a host default (optional in the listed schema, filled in when the model leaves them out), and
 * optional parameters hidden (gone from the listed schema, refused when sent). The tool's own schema still checks
 * every call, once, after injection: its refinements and messages stay the pack's.
 */
import { z } from 'zod';
import { listedJsonSchema, primeListing } from './json-schema.js';
import { type AnyToolSchema, toolSchema } from './tool.js';

/**
 * What a mount does with one parameter: fix it (the model never sees it, the value is always passed), give it a
 * default (it becomes optional), or hide an optional one (the model never sees it, and a call that sends it is
 * refused), for a parameter that cannot work on this mount.
 */
export type ArgTransform = { fixed: unknown } | { default: unknown } | { hidden: true };

/** Argument transforms by tool key, then by parameter: what a pack's `args(config)` returns. */
export type ToolArgTransforms = Readonly<Record<string, Readonly<Record<string, ArgTransform>> | undefined>>;

/** A problem with one parameter's transform: the key path below the tool (`args.encoding`) and what is wrong. */
export interface ArgProblem {
  segments: (string | number)[];
  message: string;
}

type Json = Record<string, unknown>;

/** The object schema behind a tool's input (a lazy one is built now: only for tools a host transforms). */
function objectOf(schema: AnyToolSchema): z.ZodObject {
  const built = toolSchema(schema);
  const type = (built as { _zod: { def: { type: string } } })._zod.def.type;
  return (type === 'lazy' ? (built as z.ZodLazy<z.ZodObject>).unwrap() : built) as z.ZodObject;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Check a tool's argument transforms against its input schema: each names a parameter it has, is exactly one of
 * `fixed` or `default`, and its value passes that parameter's schema. Returns the problems, or the input schema
 * the mount serves instead of the pack's (with its listing primed).
 */
export function transformArgs(
  packName: string,
  key: string,
  inputSchema: AnyToolSchema,
  args: Readonly<Record<string, ArgTransform>>,
): { problems: ArgProblem[] } | { problems: []; inputSchema: z.ZodType } {
  const shape = objectOf(inputSchema).shape as Record<string, z.ZodType>;
  const params = Object.keys(shape);
  const problems: ArgProblem[] = [];
  const fixed = new Map<string, unknown>();
  const defaults = new Map<string, unknown>();
  const hidden = new Set<string>();
  for (const [param, transform] of Object.entries(args)) {
    const at = ['args', param];
    const field = shape[param];
    if (!Object.hasOwn(shape, param) || field === undefined) {
      problems.push({
        segments: at,
        message: `no such parameter; the parameters of "${key}" are ${params.map((p) => `"${p}"`).join(', ') || 'none'}`,
      });
      continue;
    }
    const isObject = typeof transform === 'object' && transform !== null;
    const given = (['fixed', 'default', 'hidden'] as const).filter(
      (which) => isObject && Object.hasOwn(transform, which),
    );
    const which = given[0];
    if (given.length !== 1 || which === undefined) {
      problems.push({
        segments: at,
        message: 'give exactly one of { "fixed": value }, { "default": value } or { "hidden": true }',
      });
      continue;
    }
    if (which === 'hidden') {
      if ((transform as { hidden: unknown }).hidden !== true) {
        problems.push({ segments: [...at, 'hidden'], message: 'must be true (leave the parameter out to show it)' });
      } else if (!field.safeParse(undefined, { jitless: true }).success) {
        problems.push({
          segments: [...at, 'hidden'],
          message: 'the tool needs this parameter, so it cannot be hidden; fix it to a value instead',
        });
      } else hidden.add(param);
      continue;
    }
    const hasFixed = which === 'fixed';
    const value = (transform as Record<string, unknown>)[which];
    const parsed = field.safeParse(value, { jitless: true });
    if (!parsed.success) {
      const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
      problems.push({ segments: [...at, which], message: `${JSON.stringify(value)} is not valid here: ${reason}` });
      continue;
    }
    // The raw value is injected, so the tool's schema sees what the model would have sent.
    (hasFixed ? fixed : defaults).set(param, value);
  }
  if (problems.length > 0) return { problems };

  const inject = (value: unknown, context: z.RefinementCtx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const input = { ...(value as Record<string, unknown>) };
    for (const [param, given] of fixed) {
      if (input[param] !== undefined && !sameJson(input[param], given)) {
        context.addIssue({
          code: 'custom',
          path: [param],
          message: `is fixed to ${JSON.stringify(given)} on this server; leave it out`,
        });
      }
      input[param] = given;
    }
    for (const [param, given] of defaults) if (input[param] === undefined) input[param] = given;
    for (const param of hidden) {
      if (input[param] !== undefined) {
        context.addIssue({ code: 'custom', path: [param], message: 'is not available on this server; leave it out' });
      }
      delete input[param];
    }
    return input;
  };
  const schema = z.preprocess(inject, toolSchema(inputSchema));
  const listed = listedJsonSchema(inputSchema, 'input');
  if ('error' in listed) return { problems: [{ segments: ['args'], message: listed.error }] };
  primeListing(
    { name: packName, tools: { [key]: { inputSchema: schema } } },
    { pack: packName, tools: { [key]: { input: listedInput(listed.schema, fixed, defaults, hidden) } } },
  );
  return { problems: [], inputSchema: schema };
}

/**
 * The listed JSON Schema after the transforms: fixed and hidden parameters gone, defaulted ones optional with their
 * default.
 */
function listedInput(
  json: Json,
  fixed: ReadonlyMap<string, unknown>,
  defaults: ReadonlyMap<string, unknown>,
  hidden: ReadonlySet<string>,
): Json {
  const properties = { ...((json.properties as Json | undefined) ?? {}) };
  const dropped = new Set([...fixed.keys(), ...defaults.keys(), ...hidden]);
  for (const param of [...fixed.keys(), ...hidden]) delete properties[param];
  for (const [param, value] of defaults) properties[param] = { ...(properties[param] as Json), default: value };
  const required = ((json.required as string[] | undefined) ?? []).filter((param) => !dropped.has(param));
  const { required: _required, ...rest } = json;
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}
