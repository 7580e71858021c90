import { z } from 'zod';
import { defineTool } from '../define.js';
import { resolveDirectory } from '../fs/access.js';
import { IgnoreRules, rulesFor } from '../fs/ignores.js';
import { walkOrdered } from '../fs/ordered-walk.js';
import { comparePaths } from '../fs/paths.js';
import type { WalkEntry } from '../fs/read-held.js';
import { excludeInput } from '../schemas/patterns.js';

const input = () =>
  z.object({
    path: z.string().default('.').describe('Default: the first root.'),
    maxDepth: z.number().int().min(1).max(50).default(5),
    maxEntries: z.number().int().min(1).max(20_000).default(500),
    exclude: excludeInput(),
    includeIgnored: z.boolean().default(false),
  });

const output = () =>
  z.object({
    path: z.string(),
    entries: z.array(z.object({ path: z.string(), type: z.enum(['file', 'directory', 'symlink', 'other']) })),
    count: z.number(),
    truncated: z.boolean(),
    cutBy: z.enum(['maxEntries', 'maxDepth']).nullable(),
  });

/** Show a directory as an indented tree, bounded in depth and size. */
export const directoryTree = defineTool({
  title: 'Directory tree',
  description:
    'An indented tree under a directory within maxDepth and maxEntries (if cut, narrow path); ignored paths skipped.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const { services } = call;
    const guard = await services.guard(call);
    const dir = await resolveDirectory(guard, args.path);
    const ignore = args.includeIgnored
      ? await IgnoreRules.of(dir.real, args.exclude)
      : await rulesFor(dir.root.path, dir.real, {
          defaults: services.config.defaultIgnores,
          gitignore: services.config.respectGitignore,
          extra: args.exclude,
        });
    const walkTo = async (depth: number, enough: (found: WalkEntry[], entry: WalkEntry) => boolean) => {
      const found: WalkEntry[] = [];
      const summary = await walkOrdered({
        start: dir.real,
        display: dir.display,
        ignore,
        gitignore: services.config.respectGitignore && !args.includeIgnored,
        followSymlinks: guard.followSymlinks,
        allows: (real) => guard.allows(real),
        signal: call.signal,
        listMany: services.searcher.listMany,
        onEntry: (entry) => {
          if (enough(found, entry)) return false;
          found.push(entry);
          return entry.kind === 'directory' && entry.depth >= depth ? 'skip' : undefined;
        },
      });
      return { found, complete: !summary.stopped };
    };
    // One walk in path order down to maxDepth. Past maxEntries, the tree is cut as a walk level by level would cut
    // it (every level above the cut complete, the cut in the deepest level reached, in path order there): levels
    // are walked one deeper at a time, each pass stopping once its deepest level no longer fits.
    const whole = await walkTo(args.maxDepth, (found) => found.length >= args.maxEntries + 1);
    let found = whole.found;
    let cutBy: 'maxEntries' | 'maxDepth' | null = null;
    if (!whole.complete) {
      cutBy = 'maxEntries';
      let above: WalkEntry[] = [];
      for (let depth = 1; depth <= args.maxDepth; depth++) {
        const room = args.maxEntries - above.length;
        let deepest = 0;
        const pass = await walkTo(depth, (_, entry) => entry.depth === depth && ++deepest > room);
        if (!pass.complete) {
          found = [...above, ...pass.found.filter((entry) => entry.depth === depth)];
          break;
        }
        above = pass.found;
        found = above;
      }
    } else if (found.some((item) => item.kind === 'directory' && item.depth >= args.maxDepth)) cutBy = 'maxDepth';
    const entries = found
      .map((item) => ({ path: item.kind === 'directory' ? `${item.rel}/` : item.rel, type: item.kind }))
      .sort((a, b) => comparePaths(a.path, b.path));
    return { path: dir.display, entries, count: entries.length, truncated: cutBy !== null, cutBy };
  },
  toText: (out) => {
    const lines = out.entries.map((entry) => {
      const trimmed = entry.path.endsWith('/') ? entry.path.slice(0, -1) : entry.path;
      const depth = trimmed.split('/').length - 1;
      const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
      return `${'  '.repeat(depth)}${name}${entry.type === 'directory' ? '/' : entry.type === 'symlink' ? ' -> (link)' : ''}`;
    });
    const cut =
      out.cutBy === 'maxEntries'
        ? `\n[cut at ${out.count} entries (maxEntries): deeper levels are incomplete; call again on a subdirectory or raise maxEntries]`
        : out.cutBy === 'maxDepth'
          ? '\n[directories at the last level were not expanded (maxDepth); call again on one of them or raise maxDepth]'
          : '';
    return `${out.path}/\n${lines.join('\n')}${cut}`;
  },
});
