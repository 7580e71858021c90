import { z } from 'zod';
import { defineTool } from '../define.js';
import { displayJoin, startRules } from '../fs/find.js';
import { compileGlob } from '../fs/glob.js';
import { walkOrdered } from '../fs/ordered-walk.js';
import { comparePaths } from '../fs/paths.js';
import { bindingOf, invalidCursor } from '../fs/signed-cursor.js';
import { cappedString, excludeInput, MAX_PATTERN_LENGTH } from '../schemas/patterns.js';
import { searchStarts, walkOptions } from '../search-starts.js';

const input = () =>
  z.object({
    pattern: cappedString(MAX_PATTERN_LENGTH)
      .min(1)
      .describe('Without "/" matches names at any depth; with "/" paths: "src/**/*.ts".'),
    path: z.string().optional().describe('Default: all roots.'),
    type: z.enum(['file', 'directory', 'any']).default('any'),
    exclude: excludeInput(),
    caseSensitive: z.boolean().default(false),
    includeIgnored: z.boolean().default(false),
    maxResults: z.number().int().min(1).max(5000).default(200),
    cursor: cappedString(4096).optional(),
  });

const output = () =>
  z.object({
    matches: z.array(z.string()),
    nextCursor: z.string().optional(),
    timedOut: z.boolean(),
  });

/** Find files and directories whose names (or paths) match a glob. */
export const searchFiles = defineTool({
  title: 'Find files',
  description:
    'Find files and directories by glob, recursively, skipping .git, node_modules, gitignored; sorted, paged by nextCursor.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const { services } = call;
    const guard = await services.guard(call);
    // One walk in path order over every start, resumed from the cursor's position: a page costs what it covers.
    const starts = (await searchStarts(guard, args.path)).sort((a, b) => comparePaths(a.display, b.display));
    const isMatch = await compileGlob(args.pattern, { caseSensitive: args.caseSensitive });
    const options = walkOptions(services, guard, args, call.signal);
    // The cursor is bound to every argument that shapes the walk, and to the directories it covers (client roots
    // may change between pages): a cursor for anything else is refused.
    const binding = bindingOf([
      args.pattern,
      args.path ?? null,
      args.type,
      args.exclude,
      args.caseSensitive,
      args.includeIgnored,
      starts.map((start) => start.real),
    ]);
    let from = { start: 0, after: undefined as string | undefined };
    if (args.cursor !== undefined) {
      const { s, a } = services.cursors.open('search_files', binding, args.cursor);
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0 || s >= starts.length) throw invalidCursor();
      if (a !== undefined && typeof a !== 'string') throw invalidCursor();
      from = { start: s, after: a };
    }
    const deadline = performance.now() + services.config.searchTimeoutMs;
    const matches: string[] = [];
    let next: { s: number; a?: string } | undefined;
    let timedOut = false;
    for (let index = from.start; index < starts.length && !next; index++) {
      const start = starts[index] as (typeof starts)[number];
      const after = index === from.start ? from.after : undefined;
      const summary = await walkOrdered({
        start: start.real,
        display: start.display,
        ignore: await startRules(start, options),
        gitignore: options.gitignore && !options.includeIgnored,
        followSymlinks: options.followSymlinks,
        allows: options.allows,
        ...(after === undefined ? {} : { after }),
        deadline,
        signal: call.signal,
        // Directories read ahead are listed on the searcher's lister worker, a group per message.
        listMany: services.searcher.listMany,
        onEntry: (entry) => {
          const wanted =
            args.type === 'any' || (args.type === 'file' ? entry.kind === 'file' : entry.kind === 'directory');
          if (!wanted || !isMatch(entry.rel)) return undefined;
          const shown = displayJoin(start.display, entry.rel);
          matches.push(entry.kind === 'directory' ? `${shown}/` : shown);
          return matches.length < args.maxResults;
        },
      });
      if (summary.stopped) {
        timedOut = summary.timedOut;
        const at = summary.last ?? after;
        next = { s: index, ...(at === undefined ? {} : { a: at }) };
      }
    }
    return {
      matches,
      ...(next ? { nextCursor: services.cursors.seal('search_files', binding, next) } : {}),
      timedOut,
    };
  },
  toText: (out) => {
    const more = out.nextCursor
      ? `\n[${out.timedOut ? 'stopped by the time limit' : 'more may follow'}: call again with cursor "${out.nextCursor}"]`
      : '';
    if (out.matches.length === 0 && !out.nextCursor) return 'No paths match.';
    return `${out.matches.length === 0 ? 'No paths match on this page.' : out.matches.join('\n')}${more}`;
  },
});
