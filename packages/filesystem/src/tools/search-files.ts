import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { findEntries } from '../fs/find.js';
import { compileGlob } from '../fs/glob.js';
import { decodeOffset, encodeOffset } from '../fs/paging.js';
import type { FilesystemServices } from '../services.js';
import { fsExecute } from './fs-errors.js';
import { cappedString, excludeInput, MAX_PATTERN_LENGTH } from './patterns.js';
import { searchStarts, walkOptions } from './search-starts.js';

/** The most entries one search_files walk collects, so paging stays bounded. */
export const SEARCH_FILES_CAP = 100_000;

const input = z.lazy(() =>
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
    cursor: z.string().optional(),
  }),
);

const output = z.lazy(() =>
  z.object({
    matches: z.array(z.string()),
    total: z.number(),
    nextCursor: z.string().optional(),
    capped: z.boolean(),
  }),
);

/** Find files and directories whose names (or paths) match a glob. */
export const searchFiles = defineTool({
  title: 'Find files',
  description: `Find files and directories by glob, recursively, skipping .git, node_modules, gitignored; paged by nextCursor, at most ${SEARCH_FILES_CAP}.`,
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: fsExecute(async (args: z.output<typeof input>, call: ToolCall<FilesystemServices>) => {
    const { services } = call;
    const guard = await services.guard(call);
    const starts = await searchStarts(guard, args.path);
    const isMatch = await compileGlob(args.pattern, { caseSensitive: args.caseSensitive });
    const { found, capped } = await findEntries(starts, {
      ...walkOptions(services, guard, args, call.signal),
      cap: SEARCH_FILES_CAP,
      keep: (entry) =>
        (args.type === 'any' || (args.type === 'file' ? entry.kind === 'file' : entry.kind === 'directory')) &&
        isMatch(entry.rel),
    });
    const start = args.cursor === undefined ? 0 : decodeOffset(args.cursor);
    const page = found.slice(start, start + args.maxResults);
    const end = start + page.length;
    return {
      matches: page.map((item) => (item.entry.kind === 'directory' ? `${item.path}/` : item.path)),
      total: found.length,
      ...(end < found.length ? { nextCursor: encodeOffset(end) } : {}),
      capped,
    };
  }),
  toText: (out) => {
    if (out.total === 0) return 'No paths match.';
    const more = out.nextCursor ? `\n[${out.total} in all; call again with cursor "${out.nextCursor}" for more]` : '';
    return `${out.matches.join('\n')}${more}${out.capped ? '\n[stopped at the cap; narrow the search]' : ''}`;
  },
});
