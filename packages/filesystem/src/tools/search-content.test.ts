import { rename, symlink } from 'node:fs/promises';
import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { needleOf, requiredLiteral } from '../fs/search-query.js';
import { filesystemPack } from '../pack.js';

interface Page {
  matches: { path: string; line: number; text: string }[];
  filesSearched: number;
  timedOut: boolean;
  nextCursor?: string;
}

async function page(conn: ConnectedPack, args: Record<string, unknown>): Promise<Page> {
  const result = await conn.callTool('search_content', args);
  if (result.isError) throw new Error(resultText(result));
  return structured<Page>(result);
}

/** Every page of a search, following nextCursor; `path:line` of each match, page by page. */
async function allPages(conn: ConnectedPack, args: Record<string, unknown>): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const next = await page(conn, { ...args, ...(cursor ? { cursor } : {}) });
    pages.push(next.matches.map((m) => `${m.path}:${m.line}`));
    cursor = next.nextCursor;
    if (pages.length > 500) throw new Error('no end to the pages');
  } while (cursor);
  return pages;
}

/** Files with 0 to 7 matching lines each, over nested directories, some ignored, with a link inside the root. */
async function tree() {
  const dir = await tempDir('fs-content-');
  const files: Record<string, string> = { '.gitignore': 'gen/\n', 'gen/x.txt': 'hit ignored\n' };
  for (let i = 0; i < 30; i++) {
    const hits = i % 8;
    const lines = Array.from({ length: 12 }, (_, l) => (l < hits ? `hit ${i}.${l}` : `miss ${l}`));
    files[`p${i % 3}/m${i % 4}/f${String(i).padStart(2, '0')}.txt`] = `${lines.join('\n')}\n`;
  }
  files['a.txt'] = 'hit top\n';
  await dir.write(files);
  await symlink(dir.join('p0/m0/f00.txt'), dir.join('z-link.txt'));
  return dir;
}

describe('search_content pages', () => {
  it('pages of every size, cut between files or inside one, join into the whole result in path order', async () => {
    await using dir = await tree();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const whole = (await allPages(conn, { query: 'hit', maxResults: 1000 })).flat();
    // 3 cycles of 0..7 hits, then 0..5, and a.txt.
    expect(whole).toHaveLength(3 * 28 + 15 + 1);
    expect(whole.join('\n')).not.toContain('gen/');
    const paths = [...new Set(whole.map((at) => at.slice(0, at.indexOf(':'))))];
    expect(paths).toEqual([...paths].sort());
    for (const size of [1, 3, 7, 64]) {
      const pages = await allPages(conn, { query: 'hit', maxResults: size });
      expect(pages.flat(), `pages of ${size}`).toEqual(whole);
      // Every page but the last is full; a full page is not followed by an empty one.
      for (const one of pages.slice(0, -1)) expect(one).toHaveLength(size);
      expect(pages.at(-1)?.length).toBeGreaterThan(0);
    }
    // The page size may change from one page to the next.
    const first = await page(conn, { query: 'hit', maxResults: 4 });
    const second = await page(conn, { query: 'hit', maxResults: 9, cursor: first.nextCursor });
    expect([...first.matches, ...second.matches].map((m) => `${m.path}:${m.line}`)).toEqual(whole.slice(0, 13));
  }, 60_000);

  it('resumes a file cut mid-way at the line after the last one returned', async () => {
    await using dir = await tempDir('fs-content-');
    await dir.write({
      'one.txt': Array.from({ length: 10 }, (_, i) => `hit ${i}`).join('\n'),
      'two.txt': 'hit two\n',
    });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const first = await page(conn, { query: 'hit', maxResults: 4 });
    expect(first.matches.map((m) => m.text)).toEqual(['hit 0', 'hit 1', 'hit 2', 'hit 3']);
    const second = await page(conn, { query: 'hit', maxResults: 4, cursor: first.nextCursor });
    expect(second.matches.map((m) => [m.path, m.line])).toEqual([
      ['one.txt', 5],
      ['one.txt', 6],
      ['one.txt', 7],
      ['one.txt', 8],
    ]);
    const third = await page(conn, { query: 'hit', maxResults: 4, cursor: second.nextCursor });
    expect(third.matches.map((m) => m.text)).toEqual(['hit 8', 'hit 9', 'hit two']);
    expect(third.nextCursor).toBeUndefined();
    // The same within one file named by path.
    const inFile = await allPages(conn, { query: 'hit', path: 'one.txt', maxResults: 3 });
    expect(inFile.map((one) => one.length)).toEqual([3, 3, 3, 1]);
    expect(inFile.flat()).toEqual(Array.from({ length: 10 }, (_, i) => `one.txt:${i + 1}`));
  });

  it('refuses a cursor that was changed, is unsigned, or belongs to other arguments', async () => {
    await using dir = await tree();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    await using other = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const args = { query: 'hit', maxResults: 5 };
    const { nextCursor: cursor } = await page(conn, args);
    expect(cursor).toBeTypeOf('string');
    const forged = Buffer.from(JSON.stringify({ f: 'p2/m3/f29.txt', s: 0 })).toString('base64url');
    const flipped = `${(cursor as string).slice(0, -2)}${(cursor as string).endsWith('A') ? 'B' : 'A'}A`;
    for (const [why, call] of [
      ['unsigned (the old form)', { ...args, cursor: forged }],
      ['changed', { ...args, cursor: flipped }],
      ['another query', { ...args, query: 'miss', cursor }],
      ['regex', { ...args, regex: true, cursor }],
      ['another path', { ...args, path: 'p1', cursor }],
      ['include', { ...args, include: '*.md', cursor }],
      ['context', { ...args, contextLines: 1, cursor }],
    ] as const) {
      expect(errorCode(await conn.callTool('search_content', call)), why).toBe('invalid_cursor');
    }
    expect(errorCode(await other.callTool('search_content', { ...args, cursor })), 'another mount').toBe(
      'invalid_cursor',
    );
    expect((await page(conn, { ...args, cursor })).matches).toHaveLength(5);
  });

  it('a resumed search stays confined when the directory it stopped in became a link out', async () => {
    await using dir = await tempDir('fs-content-');
    await using outside = await tempDir('fs-outside-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`d/f${i}.txt`] = `hit ${i}\n`;
    await dir.write(files);
    await outside.write({ 'f4.txt': 'hit SECRET\n', 'g.txt': 'hit SECRET\n' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const first = await page(conn, { query: 'hit', maxResults: 2 });
    expect(first.matches.map((m) => m.path)).toEqual(['d/f0.txt', 'd/f1.txt']);
    await rename(dir.join('d'), dir.join('d.aside'));
    await symlink(outside.path, dir.join('d'));
    const rest = (await allPages(conn, { query: 'hit', maxResults: 2, cursor: first.nextCursor })).flat();
    expect(rest.join('\n')).not.toContain('SECRET');
    expect(rest[0]).toBe('d.aside/f0.txt:1');
  });
});

describe('the literal a regular expression requires', () => {
  it('is read only where every match must contain it', () => {
    const cases: [string, string | undefined][] = [
      ['fn_[a-z]+_\\d{3}\\(', 'fn_'],
      ['foo(bar)?baz', 'foo'],
      ['colou?r', 'colo'],
      ['ab*c', undefined],
      ['abc*d', 'ab'],
      ['cat|dog', undefined],
      ['\\x41BC', 'BC'],
      ['\\u0041xy', 'xy'],
      ['\\u{41}xy', 'xy'],
      ['\\p{Lu}ab', 'ab'],
      ['(a)\\1bc', 'bc'],
      ['\\d{2,3}px', 'px'],
      ['a.b.c', undefined],
      ['[abc]+def', 'def'],
      ['\\(x\\)yz', '(x)yz'],
      ['😀?ok', 'ok'],
      ['\\bword\\b', 'word'],
      ['(?<name>ab)\\k<name>cd', 'cd'],
    ];
    for (const [source, expected] of cases) expect(requiredLiteral(source), source).toBe(expected);
  });

  it('never rules out a text the expression matches', () => {
    const texts = ['fn_abc_123(', 'foobaz', 'color', 'colour', 'ABC', 'Axy', '12px', '(x)yz', 'ok', '😀ok', 'abcd'];
    const sources = ['fn_[a-z]+_\\d{3}\\(', 'foo(bar)?baz', 'colou?r', '\\x41BC', '\\u0041xy', '\\d{2,3}px'];
    for (const source of [...sources, '\\(x\\)yz', '😀?ok', 'abc*d']) {
      const needle = needleOf({ pattern: source, regex: true, caseSensitive: true });
      const regexp = new RegExp(source, 'u');
      for (const text of texts) {
        if (regexp.test(text)) expect(needle === undefined || Buffer.from(text).includes(needle), source).toBe(true);
      }
    }
    expect(needleOf({ pattern: 'Abc', regex: false, caseSensitive: false })).toBeUndefined();
  });
});
