/**
 * Attaching part of a mount: the same instance serving a chosen subset of its tools on one server (a preset
 * endpoint of the composer, say), with the handlers of the whole instance. Resources, templates and prompts are
 * attached whole.
 */
import type { MountPlan } from './plan.js';
import type { Handlers } from './sdk/port.js';

/** Options of `PackInstance.attach`. */
export interface AttachOptions {
  /**
   * Attach only the tools whose final names are in this list (names that are not tools of the mount are ignored,
   * so one list can serve many mounts). Default: every tool of the mount.
   */
  tools?: readonly string[];
}

/** The plan a server sees with {@link AttachOptions}: the mount's own, or one with fewer tools. */
export function planFor(plan: MountPlan, options: AttachOptions | undefined): MountPlan {
  if (options?.tools === undefined) return plan;
  const wanted = new Set(options.tools);
  return { ...plan, tools: plan.tools.filter(({ name }) => wanted.has(name)) };
}

/** Handlers for a subset plan: each tool index maps back to the whole plan's. */
export function handlersFor(handlers: Handlers, view: MountPlan): Handlers {
  if (view.tools === handlers.plan.tools) return handlers;
  const indexes = view.tools.map((entry) => handlers.plan.tools.indexOf(entry));
  return {
    ...handlers,
    plan: view,
    tool: (index, args, port) => handlers.tool(indexes[index] as number, args, port),
  };
}
