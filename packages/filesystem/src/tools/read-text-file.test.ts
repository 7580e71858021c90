import { open } from 'node:fs/promises';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { LOAD_SYNC_BYTES } from '../fs/access.js';
import { filesystemPack } from '../pack.js';

interface Read {
  content: string;
  startLine: number | null;
  endLine: number | null;
  totalLines: number | null;
  size: number;
  truncated: boolean;
  hasMore: boolean;
  nextCursor?: string;
}

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

describe('read_text_file', () => {
  it('reads whole files, line windows, negative offsets, head and tail', async () => {
    await using dir = await tempDir();
    await dir.write({ 'f.txt': lines(1, 100) });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const whole = structured<Read>(await conn.callTool('read_text_file', { path: 'f.txt' }));
    expect(whole).toMatchObject({
      content: lines(1, 100),
      startLine: 1,
      endLine: 100,
      totalLines: 100,
      hasMore: false,
    });
    const window = structured<Read>(await conn.callTool('read_text_file', { path: 'f.txt', offset: 10, limit: 3 }));
    expect(window).toMatchObject({ content: lines(10, 12), startLine: 10, endLine: 12, hasMore: true });
    expect(structured<Read>(await conn.callTool('read_text_file', { path: 'f.txt', head: 2 })).content).toBe(
      lines(1, 2),
    );
    const tail = structured<Read>(await conn.callTool('read_text_file', { path: 'f.txt', tail: 3 }));
    expect(tail).toMatchObject({ content: lines(98, 100), startLine: 98, endLine: 100, hasMore: false });
    const negative = structured<Read>(await conn.callTool('read_text_file', { path: 'f.txt', offset: -5, limit: 2 }));
    expect(negative).toMatchObject({ content: lines(96, 97), startLine: 96, endLine: 97 });
    expect(resultText(await conn.callTool('read_text_file', { path: 'f.txt', tail: 1 }))).toContain(
      'lines 100-100 of 100',
    );
  });

  it('pages with nextCursor until the end, losing and repeating nothing', async () => {
    await using dir = await tempDir();
    await dir.write({ 'f.txt': lines(1, 5000) });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path], maxReadBytes: 4096 } });
    let text = '';
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structured<Read>(
        await conn.callTool('read_text_file', { path: 'f.txt', ...(cursor ? { cursor } : {}) }),
      );
      expect(Buffer.byteLength(page.content)).toBeLessThanOrEqual(4096);
      expect(page.content.endsWith('\n')).toBe(true);
      text += page.content;
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(text).toBe(lines(1, 5000));
    expect(pages).toBeGreaterThan(10);
  });

  it('cuts a line longer than the cap and says how to go on', async () => {
    await using dir = await tempDir();
    await dir.write({ 'long.txt': `${'é'.repeat(5000)}\nnext\n` });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path], maxReadBytes: 1024 } });
    const result = await conn.callTool('read_text_file', { path: 'long.txt' });
    const first = structured<Read>(result);
    expect(first.truncated).toBe(true);
    expect(first.content).toBe('é'.repeat(512));
    expect(resultText(result)).toContain('cursor');
    const second = structured<Read>(
      await conn.callTool('read_text_file', { path: 'long.txt', cursor: first.nextCursor }),
    );
    expect(second.content.startsWith('é')).toBe(true);
  });

  it('refuses binary files, conflicting options and bad cursors', async () => {
    await using dir = await tempDir();
    await dir.write({ 'bin.dat': Buffer.from([1, 2, 0, 3]), 'f.txt': 'x\n' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    expect(errorCode(await conn.callTool('read_text_file', { path: 'bin.dat' }))).toBe('binary_file');
    expect(errorCode(await conn.callTool('read_text_file', { path: 'f.txt', head: 1, tail: 1 }))).toBe(
      'invalid_arguments',
    );
    expect(errorCode(await conn.callTool('read_text_file', { path: 'f.txt', cursor: 'nonsense' }))).toBe(
      'invalid_cursor',
    );
    expect(errorCode(await conn.callTool('read_text_file', { path: '.' }))).toBe('not_a_file');
    expect(errorCode(await conn.callTool('read_text_file', { path: 'missing.txt' }))).toBe('not_found');
  });

  it('tails a big file read backwards in growing blocks: CRLF, no final newline, multi-byte characters on every edge', async () => {
    await using dir = await tempDir();
    // Lines of every length with 2-, 3- and 4-byte characters, so block edges (16, 48, 112, 240 KiB from the end)
    // fall inside characters and lines; CRLF line ends in one file, none after the last line in another.
    const made: string[] = [];
    for (let i = 0, length = 0; length < 400_000; i++) {
      const line = `${i} ${'é€😀x'.repeat(i % 37)}${'-'.repeat(i % 11)}`;
      made.push(line);
      length += line.length + 1;
    }
    const variants: Record<string, string> = {
      'lf.txt': `${made.join('\n')}\n`,
      'crlf.txt': `${made.join('\r\n')}\r\n`,
      'open-end.txt': made.join('\n'),
    };
    await dir.write(variants);
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    for (const [name, text] of Object.entries(variants)) {
      expect(Buffer.byteLength(text)).toBeGreaterThan(LOAD_SYNC_BYTES);
      const body = text.endsWith('\n') ? text.slice(0, -1) : text;
      const all = body.split('\n');
      for (const count of [1, 150, 1500, all.length, all.length + 5]) {
        const expected = all.slice(-count).join('\n') + (text.endsWith('\n') ? '\n' : '');
        const read = structured<Read>(await conn.callTool('read_text_file', { path: name, tail: count }));
        if (Buffer.byteLength(expected) <= 256 * 1024) {
          expect([name, count, read.content === expected, read.truncated]).toEqual([name, count, true, false]);
          expect(read.endLine).toBe(all.length);
          expect(read.startLine).toBe(all.length - Math.min(count, all.length) + 1);
        } else {
          // Cut by the byte cap: the end of what was asked, from a line start.
          expect([name, count, expected.endsWith(read.content), read.truncated]).toEqual([name, count, true, true]);
          expect(expected[expected.length - read.content.length - 1]).toBe('\n');
        }
      }
    }
  });

  it('reads the same on either side of the small-file size (read whole at open vs through a handle)', async () => {
    // Files up to LOAD_SYNC_BYTES are read whole, synchronously, when opened; bigger ones through a file handle.
    await using dir = await tempDir();
    const line = 'twenty-nine bytes of text...\n';
    const small = line.repeat(Math.floor(LOAD_SYNC_BYTES / line.length));
    const big = line.repeat(Math.ceil(LOAD_SYNC_BYTES / line.length) + 1);
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(LOAD_SYNC_BYTES);
    expect(Buffer.byteLength(big)).toBeGreaterThan(LOAD_SYNC_BYTES);
    await dir.write({ 'small.txt': small, 'big.txt': big, 'empty.txt': '', 'nul.txt': `${small}\0` });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    for (const [name, text] of [
      ['small.txt', small],
      ['big.txt', big],
    ] as const) {
      const read = structured<Read>(await conn.callTool('read_text_file', { path: name }));
      const total = text.split('\n').length - 1;
      expect(read).toMatchObject({ content: text, size: Buffer.byteLength(text), totalLines: total, hasMore: false });
      const tail = structured<Read>(await conn.callTool('read_text_file', { path: name, tail: 2 }));
      expect(tail).toMatchObject({ content: line.repeat(2), startLine: total - 1, endLine: total });
    }
    expect(structured<Read>(await conn.callTool('read_text_file', { path: 'empty.txt' }))).toMatchObject({
      content: '',
      size: 0,
    });
    // NUL bytes after the first 8 KB sniff are still text; the sniff sees the same bytes either way.
    expect(structured<Read>(await conn.callTool('read_text_file', { path: 'nul.txt' })).size).toBe(
      Buffer.byteLength(small) + 1,
    );
  });

  it('strips a byte-order mark and keeps CRLF as it is', async () => {
    await using dir = await tempDir();
    await dir.write({ 'bom.txt': '\ufeffa\r\nb\r\n' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    expect(structured<Read>(await conn.callTool('read_text_file', { path: 'bom.txt' })).content).toBe('a\r\nb\r\n');
  });

  it('a full read of a 1 GB file answers with a capped first page and a cursor', async () => {
    await using dir = await tempDir();
    const file = dir.join('huge.log');
    const handle = await open(file, 'w');
    await handle.write(lines(1, 100_000));
    await handle.truncate(1024 ** 3);
    await handle.close();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const read = structured<Read>(await conn.callTool('read_text_file', { path: 'huge.log' }));
    expect(read.size).toBe(1024 ** 3);
    expect(read.truncated).toBe(true);
    expect(read.hasMore).toBe(true);
    expect(read.startLine).toBe(1);
    expect(read.content.startsWith('line 1\nline 2\n')).toBe(true);
    expect(Buffer.byteLength(read.content)).toBeLessThanOrEqual(256 * 1024);
    expect(read.nextCursor).toBeTypeOf('string');
  });

  it('the tail of a 256 MB file without newlines is the capped end of that line', async () => {
    await using dir = await tempDir();
    const file = dir.join('one-line.txt');
    const handle = await open(file, 'w');
    await handle.write('x'.repeat(16 * 1024), 0);
    const size = 256 * 1024 ** 2;
    await handle.write('y'.repeat(1024 * 1024), size - 1024 * 1024);
    await handle.close();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const result = await conn.callTool('read_text_file', { path: 'one-line.txt', tail: 10 });
    const read = structured<Read>(result);
    expect(read.size).toBe(size);
    expect(read.truncated).toBe(true);
    expect(read.content).toBe('y'.repeat(256 * 1024));
    expect(read.startLine).toBeNull();
    expect(resultText(result)).toContain('cut by the byte cap');
  });
});
