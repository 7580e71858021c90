import { open, symlink } from 'node:fs/promises';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { filesystemPack } from '../pack.js';

interface ContentResult {
  matches: { path: string; line: number; column: number; text: string; before?: string[]; after?: string[] }[];
  filesSearched: number;
  filesWithMatches: number;
  skipped: { binary: number; tooLarge: number; unreadable: number };
  timedOut: boolean;
  nextCursor?: string;
}

async function project() {
  const dir = await tempDir('fs-search-');
  await dir.write({
    '.gitignore': 'build/\n*.log\n',
    'README.md': '# Demo\nTODO: write docs\n',
    'src/app.ts': 'import x from "y";\n// TODO first\nconst a = 1;\n// todo lower\nexport function loadUser() {}\n',
    'src/util/strings.ts': 'export const TODO = "todo";\nfunction loadConfig() {}\n',
    'src/util/strings.test.ts': 'test("x", () => {});\n',
    'build/out.js': 'TODO in build output\n',
    'debug.log': 'TODO in a log\n',
    'node_modules/lib/index.js': 'TODO in a dependency\n',
    '.git/HEAD': 'ref: TODO\n',
    'image.bin': Buffer.concat([Buffer.from('TODO'), Buffer.alloc(16), Buffer.from('TODO')]),
  });
  return dir;
}

describe('search_files', () => {
  it('matches names at any depth, paths with a slash, types, and skips ignored places', async () => {
    await using dir = await project();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const ts = structured<{ matches: string[] }>(await conn.callTool('search_files', { pattern: '*.ts' }));
    expect(ts.matches).toEqual(['src/app.ts', 'src/util/strings.test.ts', 'src/util/strings.ts']);
    const tests = structured<{ matches: string[] }>(
      await conn.callTool('search_files', { pattern: 'src/**/*.test.ts' }),
    );
    expect(tests.matches).toEqual(['src/util/strings.test.ts']);
    const dirs = structured<{ matches: string[] }>(
      await conn.callTool('search_files', { pattern: 'u*', type: 'directory' }),
    );
    expect(dirs.matches).toEqual(['src/util/']);
    const js = structured<{ matches: string[] }>(await conn.callTool('search_files', { pattern: '*.js' }));
    expect(js.matches).toEqual([]);
    const all = structured<{ matches: string[] }>(
      await conn.callTool('search_files', { pattern: '*.js', includeIgnored: true }),
    );
    expect(all.matches).toEqual(['build/out.js', 'node_modules/lib/index.js']);
    const readme = structured<{ matches: string[] }>(await conn.callTool('search_files', { pattern: 'readme*' }));
    expect(readme.matches).toEqual(['README.md']);
  });

  it('pages through results with a cursor', async () => {
    await using dir = await tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 25; i++) files[`d/f${String(i).padStart(2, '0')}.txt`] = '';
    await dir.write(files);
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = structured<{ matches: string[]; nextCursor?: string }>(
        await conn.callTool('search_files', { pattern: '*.txt', maxResults: 10, ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.matches);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Object.keys(files).sort());
    expect(errorCode(await conn.callTool('search_files', { pattern: '*', cursor: '!!' }))).toBe('invalid_cursor');
  });
});

describe('search_content', () => {
  it('finds a literal with smart case, skipping binaries, ignored and .git files', async () => {
    await using dir = await project();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const exact = structured<ContentResult>(await conn.callTool('search_content', { query: 'TODO' }));
    expect(exact.matches.map((m) => `${m.path}:${m.line}:${m.column}`)).toEqual([
      'README.md:2:1',
      'src/app.ts:2:4',
      'src/util/strings.ts:1:14',
    ]);
    expect(exact.skipped.binary).toBe(1);
    const smart = structured<ContentResult>(await conn.callTool('search_content', { query: 'todo' }));
    expect(smart.matches.map((m) => `${m.path}:${m.line}`)).toEqual([
      'README.md:2',
      'src/app.ts:2',
      'src/app.ts:4',
      'src/util/strings.ts:1',
    ]);
    const all = structured<ContentResult>(
      await conn.callTool('search_content', { query: 'TODO', includeIgnored: true, include: '*.{js,log}' }),
    );
    expect(all.matches.map((m) => m.path)).toEqual(['build/out.js', 'debug.log', 'node_modules/lib/index.js']);
  });

  it('searches a regular expression with context lines, within a path and include glob', async () => {
    await using dir = await project();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const result = await conn.callTool('search_content', {
      query: 'function\\s+load\\w*',
      regex: true,
      path: 'src',
      include: '*.ts',
      contextLines: 1,
    });
    const found = structured<ContentResult>(result);
    expect(found.matches).toEqual([
      {
        path: 'src/app.ts',
        line: 5,
        column: 8,
        text: 'export function loadUser() {}',
        before: ['// todo lower'],
        after: [],
      },
      {
        path: 'src/util/strings.ts',
        line: 2,
        column: 1,
        text: 'function loadConfig() {}',
        before: ['export const TODO = "todo";'],
        after: [],
      },
    ]);
    expect(resultText(result)).toContain('5:export function loadUser() {}');
    expect(errorCode(await conn.callTool('search_content', { query: '(unclosed', regex: true }))).toBe(
      'invalid_pattern',
    );
  });

  it('pages with a cursor, also inside one file, without loss or repetition', async () => {
    await using dir = await tempDir();
    const files: Record<string, string> = {};
    for (let f = 0; f < 6; f++) {
      files[`f${f}.txt`] = Array.from({ length: 7 }, (_, i) => (i % 2 === 0 ? `hit ${f}-${i}` : 'miss')).join('\n');
    }
    await dir.write(files);
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structured<ContentResult>(
        await conn.callTool('search_content', { query: 'hit', maxResults: 3, ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.matches.map((m) => m.text));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    const expected = Object.values(files).flatMap((text) => text.split('\n').filter((line) => line.startsWith('hit')));
    expect(seen).toEqual(expected);
    expect(pages).toBe(8);
  });

  it('skips files over the size limit', async () => {
    await using dir = await tempDir();
    await dir.write({ 'small.txt': 'needle\n', 'big.txt': `${'x'.repeat(4096)}\nneedle\n` });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path], maxSearchFileBytes: 1024 } });
    const found = structured<ContentResult>(await conn.callTool('search_content', { query: 'needle' }));
    expect(found.matches.map((m) => m.path)).toEqual(['small.txt']);
    expect(found.skipped.tooLarge).toBe(1);
  });

  it('a runaway regular expression is stopped by the time limit and the server keeps serving', async () => {
    await using dir = await tempDir();
    const handle = await open(dir.join('evil.txt'), 'w');
    await handle.write(`${'a'.repeat(40)}!\n`);
    await handle.close();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path], searchTimeoutMs: 1500 } });
    const result = structured<ContentResult>(await conn.callTool('search_content', { query: '^(a+)+$', regex: true }));
    expect(result.timedOut).toBe(true);
    expect(result.nextCursor).toBeTypeOf('string');
    const after = structured<ContentResult>(
      await conn.callTool('search_content', { query: 'a!', caseSensitive: true }),
    );
    expect(after.matches).toHaveLength(1);
  });

  it('searches a file reached through a link inside the roots, under the link path; never one outside', async () => {
    await using dir = await tempDir();
    await dir.write({ 'root/real/a.txt': 'NEEDLE in\n', 'outside/b.txt': 'NEEDLE out\n' });
    await symlink(dir.join('root/real/a.txt'), dir.join('root/link.txt'));
    await symlink(dir.join('outside/b.txt'), dir.join('root/out.txt'));
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.join('root')] } });
    const out = structured<ContentResult>(await conn.callTool('search_content', { query: 'NEEDLE' }));
    expect(out.matches.map((m) => [m.path, m.text])).toEqual([
      ['link.txt', 'NEEDLE in'],
      ['real/a.txt', 'NEEDLE in'],
    ]);
    expect(out.skipped.unreadable).toBe(0);
  });

  it('searches one file when path names a file', async () => {
    await using dir = await project();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const found = structured<ContentResult>(
      await conn.callTool('search_content', { query: 'const', path: 'src/app.ts' }),
    );
    expect(found.matches.map((m) => m.line)).toEqual([3]);
  });
});

describe('patterns a walk compiles', () => {
  it('refuses a huge glob or exclude pattern as invalid input, without quoting it back', async () => {
    await using dir = await project();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    // 100,000 characters: a gitignore pattern that long compiles to a regular expression V8 cannot build.
    const huge = 'a'.repeat(100_000);
    for (const [tool, args] of [
      ['directory_tree', { exclude: [huge] }],
      ['search_files', { pattern: '*.ts', exclude: [huge] }],
      ['search_files', { pattern: huge }],
      ['search_content', { query: 'TODO', include: huge }],
      ['search_content', { query: 'TODO', exclude: Array.from({ length: 101 }, (_, i) => `p${i}`) }],
    ] as const) {
      const result = await conn.callTool(tool, args);
      expect(errorCode(result), `${tool} ${Object.keys(args).join(',')}`).toBe('invalid_input');
      expect(resultText(result).length).toBeLessThan(1000);
    }
    const bounded = structured<{ matches: string[] }>(
      await conn.callTool('search_files', { pattern: '*.ts', exclude: ['a'.repeat(1000), '*.test.ts'] }),
    );
    expect(bounded.matches).toEqual(['src/app.ts', 'src/util/strings.ts']);
  });
});
