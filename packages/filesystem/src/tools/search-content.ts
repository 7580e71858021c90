import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { displayJoin, startRules } from '../fs/find.js';
import { compileGlob } from '../fs/glob.js';
import { walkOrdered } from '../fs/ordered-walk.js';
import { comparePaths } from '../fs/paths.js';
import type { ScanTarget } from '../fs/scan-stream.js';
import { compileQuery, type ScanQuery } from '../fs/search-query.js';
import { bindingOf, invalidCursor } from '../fs/signed-cursor.js';
import { cappedString, excludeInput, MAX_PATTERN_LENGTH } from '../schemas/patterns.js';
import { searchStarts, walkOptions } from '../search-starts.js';

const input = () =>
  z.object({
    query: cappedString(1000).min(1),
    regex: z.boolean().default(false).describe('query is a JavaScript regex.'),
    caseSensitive: z.boolean().optional().describe('Default: if query has capitals.'),
    path: z.string().optional().describe('Default: all roots.'),
    include: cappedString(MAX_PATTERN_LENGTH).optional().describe('Glob: "*.ts".'),
    exclude: excludeInput(),
    contextLines: z.number().int().min(0).max(10).default(0),
    maxResults: z.number().int().min(1).max(1000).default(100),
    includeIgnored: z.boolean().default(false),
    cursor: cappedString(4096).optional(),
  });

const match = z.object({
  path: z.string(),
  line: z.number(),
  column: z.number(),
  text: z.string(),
  before: z.array(z.string()).optional(),
  after: z.array(z.string()).optional(),
});

const output = () =>
  z.object({
    matches: z.array(match),
    filesSearched: z.number(),
    filesWithMatches: z.number(),
    skipped: z.object({ binary: z.number(), tooLarge: z.number(), unreadable: z.number() }),
    timedOut: z.boolean(),
    nextCursor: z.string().optional(),
  });

/**
 * Where a page ends, sealed into its cursor: the start (`s`, an index into the sorted starts) and the walk position in
 * it. `a` alone: resume after that path. `a` with `k`: resume at the file `a`, skipping its first `k` matching lines
 * (the page ended inside that file's results; when it changed meanwhile, its lines from the `k`+1st on). Neither: from
 * the start's beginning.
 */
interface Position {
  readonly s: number;
  readonly a?: string;
  readonly k?: number;
}

/** What the tool keeps with each file it hands to the searcher. */
interface Tag {
  readonly start: number;
  readonly rel: string;
  readonly display: string;
}

function openPosition(value: Record<string, unknown>, starts: number): Position {
  const { s, a, k } = value;
  if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0 || s >= starts) throw invalidCursor();
  if (a !== undefined && typeof a !== 'string') throw invalidCursor();
  if (k !== undefined && (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 0 || a === undefined)) {
    throw invalidCursor();
  }
  return { s, ...(a === undefined ? {} : { a }), ...(k === undefined ? {} : { k }) };
}

/** Search inside files for a literal or a regular expression. */
export const searchContent = defineTool({
  title: 'Search contents',
  description:
    'Search files for text or regex, like ripgrep: a result per matching line, paged by nextCursor (mid-file too, on timedOut); skips binary, big, ignored files.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const { services } = call;
    const guard = await services.guard(call);
    const caseSensitive = args.caseSensitive ?? /\p{Lu}/u.test(args.query);
    const query: ScanQuery = {
      pattern: args.query,
      regex: args.regex,
      caseSensitive,
      contextLines: args.contextLines,
      maxLineChars: 300,
    };
    try {
      compileQuery(query);
    } catch (error) {
      throw new ToolError(`The regular expression is not valid: ${(error as Error).message}`, {
        code: 'invalid_pattern',
        hint: 'Fix the syntax, or pass regex: false to search for the text literally.',
      });
    }
    const includeMatch =
      args.include === undefined ? undefined : await compileGlob(args.include, { caseSensitive: true });

    // A single file is searched directly; a directory (or every root) by one walk in path order over its starts,
    // resumed from the cursor's position, the files streamed to the workers as the walk finds them.
    const target = args.path === undefined ? undefined : await guard.resolve(args.path);
    const file = target && target.kind !== 'directory' && target.kind !== undefined ? target : undefined;
    const starts = file
      ? []
      : (await searchStarts(guard, args.path)).sort((a, b) => comparePaths(a.display, b.display));
    const options = walkOptions(services, guard, args, call.signal);
    // Bound to every argument that decides which lines match, and to what the search covers (client roots may
    // change between pages); not to maxResults, so a page size may change from one page to the next.
    const binding = bindingOf([
      args.query,
      args.regex,
      caseSensitive,
      args.path ?? null,
      args.include ?? null,
      args.exclude,
      args.contextLines,
      args.includeIgnored,
      file ? [file.real] : starts.map((start) => start.real),
    ]);
    const from: Position =
      args.cursor === undefined
        ? { s: 0 }
        : openPosition(services.cursors.open('search_content', binding, args.cursor), file ? 1 : starts.length);

    const stream = services.searcher.open<Tag>({
      query,
      roots: guard.roots.map((root) => root.path),
      maxFileBytes: services.config.maxSearchFileBytes,
      maxPerFile: args.maxResults + (from.k ?? 0),
      timeoutMs: services.config.searchTimeoutMs,
      signal: call.signal,
    });
    const deadline = performance.now() + services.config.searchTimeoutMs;
    let added = 0;
    let consumed = 0;
    /** Where the walk stopped on its own (its deadline), or `undefined`: it ran to the end or was stopped. */
    let walkCut: Position | undefined;
    let walkDone = false;
    const add = (target: ScanTarget<Tag>) => {
      added++;
      return stream.add(target);
    };
    const producer = (async () => {
      try {
        if (file) {
          if (from.a === undefined || from.k !== undefined)
            add({ abs: file.real, tag: { start: 0, rel: '', display: file.display } });
          walkDone = true;
          return;
        }
        for (let index = from.s; index < starts.length; index++) {
          const start = starts[index] as (typeof starts)[number];
          const after = index === from.s ? from.a : undefined;
          const summary = await walkOrdered({
            start: start.real,
            display: start.display,
            ignore: await startRules(start, options),
            gitignore: options.gitignore && !options.includeIgnored,
            followSymlinks: options.followSymlinks,
            allows: options.allows,
            ...(after === undefined ? {} : { after, inclusive: from.k !== undefined }),
            deadline,
            signal: call.signal,
            // Directories read ahead are listed on a worker, a group at a time: the walk is the one thing here on
            // the main thread, and a round trip to the thread pool per directory cost it more than the listing.
            listMany: services.searcher.listMany,
            onEntry: (entry, dir) => {
              if (stream.closed) return false;
              if (entry.kind !== 'file' || (includeMatch !== undefined && !includeMatch(entry.rel))) return undefined;
              const tag = { start: index, rel: entry.rel, display: displayJoin(start.display, entry.rel) };
              // A file in the held directory is opened through it (a lease keeps it open for the worker); a followed
              // link's target by its real path, checked again by the worker.
              const waiting = add(
                entry.link ? { abs: entry.abs, tag } : { abs: entry.abs, name: entry.name, lease: dir.lease(), tag },
              );
              return waiting?.then(() => (stream.closed ? false : undefined));
            },
          });
          if (summary.stopped) {
            if (summary.timedOut)
              walkCut = { s: index, ...((summary.last ?? after) === undefined ? {} : { a: summary.last ?? after }) };
            return;
          }
        }
        walkDone = true;
      } finally {
        stream.end();
      }
    })();

    const matches: z.input<typeof match>[] = [];
    const skipped = { binary: 0, tooLarge: 0, unreadable: 0 };
    let filesSearched = 0;
    let filesWithMatches = 0;
    /** The last file read to its end on this page. */
    let last: Tag | undefined;
    /** Where the page ends when it ends before the stream does: inside a file, or before the next file that matches. */
    let cut: Position | undefined;
    try {
      for (;;) {
        const item = await stream.next();
        if (item === undefined) break;
        const { tag } = item.target;
        const { result } = item;
        const resumed = from.k !== undefined && tag.start === from.s && tag.rel === from.a;
        const skip = resumed ? Math.min(from.k as number, result.matchingLines) : 0;
        if (matches.length >= args.maxResults) {
          // The page is full: it reads on (only what is already being scanned) to tell whether more follows.
          if (result.matchingLines > skip) {
            cut = last ? { s: last.start, a: last.rel } : from;
            break;
          }
        } else {
          const room = args.maxResults - matches.length;
          const taken = result.matches.slice(skip, skip + room);
          for (const found of taken) matches.push({ path: tag.display, ...found });
          if (skip + taken.length < result.matchingLines && matches.length >= args.maxResults) {
            cut = { s: tag.start, a: tag.rel, k: skip + taken.length };
          }
        }
        filesSearched++;
        if (result.skipped === 'binary') skipped.binary++;
        else if (result.skipped === 'too_large') skipped.tooLarge++;
        else if (result.skipped !== undefined) skipped.unreadable++;
        if (result.matchingLines > skip) filesWithMatches++;
        if (cut) break;
        last = tag;
        consumed++;
        if (matches.length >= args.maxResults) stream.stop();
      }
    } finally {
      stream.stop();
      await producer;
    }
    const timedOut = stream.timedOut || walkCut !== undefined;
    let next = cut;
    if (!next && !(walkDone && consumed === added)) {
      // Stopped before the end (time, or a full page with nothing more in sight): on after the last file read, or
      // where the walk stopped when every file it found was read.
      next = walkCut && consumed === added ? walkCut : last ? { s: last.start, a: last.rel } : from;
    }
    const stats = stream.stats();
    call.log.debug('search_content page', {
      files: stats.files,
      batches: stats.batches,
      wallMs: Math.round(stats.wallMs),
      workerBusy: stats.wallMs > 0 ? Math.round((100 * stats.busyMs) / (stats.workers * stats.wallMs)) / 100 : 0,
    });
    return {
      matches,
      filesSearched,
      filesWithMatches,
      skipped,
      timedOut,
      ...(next ? { nextCursor: services.cursors.seal('search_content', binding, { ...next }) } : {}),
    };
  },
  toText: (out) => {
    const lines: string[] = [];
    let last = '';
    for (const m of out.matches) {
      if (m.path !== last) {
        lines.push(`${lines.length > 0 ? '\n' : ''}${m.path}`);
        last = m.path;
      }
      const before = m.before ?? [];
      before.forEach((text, i) => {
        lines.push(`${m.line - before.length + i}-${text}`);
      });
      lines.push(`${m.line}:${m.text}`);
      (m.after ?? []).forEach((text, i) => {
        lines.push(`${m.line + i + 1}-${text}`);
      });
    }
    const skippedTotal = out.skipped.binary + out.skipped.tooLarge + out.skipped.unreadable;
    const summary = `[${out.matches.length} matching lines in ${out.filesWithMatches} files; ${out.filesSearched} files searched${skippedTotal > 0 ? `, ${out.skipped.binary} binary, ${out.skipped.tooLarge} too large, ${out.skipped.unreadable} unreadable skipped` : ''}]`;
    const more = out.nextCursor
      ? `\n[${out.timedOut ? 'stopped by the time limit' : 'more results'}: call again with cursor "${out.nextCursor}"]`
      : '';
    return `${out.matches.length === 0 ? 'No matches.' : lines.join('\n')}\n${summary}${more}`;
  },
});
