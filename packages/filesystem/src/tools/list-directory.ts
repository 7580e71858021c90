import { z } from 'zod';
import { defineTool } from '../define.js';
import { resolveDirectory } from '../fs/access.js';
import { IgnoreRules } from '../fs/ignores.js';
import { walkOrdered } from '../fs/ordered-walk.js';
import type { WalkEntry } from '../fs/read-held.js';
import { bindingOf, invalidCursor } from '../fs/signed-cursor.js';

const input = () =>
  z.object({
    path: z.string().default('.').describe('Default: the first root.'),
    depth: z.number().int().min(1).max(5).default(1),
    sortBy: z.enum(['name', 'size', 'modified']).default('name'),
    limit: z.number().int().min(1).max(2000).default(500),
    cursor: z.string().optional(),
  });

const entry = z.object({
  path: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number().optional(),
  modified: z.string().optional(),
});

const output = () =>
  z.object({
    path: z.string(),
    entries: z.array(entry),
    total: z.number(),
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
    'List a directory: type, size, modified time; directories end with "/". depth > 1 skips .git, node_modules. Paged by nextCursor.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const { services } = call;
    const guard = await services.guard(call);
    const dir = await resolveDirectory(guard, args.path);
    // The cursor is sealed and bound to the directory and to what decides the listing and its order (not limit).
    const binding = bindingOf([dir.real, args.depth, args.sortBy]);
    let start = 0;
    if (args.cursor !== undefined) {
      const { o } = services.cursors.open('list_directory', binding, args.cursor);
      if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) throw invalidCursor();
      start = o;
    }
    const defaults = await IgnoreRules.of(dir.real, services.config.defaultIgnores);
    const found: WalkEntry[] = [];
    await walkOrdered({
      start: dir.real,
      display: dir.display,
      stats: true,
      ignore: IgnoreRules.none(),
      gitignore: false,
      followSymlinks: guard.followSymlinks,
      allows: (real) => guard.allows(real),
      signal: call.signal,
      onEntry: (item) => {
        found.push(item);
        const deeper = item.depth < args.depth && !defaults.ignores(item.abs, true);
        return item.kind === 'directory' && !deeper ? 'skip' : undefined;
      },
    });
    // Sizes and times come from the walk, taken through each held directory, never by path.
    const detailed = found.map((item) => ({
      item,
      size: item.stats?.isFile() ? item.stats.size : 0,
      mtime: item.stats?.mtimeMs ?? 0,
    }));
    const byName = (a: (typeof detailed)[number], b: (typeof detailed)[number]) =>
      a.item.rel < b.item.rel ? -1 : a.item.rel > b.item.rel ? 1 : 0;
    detailed.sort(
      args.sortBy === 'size'
        ? (a, b) => b.size - a.size || byName(a, b)
        : args.sortBy === 'modified'
          ? (a, b) => b.mtime - a.mtime || byName(a, b)
          : byName,
    );
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
      ...(end < detailed.length ? { nextCursor: services.cursors.seal('list_directory', binding, { o: end }) } : {}),
    };
  },
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
