/**
 * Reading a tool's input schema (JSON Schema 2020-12, as `tools/list` shows it): the types a schema takes, a small
 * valid sample, the slots of the arguments, and the arguments with one slot changed or one key left out.
 */
import { own } from './tool-fuzz-values.js';

export type Schema = Record<string, unknown>;
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

export function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function branches(schema: Schema): Schema[] {
  return [...((schema.anyOf as unknown[]) ?? []), ...((schema.oneOf as unknown[]) ?? [])].filter(isSchema);
}

/** The JSON types a schema accepts; `undefined` when it says nothing (anything goes). */
export function typesOf(schema: unknown): Set<JsonType> | undefined {
  if (!isSchema(schema)) return undefined;
  const types = new Set<JsonType>();
  const add = (type: unknown) => {
    if (typeof type === 'string') types.add(type as JsonType);
  };
  if (Array.isArray(schema.type)) schema.type.forEach(add);
  else add(schema.type);
  for (const branch of branches(schema)) {
    const inner = typesOf(branch);
    if (inner === undefined) return undefined;
    for (const type of inner) types.add(type);
  }
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  for (const item of values) {
    types.add(item === null ? 'null' : Array.isArray(item) ? 'array' : (typeof item as JsonType));
  }
  return types.size === 0 ? undefined : types;
}

export function accepts(types: Set<JsonType> | undefined, value: unknown): boolean {
  if (types === undefined) return true;
  if (value === null) return types.has('null');
  if (Array.isArray(value)) return types.has('array');
  if (typeof value === 'number') return types.has('number') || (types.has('integer') && Number.isInteger(value));
  return types.has(typeof value as JsonType);
}

/** The branch of a schema (itself, or one of its anyOf/oneOf) that takes this type. */
export function branchFor(schema: Schema, type: JsonType): Schema | undefined {
  const own = typesOf({ ...schema, anyOf: undefined, oneOf: undefined });
  if (own?.has(type) || (type === 'number' && own?.has('integer'))) return schema;
  for (const branch of branches(schema)) {
    const found = branchFor(branch, type);
    if (found) return found;
  }
  return undefined;
}

/** A small valid value for a schema (its default, its first enum value, else the smallest thing of its type). */
export function sampleOf(schema: unknown, prefer?: JsonType): unknown {
  if (!isSchema(schema)) return 'x';
  if (prefer) {
    const branch = branchFor(schema, prefer);
    if (branch && branch !== schema) return sampleOf(branch, prefer);
  }
  if ('default' in schema && (prefer === undefined || accepts(new Set([prefer]), schema.default))) {
    return structuredClone(schema.default);
  }
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const alternatives = branches(schema);
  const first = alternatives[0];
  const type = prefer ?? (Array.isArray(schema.type) ? schema.type[0] : schema.type);
  if (type === undefined && first) return sampleOf(first);
  switch (type) {
    case 'string':
      return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
    case 'integer':
    case 'number': {
      const minimum = typeof schema.minimum === 'number' ? schema.minimum : 1;
      const maximum = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
      return Math.min(Math.max(minimum, 1), maximum);
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const count = Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: count }, () => sampleOf(schema.items));
    }
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return Object.fromEntries(required.map((key) => [key, sampleOf(properties[key])]));
    }
    default:
      return 'x';
  }
}

/** A place in the arguments where a value goes: its path, its schema, and the schemas of the containers on the way. */
export interface Slot {
  path: readonly (string | number)[];
  schema: Schema;
  /** `containers[i]`: the schema of the value at `path.slice(0, i + 1)` (to make it when the base lacks it). */
  containers: readonly Schema[];
  label: string;
}

function labelOf(path: readonly (string | number)[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

/** Every slot of an input schema, to `depth` levels (properties, array items, record values, through anyOf). */
export function slotsOf(inputSchema: unknown, depth = 3): Slot[] {
  const found = new Map<string, Slot>();
  const walk = (schema: Schema, path: (string | number)[], containers: Schema[], left: number) => {
    const label = labelOf(path);
    if (!found.has(label)) found.set(label, { path, schema, containers, label });
    if (left === 0) return;
    const forms = [schema, ...branches(schema)];
    for (const form of forms) {
      if (isSchema(form.items)) walk(form.items, [...path, 0], [...containers, form], left - 1);
      if (isSchema(form.properties)) {
        for (const [key, property] of Object.entries(form.properties)) {
          if (isSchema(property)) walk(property, [...path, key], [...containers, form], left - 1);
        }
      }
      if (isSchema(form.additionalProperties)) {
        walk(form.additionalProperties, [...path, 'k'], [...containers, form], left - 1);
      }
    }
  };
  const properties = isSchema(inputSchema) && isSchema(inputSchema.properties) ? inputSchema.properties : {};
  for (const [key, property] of Object.entries(properties)) {
    if (isSchema(property)) walk(property, [key], [], depth - 1);
  }
  return [...found.values()];
}

/** `base` with the value at `slot.path` replaced (containers copied; missing ones made from their schema). */
export function withSlot(base: Record<string, unknown>, slot: Slot, value: unknown): Record<string, unknown> {
  const copy = (container: unknown): Record<string, unknown> | unknown[] =>
    Array.isArray(container) ? [...container] : own(Object.entries(container as Record<string, unknown>));
  const root = copy(base) as Record<string, unknown>;
  let parent: Record<string, unknown> | unknown[] = root;
  slot.path.forEach((segment, i) => {
    const last = i === slot.path.length - 1;
    if (last) {
      (parent as Record<string | number, unknown>)[segment] = value;
      return;
    }
    const next = slot.path[i + 1];
    const wanted: JsonType = typeof next === 'number' ? 'array' : 'object';
    const existing = (parent as Record<string | number, unknown>)[segment];
    const fits = wanted === 'array' ? Array.isArray(existing) : isSchema(existing);
    const schema = slot.containers[i] ?? {};
    const child = copy(fits ? existing : (sampleOf(schema, wanted) ?? (wanted === 'array' ? [] : {})));
    (parent as Record<string | number, unknown>)[segment] = child;
    parent = child;
  });
  return root;
}

export function without(base: Record<string, unknown>, key: string): Record<string, unknown> {
  return own(Object.entries(base).filter(([name]) => name !== key));
}
