/**
 * Comparing what clients see of a pack with its committed snapshot, and naming what each change means for the
 * pack's users: a removed tool or a new required parameter breaks every client that calls it (a major version), a
 * new tool is a feature (minor), a reworded description is a fix (patch).
 */
import type { ListedSurface } from '@mcp-packs/core/testing';

/** The semver bump a change needs. */
export type Bump = 'major' | 'minor' | 'patch';

/** One change between the snapshot and the pack as it is now. */
export interface SurfaceChange {
  bump: Bump;
  /** What changed, for a person: `tool "get_forecast": parameter "days" is now required`. */
  message: string;
}

type Json = Record<string, unknown>;
type Kind = keyof ListedSurface;

const KINDS: readonly { kind: Kind; label: string; key: string }[] = [
  { kind: 'tools', label: 'tool', key: 'name' },
  { kind: 'prompts', label: 'prompt', key: 'name' },
  { kind: 'resources', label: 'resource', key: 'uri' },
  { kind: 'resourceTemplates', label: 'resource template', key: 'uriTemplate' },
];

const RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

/** The largest bump among `changes`, or undefined when there are none. */
export function bumpOf(changes: readonly SurfaceChange[]): Bump | undefined {
  let bump: Bump | undefined;
  for (const change of changes) if (bump === undefined || RANK[change.bump] > RANK[bump]) bump = change.bump;
  return bump;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A schema without its descriptions and titles (wording is not behaviour), as stable text. */
function shape(schema: unknown): string {
  return JSON.stringify(schema, (key, value) => (key === 'description' || key === 'title' ? undefined : value));
}

function properties(schema: unknown): Json {
  return isObject(schema) && isObject(schema.properties) ? schema.properties : {};
}

function required(schema: unknown): Set<string> {
  return new Set(isObject(schema) && Array.isArray(schema.required) ? (schema.required as string[]) : []);
}

/** What changed in a tool's input schema: what a client sends. */
function inputChanges(where: string, before: unknown, after: unknown): SurfaceChange[] {
  if (shape(before) === shape(after)) return [];
  const changes: SurfaceChange[] = [];
  const [oldProps, newProps] = [properties(before), properties(after)];
  const [oldRequired, newRequired] = [required(before), required(after)];
  for (const name of Object.keys(oldProps)) {
    if (!(name in newProps)) changes.push({ bump: 'major', message: `${where}: parameter "${name}" was removed` });
  }
  for (const name of Object.keys(newProps)) {
    if (!(name in oldProps)) {
      changes.push(
        newRequired.has(name)
          ? { bump: 'major', message: `${where}: new required parameter "${name}"` }
          : { bump: 'minor', message: `${where}: new optional parameter "${name}"` },
      );
    } else if (newRequired.has(name) && !oldRequired.has(name)) {
      changes.push({ bump: 'major', message: `${where}: parameter "${name}" is now required` });
    } else if (shape(oldProps[name]) !== shape(newProps[name])) {
      changes.push({
        bump: 'major',
        message: `${where}: parameter "${name}" accepts different values (major unless it only accepts more)`,
      });
    } else if (oldRequired.has(name) && !newRequired.has(name)) {
      changes.push({ bump: 'minor', message: `${where}: parameter "${name}" is now optional` });
    }
  }
  if (changes.length === 0) changes.push({ bump: 'major', message: `${where}: the input schema changed` });
  return changes;
}

/** What changed in a tool's output schema: what a client reads. */
function outputChanges(where: string, before: unknown, after: unknown): SurfaceChange[] {
  if (shape(before) === shape(after)) return [];
  if (before === undefined) return [{ bump: 'minor', message: `${where}: now lists an output schema` }];
  if (after === undefined) return [{ bump: 'major', message: `${where}: no longer lists an output schema` }];
  const newProps = properties(after);
  const removed = Object.keys(properties(before)).filter((name) => !(name in newProps));
  if (removed.length > 0) {
    return removed.map((name) => ({ bump: 'major', message: `${where}: result field "${name}" was removed` }));
  }
  return [{ bump: 'minor', message: `${where}: the output schema changed` }];
}

/** What changed in a prompt's arguments. */
function argumentChanges(where: string, before: unknown, after: unknown): SurfaceChange[] {
  const list = (value: unknown) => new Map((Array.isArray(value) ? (value as Json[]) : []).map((a) => [a.name, a]));
  const [old, now] = [list(before), list(after)];
  const changes: SurfaceChange[] = [];
  for (const name of old.keys()) {
    if (!now.has(name)) changes.push({ bump: 'major', message: `${where}: argument "${name}" was removed` });
  }
  for (const [name, argument] of now) {
    const was = old.get(name);
    if (argument.required === true && was?.required !== true) {
      changes.push({
        bump: 'major',
        message: `${where}: ${was ? `argument "${name}" is now required` : `new required argument "${name}"`}`,
      });
    } else if (!was) changes.push({ bump: 'minor', message: `${where}: new optional argument "${name}"` });
  }
  return changes;
}

function itemChanges(label: string, id: string, before: Json, after: Json): SurfaceChange[] {
  const where = `${label} "${id}"`;
  const changes = [
    ...(label === 'tool' ? inputChanges(where, before.inputSchema, after.inputSchema) : []),
    ...(label === 'tool' ? outputChanges(where, before.outputSchema, after.outputSchema) : []),
    ...(label === 'prompt' ? argumentChanges(where, before.arguments, after.arguments) : []),
  ];
  const handled = new Set(['inputSchema', 'outputSchema', 'arguments']);
  const reworded = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !handled.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
  if (reworded.length > 0) changes.push({ bump: 'patch', message: `${where}: ${reworded.join(', ')} changed` });
  if (changes.length === 0 && JSON.stringify(before) !== JSON.stringify(after)) {
    changes.push({ bump: 'patch', message: `${where}: wording changed` });
  }
  return changes;
}

/** Every change from `before` (the snapshot) to `after` (the pack now), removed and changed items first. */
export function compareSurfaces(before: ListedSurface, after: ListedSurface): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  for (const { kind, label, key } of KINDS) {
    const index = (items: unknown[] | undefined) =>
      new Map((items ?? []).filter(isObject).map((item) => [String(item[key]), item]));
    const [old, now] = [index(before[kind]), index(after[kind])];
    for (const [id, item] of old) {
      const current = now.get(id);
      if (!current) changes.push({ bump: 'major', message: `${label} "${id}" was removed (or renamed)` });
      else changes.push(...itemChanges(label, id, item, current));
    }
    for (const id of now.keys()) {
      if (!old.has(id)) changes.push({ bump: 'minor', message: `new ${label} "${id}"` });
    }
  }
  return changes.sort((a, b) => RANK[b.bump] - RANK[a.bump]);
}
