import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { findEntries } from '../fs/find.js';
import { compileGlob } from '../fs/glob.js';
import { decodeCursorValue, encodeCursorValue } from '../fs/paging.js';
import { comparePaths } from '../fs/paths.js';
import { compileQuery, type ScanQuery } from '../fs/search-worker.js';
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
    cursor: z.string().optional(),
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

const MAX_FILES = 500_000;

/** Search inside files for a literal or a regular expression. */
export const searchContent = defineTool({
  title: 'Search contents',
  description:
    'Search text files for text or a regex, like ripgrep: one result per matching line, paged by nextCursor (also on timedOut); skips binary, huge, ignored files.',
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
    let resume: { file: string; skip: number } | undefined;
    if (args.cursor !== undefined) {
      const value = decodeCursorValue(args.cursor);
      if (typeof value.f !== 'string' || typeof value.s !== 'number' || !Number.isSafeInteger(value.s) || value.s < 0) {
        throw new ToolError('The cursor is not one this tool returned.', {
          code: 'invalid_cursor',
          hint: 'Pass nextCursor from the previous result unchanged.',
        });
      }
      resume = { file: value.f, skip: value.s };
    }

    // A single file may be searched directly.
    let files: { path: string; abs: string }[];
    const target = args.path === undefined ? undefined : await guard.resolve(args.path);
    if (target && target.kind !== 'directory' && target.kind !== undefined) {
      files = [{ path: target.display, abs: target.real }];
    } else {
      const starts = await searchStarts(guard, args.path);
      const { found } = await findEntries(starts, {
        ...walkOptions(services, guard, args, call.signal),
        cap: MAX_FILES,
        keep: (entry) => entry.kind === 'file' && (includeMatch === undefined || includeMatch(entry.rel)),
      });
      files = found;
    }
    let first = 0;
    if (resume) {
      const from = resume.file;
      first = files.findIndex((file) => comparePaths(file.path, from) >= 0);
      const exact = files[first]?.path === from;
      if (first === -1) first = files.length;
      if (!exact) resume = { file: from, skip: 0 };
    }
    const todo = files.slice(first);
    const skip = resume?.skip ?? 0;
    const outcome = await services.searcher.search({
      query,
      files: todo.map((file) => ({ abs: file.abs, size: 0 })),
      roots: guard.roots.map((root) => root.path),
      maxFileBytes: services.config.maxSearchFileBytes,
      skip,
      maxResults: args.maxResults,
      timeoutMs: services.config.searchTimeoutMs,
      signal: call.signal,
    });

    const matches: z.input<typeof match>[] = [];
    const skipped = { binary: 0, tooLarge: 0, unreadable: 0 };
    let filesWithMatches = 0;
    let toSkip = skip;
    let next: { f: string; s: number } | undefined;
    for (const [index, result] of outcome.results.entries()) {
      const file = todo[index] as { path: string };
      if (result.skipped === 'binary') skipped.binary++;
      else if (result.skipped === 'too_large') skipped.tooLarge++;
      else if (result.skipped !== undefined) skipped.unreadable++;
      if (result.matchingLines > 0) filesWithMatches++;
      const fromHere = Math.min(toSkip, result.matchingLines);
      toSkip -= fromHere;
      let taken = fromHere;
      for (const found of result.matches.slice(fromHere)) {
        if (matches.length >= args.maxResults) break;
        matches.push({ path: file.path, ...found });
        taken++;
      }
      if (matches.length >= args.maxResults) {
        if (taken < result.matchingLines) next = { f: file.path, s: taken };
        else if (index + 1 < todo.length) next = { f: (todo[index + 1] as { path: string }).path, s: 0 };
        break;
      }
    }
    if (!next && outcome.results.length < todo.length && (outcome.timedOut || matches.length >= args.maxResults)) {
      next = { f: (todo[outcome.results.length] as { path: string }).path, s: 0 };
    }
    return {
      matches,
      filesSearched: outcome.results.length,
      filesWithMatches,
      skipped,
      timedOut: outcome.timedOut,
      ...(next ? { nextCursor: encodeCursorValue(next) } : {}),
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
