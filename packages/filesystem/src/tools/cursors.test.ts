import { symlink } from 'node:fs/promises';
import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { filesystemPack } from '../pack.js';

interface Listing {
  entries: { path: string }[];
  total: number;
  nextCursor?: string;
}

interface Read {
  content: string;
  startLine: number | null;
  hasMore: boolean;
  nextCursor?: string;
}

interface Many {
  files: { path: string; ok: boolean; content?: string; truncated?: boolean; nextCursor?: string }[];
}

async function ok<T>(conn: ConnectedPack, tool: string, args: Record<string, unknown>): Promise<T> {
  const result = await conn.callTool(tool, args);
  if (result.isError) throw new Error(resultText(result));
  return structured<T>(result);
}

/** A refusal as the tools give one: an error result, `invalid_cursor`, and a hint to start again. */
async function expectRefused(conn: ConnectedPack, tool: string, args: Record<string, unknown>): Promise<void> {
  const result = await conn.callTool(tool, args);
  expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
  expect(errorCode(result)).toBe('invalid_cursor');
  expect(resultText(result)).toMatch(/start again/i);
}

/** Every variation of `cursor` a client could make by hand: each must be refused. */
function tampered(cursor: string): string[] {
  const [payload, mac] = cursor.split('.') as [string, string];
  const flip = (text: string) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { t: number; p: object };
  const moved = Buffer.from(JSON.stringify({ ...decoded, p: { o: 1, b: 1, l: 1 } })).toString('base64url');
  return [
    `${flip(payload)}.${mac}`,
    `${payload}.${flip(mac)}`,
    `${moved}.${mac}`,
    payload,
    `${payload}.`,
    cursor.repeat(2),
    '!!',
    // The unsigned cursors these tools handed out before: an offset, and a byte/line position.
    Buffer.from(JSON.stringify({ o: 3 })).toString('base64url'),
    Buffer.from(JSON.stringify({ b: 10, l: 2 })).toString('base64url'),
  ];
}

const numbered = (count: number) => Array.from({ length: count }, (_, i) => `line ${i + 1}\n`).join('');

async function fixture() {
  const dir = await tempDir('fs-cursors-');
  const files: Record<string, string> = {};
  for (let i = 0; i < 23; i++) files[`d/f${String(i).padStart(2, '0')}.txt`] = 'x'.repeat(i * 7);
  for (let i = 0; i < 6; i++) files[`d/sub${i % 2}/g${i}.md`] = 'y'.repeat(i);
  files['e/one.txt'] = '1';
  files['big.txt'] = numbered(2000);
  files['other.txt'] = numbered(2000);
  await dir.write(files);
  return dir;
}

describe('list_directory cursors', () => {
  it('pages through a whole directory, in every order and depth, each entry once', async () => {
    await using dir = await fixture();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    for (const args of [
      { path: 'd' },
      { path: 'd', depth: 2 },
      { path: 'd', depth: 2, sortBy: 'size' },
      { path: 'd', sortBy: 'modified' },
    ]) {
      const whole = await ok<Listing>(conn, 'list_directory', args);
      expect(whole.nextCursor).toBeUndefined();
      const paged: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await ok<Listing>(conn, 'list_directory', { ...args, limit: 4, ...(cursor ? { cursor } : {}) });
        expect(page.total).toBe(whole.total);
        paged.push(...page.entries.map((entry) => entry.path));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(paged).toEqual(whole.entries.map((entry) => entry.path));
      expect(new Set(paged).size).toBe(paged.length);
      expect(pages).toBe(Math.ceil(whole.total / 4));
    }
  });

  it('a cursor goes on with another page size, and through another spelling of the same directory', async () => {
    await using dir = await fixture();
    await symlink(dir.join('d'), dir.join('link-d'));
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const first = await ok<Listing>(conn, 'list_directory', { path: 'd', limit: 5 });
    const rest = await ok<Listing>(conn, 'list_directory', {
      path: dir.join('d'),
      limit: 100,
      cursor: first.nextCursor,
    });
    expect([...first.entries, ...rest.entries].map((entry) => entry.path)).toEqual(
      (await ok<Listing>(conn, 'list_directory', { path: 'd' })).entries.map((entry) => entry.path),
    );
    const viaLink = await ok<Listing>(conn, 'list_directory', { path: 'link-d', limit: 100, cursor: first.nextCursor });
    expect(viaLink.entries).toEqual(rest.entries);
  });

  it('refuses a cursor tampered with, made for other arguments, another tool or another mount', async () => {
    await using dir = await fixture();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    await using other = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const args = { path: 'd', limit: 4 };
    const cursor = (await ok<Listing>(conn, 'list_directory', args)).nextCursor as string;
    for (const candidate of tampered(cursor))
      await expectRefused(conn, 'list_directory', { ...args, cursor: candidate });
    await expectRefused(conn, 'list_directory', { ...args, path: 'e', cursor });
    await expectRefused(conn, 'list_directory', { ...args, path: '.', cursor });
    await expectRefused(conn, 'list_directory', { ...args, depth: 2, cursor });
    await expectRefused(conn, 'list_directory', { ...args, sortBy: 'size', cursor });
    await expectRefused(other, 'list_directory', { ...args, cursor });
    // Cursors of the other paged tools are not list_directory's.
    const read = (await ok<Read>(conn, 'read_text_file', { path: 'big.txt', limit: 5 })).nextCursor as string;
    await expectRefused(conn, 'list_directory', { ...args, cursor: read });
    const found = await ok<{ nextCursor?: string }>(conn, 'search_files', { pattern: '*', path: 'd', maxResults: 2 });
    await expectRefused(conn, 'list_directory', { ...args, cursor: found.nextCursor });
    // And the cursor still works where it belongs.
    expect((await ok<Listing>(conn, 'list_directory', { ...args, cursor })).entries).toHaveLength(4);
  });
});

describe('read_text_file and read_multiple_files cursors', () => {
  it('pages through a whole file by bytes or by lines, each line once', async () => {
    await using dir = await fixture();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path], maxReadBytes: 2048 } });
    const all = numbered(2000);
    for (const [first, expected] of [
      [{}, all],
      [{ limit: 150 }, all],
      [{ offset: 1700, limit: 70 }, all.slice(all.indexOf('line 1700\n'))],
    ] as const) {
      let text = '';
      let cursor: string | undefined;
      do {
        // The first call says where to start; each next one only goes on (a cursor excludes offset).
        const where = cursor ? { cursor, ...('limit' in first ? { limit: first.limit } : {}) } : first;
        const page = await ok<Read>(conn, 'read_text_file', { path: 'big.txt', ...where });
        text += page.content;
        cursor = page.nextCursor;
      } while (cursor);
      expect(text).toBe(expected);
    }
  });

  it('a cut file of read_multiple_files goes on in read_text_file, for that file only', async () => {
    await using dir = await fixture();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const many = await ok<Many>(conn, 'read_multiple_files', {
      paths: ['big.txt', 'e/one.txt'],
      maxBytesPerFile: 4096,
    });
    const [big, one] = many.files;
    expect(big?.truncated).toBe(true);
    expect(one?.nextCursor).toBeUndefined();
    let text = big?.content ?? '';
    let cursor = big?.nextCursor;
    await expectRefused(conn, 'read_text_file', { path: 'other.txt', cursor });
    await expectRefused(conn, 'list_directory', { path: '.', cursor });
    while (cursor) {
      const page = await ok<Read>(conn, 'read_text_file', { path: 'big.txt', cursor });
      text += page.content;
      cursor = page.nextCursor;
    }
    expect(text).toBe(numbered(2000));
  });

  it('refuses a cursor tampered with, made for another file, another tool or another mount', async () => {
    await using dir = await fixture();
    await symlink(dir.join('big.txt'), dir.join('alias.txt'));
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    await using other = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const first = await ok<Read>(conn, 'read_text_file', { path: 'big.txt', limit: 10 });
    const cursor = first.nextCursor as string;
    for (const candidate of tampered(cursor)) {
      await expectRefused(conn, 'read_text_file', { path: 'big.txt', cursor: candidate });
    }
    // other.txt has the same content and size: only the seal tells the files apart.
    await expectRefused(conn, 'read_text_file', { path: 'other.txt', cursor });
    await expectRefused(other, 'read_text_file', { path: 'big.txt', cursor });
    const listed = (await ok<Listing>(conn, 'list_directory', { path: 'd', limit: 2 })).nextCursor;
    await expectRefused(conn, 'read_text_file', { path: 'big.txt', cursor: listed });
    const found = await ok<{ nextCursor?: string }>(conn, 'search_content', { query: 'line', maxResults: 2 });
    await expectRefused(conn, 'read_text_file', { path: 'big.txt', cursor: found.nextCursor });
    // The same file by another path (a link to it, its absolute path) is the same file.
    for (const path of ['alias.txt', dir.join('big.txt')]) {
      const page = await ok<Read>(conn, 'read_text_file', { path, limit: 10, cursor });
      expect(page).toMatchObject({ startLine: 11, content: numbered(20).split('\n').slice(10).join('\n') });
    }
  });

  it('a cursor is good on another instance given the same secret (replicas)', async () => {
    await using dir = await fixture();
    const secret = 'a shared state secret of at least 32 bytes';
    await using first = await connectPack(filesystemPack, { config: { roots: [dir.path] }, secret });
    await using replica = await connectPack(filesystemPack, { config: { roots: [dir.path] }, secret });
    const read = (await ok<Read>(first, 'read_text_file', { path: 'big.txt', limit: 10 })).nextCursor;
    expect((await ok<Read>(replica, 'read_text_file', { path: 'big.txt', limit: 1, cursor: read })).content).toBe(
      'line 11\n',
    );
    const listed = (await ok<Listing>(first, 'list_directory', { path: 'd', limit: 3 })).nextCursor;
    const next = await ok<Listing>(replica, 'list_directory', { path: 'd', limit: 3, cursor: listed });
    expect(next.entries.map((entry) => entry.path)).toEqual(['f03.txt', 'f04.txt', 'f05.txt']);
  });
});
