import { readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { comparePaths } from '../fs/paths.js';
import { filesystemPack } from '../pack.js';

interface Page {
  matches: string[];
  nextCursor?: string;
  timedOut: boolean;
}

async function page(conn: ConnectedPack, args: Record<string, unknown>): Promise<Page> {
  const result = await conn.callTool('search_files', args);
  if (result.isError) throw new Error(resultText(result));
  return structured<Page>(result);
}

/** Every page of a search, following nextCursor; the matches of each page. */
async function allPages(conn: ConnectedPack, args: Record<string, unknown>): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const next = await page(conn, { ...args, ...(cursor ? { cursor } : {}) });
    pages.push(next.matches);
    cursor = next.nextCursor;
  } while (cursor);
  return pages;
}

/** Every path below `dir` (files, and directories with a trailing `/`), read by the test itself, in path order. */
async function listAll(dir: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const go = async (rel: string) => {
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      if (skip(entry.name)) continue;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      out.push(entry.isDirectory() ? `${child}/` : child);
      if (entry.isDirectory()) await go(child);
    }
  };
  await go('');
  return out.sort((a, b) => comparePaths(a.replace(/\/$/, ''), b.replace(/\/$/, '')));
}

async function bigTree() {
  const dir = await tempDir('fs-cursor-');
  const files: Record<string, string> = {};
  for (let i = 0; i < 90; i++) files[`p${i % 4}/m${i % 3}/f${i}.ts`] = '';
  for (let i = 0; i < 12; i++) files[`p${i % 4}/n${i}.md`] = '';
  files['a-b.ts'] = '';
  files['a/x.ts'] = '';
  files['node_modules/dep/index.ts'] = '';
  await dir.write(files);
  return dir;
}

describe('search_files cursor', () => {
  it('pages, joined, are one unpaged search, in path order, with nothing repeated', async () => {
    await using dir = await bigTree();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const whole = await page(conn, { pattern: '*', maxResults: 5000 });
    expect(whole.nextCursor).toBeUndefined();
    expect(whole.matches).toEqual(await listAll(dir.path, (name) => name === 'node_modules'));
    for (const size of [1, 7, 50]) {
      const pages = await allPages(conn, { pattern: '*', maxResults: size });
      expect(pages.flat()).toEqual(whole.matches);
      expect(pages.slice(0, -1).every((matches) => matches.length === size)).toBe(true);
    }
    const ts = await allPages(conn, { pattern: '*.ts', type: 'file', maxResults: 9 });
    expect(ts.flat()).toEqual(whole.matches.filter((file) => file.endsWith('.ts')));
    expect(ts.length).toBeGreaterThan(5);
  });

  it('pages across several roots in order', async () => {
    await using one = await tempDir('fs-cursor-');
    await using two = await tempDir('fs-cursor-');
    await one.write({ 'x/a.txt': '', 'b.txt': '' });
    await two.write({ 'c.txt': '', 'y/d.txt': '' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [two.path, one.path] } });
    const whole = (await page(conn, { pattern: '*.txt', maxResults: 100 })).matches;
    expect(whole).toHaveLength(4);
    expect((await allPages(conn, { pattern: '*.txt', maxResults: 1 })).flat()).toEqual(whole);
  });

  it('files added and removed between pages neither crash it nor repeat a path', async () => {
    await using dir = await bigTree();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const args = { pattern: '*', maxResults: 20 };
    const first = await page(conn, args);
    const lastShown = (first.matches.at(-1) as string).replace(/\/$/, '');
    expect(first.nextCursor).toBeDefined();
    // Remove the directory the first page stopped in and a later one; add paths before and after the position.
    await rm(dir.join(path.dirname(lastShown)), { recursive: true, force: true });
    await rm(dir.join('p3'), { recursive: true });
    await dir.write({ 'a/before.ts': '', 'zz/after.ts': '' });
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await page(conn, { ...args, cursor });
      rest.push(...next.matches);
      cursor = next.nextCursor;
    }
    const seen = [...first.matches, ...rest];
    expect(new Set(seen).size).toBe(seen.length);
    expect(rest).toContain('zz/after.ts');
    expect(rest).not.toContain('a/before.ts');
    expect(rest.some((file) => file.startsWith('p3/'))).toBe(false);
    // What the later pages show is exactly what is there now after the position, in order.
    const now = await listAll(dir.path, (name) => name === 'node_modules');
    expect(rest).toEqual(now.filter((file) => comparePaths(file.replace(/\/$/, ''), lastShown) > 0));
  });

  it('refuses a changed, forged or foreign cursor with a clear error saying to start again', async () => {
    await using dir = await bigTree();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    await using other = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const args = { pattern: '*.ts', maxResults: 5 };
    const cursor = (await page(conn, args)).nextCursor as string;
    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ t: Date.now(), p: { s: 0, a: '../..' } })).toString('base64url');
    const bad = [
      `${forged}.${mac}`,
      `${payload.slice(0, -1)}${payload.endsWith('A') ? 'B' : 'A'}.${mac}`,
      `${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      payload,
      '!!',
      cursor.repeat(2),
    ];
    for (const candidate of bad) {
      const result = await conn.callTool('search_files', { ...args, cursor: candidate });
      expect(result.isError).toBe(true);
      expect(errorCode(result)).toBe('invalid_cursor');
      expect(resultText(result)).toMatch(/start again/i);
    }
    // The right cursor with other arguments, or given to another mount (another key).
    expect(errorCode(await conn.callTool('search_files', { ...args, pattern: '*.md', cursor }))).toBe('invalid_cursor');
    expect(errorCode(await conn.callTool('search_files', { ...args, path: 'p1', cursor }))).toBe('invalid_cursor');
    expect(errorCode(await conn.callTool('search_files', { ...args, includeIgnored: true, cursor }))).toBe(
      'invalid_cursor',
    );
    expect(errorCode(await other.callTool('search_files', { ...args, cursor }))).toBe('invalid_cursor');
    // And it still works where it belongs.
    expect((await page(conn, { ...args, cursor })).matches).toHaveLength(5);
  });

  it('a cursor is good on another instance given the same secret (replicas), and refused by one without it', async () => {
    await using dir = await bigTree();
    const secret = 'a shared state secret of at least 32 bytes';
    await using first = await connectPack(filesystemPack, { config: { roots: [dir.path] }, secret });
    await using replica = await connectPack(filesystemPack, { config: { roots: [dir.path] }, secret });
    await using stranger = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    await using renamed = await connectPack(filesystemPack, { config: { roots: [dir.path] }, secret, prefix: 'fs2' });
    const args = { pattern: '*.ts', maxResults: 5 };
    const one = await page(first, args);
    const cursor = one.nextCursor as string;
    const two = await page(replica, { ...args, cursor });
    expect(two.matches).toHaveLength(5);
    expect(two.matches).not.toEqual(one.matches);
    expect(two.matches).toEqual((await page(first, { ...args, cursor })).matches);
    const refused = await stranger.callTool('search_files', { ...args, cursor });
    expect(errorCode(refused)).toBe('invalid_cursor');
    expect(resultText(refused)).toMatch(/state secret/);
    // Another mount (another prefix) derives another key from the same secret.
    expect(errorCode(await renamed.callTool('search_files', { ...args, cursor }))).toBe('invalid_cursor');
  });

  it('a resumed walk stays confined when the directory it stopped in became a link out', async () => {
    await using dir = await tempDir('fs-cursor-');
    await using outside = await tempDir('fs-outside-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) {
      files[`d/f${i}.txt`] = '';
      files[`d/sub/g${i}.txt`] = '';
    }
    await dir.write(files);
    await outside.write({ 'secret-a.txt': '', 'sub/secret-b.txt': '', 'zzz-secret.txt': '' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const args = { pattern: '*', maxResults: 3 };
    const first = await page(conn, args);
    expect(first.matches).toEqual(['d/', 'd/f0.txt', 'd/f1.txt']);
    await rename(dir.join('d'), dir.join('d.aside'));
    await symlink(outside.path, dir.join('d'));
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await page(conn, { ...args, cursor });
      rest.push(...next.matches);
      cursor = next.nextCursor;
    }
    expect(rest.join('\n')).not.toContain('secret');
    expect(rest[0]).toBe('d.aside/');
  });

  it('a link out of the start but inside the roots is walked once; links back inside are listed as links', async () => {
    await using dir = await tempDir('fs-cursor-');
    await dir.write({ 'work/src/a.ts': '', 'shared/lib/b.ts': '' });
    await symlink(dir.join('shared'), dir.join('work/shared'));
    await symlink(dir.join('work/src'), dir.join('work/src-again'));
    await symlink(dir.join('work'), dir.join('work/src/loop'));
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const found = (await allPages(conn, { pattern: '*', path: 'work', maxResults: 2 })).flat();
    expect(found).toEqual([
      'work/shared/',
      'work/shared/lib/',
      'work/shared/lib/b.ts',
      'work/src/',
      'work/src/a.ts',
      'work/src/loop',
      'work/src-again',
    ]);
  });
});
