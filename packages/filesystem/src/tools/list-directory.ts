import { lstat, stat } from 'node:fs/promises';
import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { resolveDirectory } from '../fs/access.js';
import { IgnoreRules } from '../fs/ignores.js';
import { decodeOffset, encodeOffset } from '../fs/paging.js';
import { type WalkEntry, walkLevels } from '../fs/walk.js';
import type { FilesystemServices } from '../services.js';
import { fsExecute } from './fs-errors.js';

const input = z.object({
  path: z
    .string()
    .default('.')
    .describe('Directory to list: relative to a root, or absolute inside one. Default: the (first) root.'),
  depth: z
    .number()
    .int()
    .min(1)
    .max(5)
    .default(1)
    .describe(
      '1 = direct entries only; up to 5 levels. Deeper levels skip node_modules, .git and other default ignores.',
    ),
  sortBy: z
    .enum(['name', 'size', 'modified'])
    .default('name')
    .describe('Order: name (A-Z), size (largest first) or modified (newest first).'),
  limit: z.number().int().min(1).max(2000).default(500).describe('Most entries per page.'),
  cursor: z.string().optional().describe('nextCursor from the previous page.'),
});

const entry = z.object({
  path: z.string().describe('Relative to the listed directory; directories end with "/".'),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number().int().optional().describe('Bytes, for files.'),
  modified: z.string().optional().describe('ISO time of the last change.'),
});

const output = z.object({
  path: z.string().describe('The listed directory, relative to its root.'),
  entries: z.array(entry),
  total: z.number().int().describe('Entries found in all pages.'),
  nextCursor: z.string().optional(),
});

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** List a directory's entries, optionally a few levels deep, with sizes and times. */
export const listDirectory = defineTool({
  title: 'List directory',
  description:
    'List the entries of a directory with type, size and modification time, sorted by name, size or time; depth > 1 lists subdirectories too (not descending into node_modules, .git and other ignored folders). Paged: pass nextCursor for more. For a big picture of a project use directory_tree; to find files by name use search_files. Example: { "path": "src", "sortBy": "modified" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: { title: 'List directory', readOnlyHint: true, openWorldHint: false },
  execute: fsExecute(async (args: z.output<typeof input>, call: ToolCall<FilesystemServices>) => {
    const { services } = call;
    const guard = await services.guard(call);
    const dir = await resolveDirectory(guard, args.path);
    const defaults = await IgnoreRules.of(dir.real, services.config.defaultIgnores);
    const found: WalkEntry[] = [];
    await walkLevels({
      start: dir.real,
      maxDepth: args.depth,
      ignore: IgnoreRules.none(),
      gitignore: false,
      followSymlinks: guard.followSymlinks,
      allows: (real) => guard.allows(real),
      signal: call.signal,
      onEntry: (item) => {
        found.push(item);
        return item.kind === 'directory' && defaults.ignores(item.abs, true) ? 'skip' : undefined;
      },
    });
    const detailed = await Promise.all(
      found.map(async (item) => {
        try {
          const stats = item.link && item.kind !== 'symlink' ? await stat(item.abs) : await lstat(item.abs);
          return { item, size: stats.isFile() ? stats.size : 0, mtime: stats.mtimeMs };
        } catch {
          return { item, size: 0, mtime: 0 };
        }
      }),
    );
    const byName = (a: (typeof detailed)[number], b: (typeof detailed)[number]) =>
      a.item.rel < b.item.rel ? -1 : a.item.rel > b.item.rel ? 1 : 0;
    detailed.sort(
      args.sortBy === 'size'
        ? (a, b) => b.size - a.size || byName(a, b)
        : args.sortBy === 'modified'
          ? (a, b) => b.mtime - a.mtime || byName(a, b)
          : byName,
    );
    const start = args.cursor === undefined ? 0 : decodeOffset(args.cursor);
    const page = detailed.slice(start, start + args.limit);
    const end = start + page.length;
    return {
      path: dir.display,
      entries: page.map(({ item, size, mtime }) => ({
        path: item.kind === 'directory' ? `${item.rel}/` : item.rel,
        type: item.kind,
        ...(item.kind === 'file' ? { size } : {}),
        ...(mtime > 0 ? { modified: new Date(mtime).toISOString() } : {}),
      })),
      total: detailed.length,
      ...(end < detailed.length ? { nextCursor: encodeOffset(end) } : {}),
    };
  }),
  toText: (out) => {
    const lines = out.entries.map((e) =>
      e.type === 'file'
        ? `${e.path}  ${formatSize(e.size ?? 0)}`
        : e.type === 'symlink'
          ? `${e.path} -> (link)`
          : e.path,
    );
    const more = out.nextCursor
      ? `\n[${out.total - out.entries.length} more; call again with cursor "${out.nextCursor}"]`
      : '';
    return `${out.path} (${out.total} entries)\n${lines.join('\n')}${more}`;
  },
});
