/**
 * The names each server has registered, and by which mount: shared by every copy of core through a `Symbol.for` key
 * on the server, so a collision is caught even between packs built with different copies.
 */
import { PackError } from './errors.js';
import type { MountPlan } from './plan.js';
import type { McpServerLike } from './sdk/load.js';

export interface ServerState {
  tools: Map<string, string>;
  prompts: Map<string, string>;
  resources: Map<string, string>;
  templates: Map<string, string>;
  /** Whether an adapter installed its per-server handlers. */
  prepared: boolean;
}

const STATE_KEY = Symbol.for('mcp-packs.server-state');

export function serverState(server: McpServerLike): ServerState {
  const holder = server as unknown as { [STATE_KEY]?: ServerState };
  let state = holder[STATE_KEY];
  if (!state) {
    state = { tools: new Map(), prompts: new Map(), resources: new Map(), templates: new Map(), prepared: false };
    holder[STATE_KEY] = state;
  }
  return state;
}

export function collisions(server: McpServerLike, plan: MountPlan): string[] {
  const state = serverState(server);
  const problems: string[] = [];
  const check = (kind: string, key: string, taken: Map<string, string>) => {
    const other = taken.get(key);
    if (other)
      problems.push(`${kind} "${key}" is already registered by ${other}; mount one of them under another prefix`);
  };
  for (const { name } of plan.tools) check('tool', name, state.tools);
  for (const { name } of plan.prompts) check('prompt', name, state.prompts);
  for (const { uri } of plan.resources) check('resource', uri, state.resources);
  for (const { uriTemplate } of plan.templates) check('resource template', uriTemplate, state.templates);
  return problems;
}

export function collisionError(plan: MountPlan, problems: readonly string[], cause?: unknown): PackError {
  return new PackError(`Cannot mount ${plan.owner}:\n- ${problems.join('\n- ')}`, {
    code: 'name_collision',
    pack: plan.pack.name,
    ...(cause === undefined ? {} : { cause }),
  });
}
