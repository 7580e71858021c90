import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { findEntries } from '../fs/find.js';
import { compileGlob } from '../fs/glob.js';
import { decodeOffset, encodeOffset } from '../fs/paging.js';
import type { FilesystemServices } from '../services.js';
import { fsExecute } from './fs-errors.js';
import { searchStarts, walkOptions } from './search-starts.js';

/** The most entries one search_files walk collects, so paging stays bounded. */
export const SEARCH_FILES_CAP = 100_000;

const input = z.object({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Glob. Without "/" it matches names at any depth ("*.ts", "README*"); with "/" it matches the path below the search directory ("src/**/*.test.ts"). Supports *, **, ?, [abc], {a,b}.',
    ),
  path: z.string().optional().describe('Directory to search. Default: every root in force.'),
  type: z.enum(['file', 'directory', 'any']).default('any').describe('Only files, only directories, or both.'),
  exclude: z.array(z.string()).default([]).describe('Gitignore-style patterns to skip, e.g. ["dist", "*.min.js"].'),
  caseSensitive: z.boolean().default(false).describe('Match case exactly (default: ignore case).'),
  includeIgnored: z
    .boolean()
    .default(false)
    .describe('Also search what the default ignores (.git, node_modules, …) and .gitignore files exclude.'),
  maxResults: z.number().int().min(1).max(5000).default(200).describe('Most paths per page.'),
  cursor: z.string().optional().describe('nextCursor from the previous page (same other arguments).'),
});

const output = z.object({
  matches: z.array(z.string()).describe('Paths relative to the root (directories end with "/"), sorted.'),
  total: z.number().int().describe('Paths found in all pages.'),
  nextCursor: z.string().optional(),
  capped: z.boolean().describe(`True when the search stopped at ${SEARCH_FILES_CAP} paths; narrow it.`),
});

/** Find files and directories whose names (or paths) match a glob. */
export const searchFiles = defineTool({
  title: 'Search files by name',
  description:
    'Find files and directories by glob on their name or path, recursively, skipping .git, node_modules and .gitignored paths unless includeIgnored. Fast on big trees; results sorted and paged (nextCursor). To search inside files use search_content. Examples: { "pattern": "*.md" }, { "pattern": "src/**/*.test.ts", "type": "file" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: { title: 'Search files by name', readOnlyHint: true, openWorldHint: false },
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
