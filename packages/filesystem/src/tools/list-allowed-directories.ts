import { z } from 'zod';
import { defineTool } from '../define.js';

const output = () =>
  z.object({
    roots: z.array(
      z.object({
        path: z.string(),
        label: z.string(),
        source: z.enum(['config', 'client']),
        within: z.string().optional(),
      }),
    ),
    mode: z.enum(['config', 'narrowed-by-client']),
    configuredRoots: z.array(z.string()),
    ignoredClientRoots: z.array(z.object({ uri: z.string(), reason: z.string() })),
    writes: z.enum(['off', 'on', 'ask']),
    allowWrite: z.boolean(),
    allowDelete: z.boolean(),
    followSymlinks: z.boolean(),
  });

/** Which directories are accessible now, and where each came from. */
export const listAllowedDirectories = defineTool({
  title: 'Allowed directories',
  description:
    "The roots the server may access (with several, relative paths start with a root's label) and whether writes are on. Call it when unsure of paths.",
  inputSchema: () => z.object({}),
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (_args: Record<string, never>, call) => {
    const { services } = call;
    const set = await services.rootSet(call);
    return {
      roots: set.roots.map((root) => ({
        path: root.path,
        label: root.label,
        source: root.source,
        ...(root.within === undefined ? {} : { within: root.within }),
      })),
      mode: set.mode,
      configuredRoots: services.configuredRoots.map((root) => root.path),
      ignoredClientRoots: [...set.ignored],
      writes: services.writes,
      allowWrite: services.writes !== 'off',
      allowDelete: services.writes !== 'off' && services.config.allowDelete,
      followSymlinks: services.config.followSymlinks,
    };
  },
  toText: (out) => {
    const lines = out.roots.map(
      (root) =>
        `${root.path}${out.roots.length > 1 ? ` (as "${root.label}/…")` : ''} — ${root.source === 'config' ? 'configured' : `shared by the client, inside ${root.within}`}`,
    );
    if (out.roots.length === 0) lines.push('(none: the client shared no directory inside the configured roots)');
    const ignored = out.ignoredClientRoots.map((root) => `ignored client root ${root.uri}: ${root.reason}`);
    const writes = { off: 'disabled', on: 'enabled', ask: 'enabled, each change approved by the user' }[out.writes];
    const access = `writes ${writes}, deletes ${out.allowDelete ? 'enabled' : 'disabled'}, symbolic links ${out.followSymlinks ? 'followed inside the roots' : 'not followed'}`;
    return [`Allowed directories (${out.mode}):`, ...lines, ...ignored, access].join('\n');
  },
});
