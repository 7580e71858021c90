import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { openReadCursor, sealReadCursor } from './read-cursor.js';
import { countNewlines, readText } from './read-text.js';
import { CursorSeal } from './signed-cursor.js';

async function withFile(
  content: string | Buffer,
  run: (handle: Awaited<ReturnType<typeof open>>, size: number) => Promise<void>,
) {
  await using dir = await tempDir();
  await dir.write({ f: content });
  const handle = await open(dir.join('f'));
  try {
    await run(handle, (await handle.stat()).size);
  } finally {
    await handle.close();
  }
}

describe('readText', () => {
  it('tails a file without a final newline', async () => {
    await withFile('a\nb\nc', async (handle, size) => {
      const read = await readText(handle, size, { kind: 'tail', lines: 2, limit: undefined }, 1024);
      expect(read).toMatchObject({ content: 'b\nc', startLine: 2, endLine: 3, totalLines: 3 });
    });
  });

  it('a tail longer than the file returns all of it', async () => {
    await withFile('a\nb\n', async (handle, size) => {
      const read = await readText(handle, size, { kind: 'tail', lines: 10, limit: undefined }, 1024);
      expect(read).toMatchObject({ content: 'a\nb\n', startLine: 1 });
    });
  });

  it('an offset past the end returns nothing and no cursor', async () => {
    await withFile('a\nb\n', async (handle, size) => {
      const read = await readText(handle, size, { kind: 'lines', offset: 10, limit: undefined }, 1024);
      expect(read).toMatchObject({ content: '', hasMore: false, next: undefined });
    });
  });

  it('never splits a UTF-8 sequence at the byte cap', async () => {
    await withFile('€'.repeat(100), async (handle, size) => {
      const read = await readText(handle, size, { kind: 'lines', offset: 1, limit: undefined }, 256);
      expect(read.content).toBe('€'.repeat(85));
      expect(read.next?.byte).toBe(255);
    });
  });

  it('an empty file reads as empty', async () => {
    await withFile('', async (handle, size) => {
      const read = await readText(handle, size, { kind: 'tail', lines: 5, limit: undefined }, 256);
      expect(read).toMatchObject({ content: '', totalLines: 0, hasMore: false });
    });
  });
});

describe('cursors and counting', () => {
  it('round-trips a sealed cursor for its own file only, and counts newlines', () => {
    const seal = new CursorSeal();
    expect(openReadCursor(seal, '/a', sealReadCursor(seal, '/a', { byte: 42, line: 7 }))).toEqual({
      byte: 42,
      line: 7,
    });
    const start = sealReadCursor(seal, '/a', { byte: 0, line: undefined });
    expect(openReadCursor(seal, '/a', start)).toEqual({ byte: 0, line: undefined });
    expect(() => openReadCursor(seal, '/b', start)).toThrow(/cursor/);
    expect(() => openReadCursor(seal, '/a', Buffer.from('{"b":1}').toString('base64url'))).toThrow(/cursor/);
    expect(() => openReadCursor(new CursorSeal(), '/a', start)).toThrow(/cursor/);
    expect(countNewlines(Buffer.from('a\nb\n\nc'))).toBe(3);
  });
});
