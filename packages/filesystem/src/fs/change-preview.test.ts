import { symlink } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import {
  clip,
  contentOf,
  currentContent,
  deleteQuestion,
  diffStats,
  formatBytes,
  SHOWN_LINES,
  summarizeEntry,
  writeQuestion,
} from './change-preview.js';
import { boundedDiff, MAX_DIFF_EDITS, unifiedDiff } from './edit.js';
import { sha256 } from './write.js';

const text = (value: string) => contentOf(Buffer.from(value), sha256(value));

describe('questions', () => {
  it('clips long text and long lines, saying how much is left out', () => {
    const many = Array.from({ length: SHOWN_LINES + 5 }, (_, i) => `l${i}`).join('\n');
    expect(clip(many)).toMatch(/\nl199\n… 5 more lines not shown$/);
    expect(clip('a\nb\n')).toBe('a\nb');
    expect(clip('x'.repeat(1000))).toBe(`${'x'.repeat(400)} … (line cut)`);
    expect(clip('a\n'.repeat(50), 200, 10)).toBe('a\na\na\na\na\n… 45 more lines not shown');
  });

  it('formats sizes the same way every time', () => {
    expect([0, 1, 1023, 1024, 1536, 5 * 1024 * 1024].map(formatBytes)).toEqual([
      '0 bytes',
      '1 byte',
      '1023 bytes',
      '1.0 KiB',
      '1.5 KiB',
      '5.0 MiB',
    ]);
  });

  it('counts a diff’s lines without its headers', () => {
    expect(diffStats(unifiedDiff('f', 'a\nb\nc\n', 'a\nB\nc\nd\n'))).toEqual({ added: 2, removed: 1 });
  });

  it('an overwrite too large to diff says so and shows the new text’s start; binary is named, not shown', () => {
    const before = Array.from({ length: MAX_DIFF_EDITS + 10 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: MAX_DIFF_EDITS + 10 }, (_, i) => `new ${i}`).join('\n');
    expect(boundedDiff('f', before, after)).toBeUndefined();
    expect(boundedDiff('f', 'a\n', 'b\n')).toContain('-a\n+b');
    const question = writeQuestion({ display: 'f', mode: 'overwrite', before: text(before), data: text(after) });
    expect(question).toContain('The change is too large to show as a diff; the new text begins:\n\nnew 0\nnew 1\n');
    expect(question).toMatch(/\(The file as it is now has sha256 [0-9a-f]{16}…\)$/);

    const binary = contentOf(Buffer.from([1, 0, 2]), sha256(Buffer.from([1, 0, 2])));
    expect(binary.binary).toBe(true);
    expect(contentOf(Buffer.from([0xff, 0xfe, 0x41]), 'x').binary).toBe(true);
    expect(writeQuestion({ display: 'b.bin', mode: 'overwrite', before: text('plain\n'), data: binary })).toMatch(
      /^Overwrite b\.bin \(6 bytes\) with 3 bytes of binary data \(sha256 [0-9a-f]{16}…\)\?/,
    );
    expect(writeQuestion({ display: 'same', mode: 'overwrite', before: text('x'), data: text('x') })).toMatch(
      /^Overwrite same with the same content \(nothing in it changes\)\?/,
    );
    expect(writeQuestion({ display: 'e', mode: 'create', before: undefined, data: text('') })).toBe(
      'Create e? An empty file.',
    );
  });
});

describe('what is at a path', () => {
  it('counts a tree without following links, lists its own entries sorted, and stops at the limit', async () => {
    await using dir = await tempDir();
    await dir.write({ 't/b.txt': '12', 't/a/c.txt': '345', 't/a/d/e.txt': '', 'outside/big.txt': 'x'.repeat(1000) });
    await symlink(dir.join('outside'), dir.join('t/link'));
    const summary = await summarizeEntry(dir.join('t'));
    expect(summary).toEqual({
      kind: 'directory',
      bytes: 5,
      files: 3,
      directories: 2,
      links: 1,
      other: 0,
      complete: true,
      entries: 3,
      names: ['a/', 'b.txt', 'link'],
    });
    expect(deleteQuestion('t', summary)).toBe(
      'Delete the directory t, with 3 files, 2 directories and 1 symbolic link (5 bytes) in it? There is no undo.\nIt holds: a/, b.txt, link.',
    );
    const cut = await summarizeEntry(dir.join('t'), 2);
    expect(cut.complete).toBe(false);
    expect(deleteQuestion('t', cut)).toContain('with more than ');
    expect(await summarizeEntry(dir.join('t/link'))).toMatchObject({ kind: 'symlink', files: 0 });
    expect(deleteQuestion('t/link', await summarizeEntry(dir.join('t/link')))).toBe(
      'Delete the symbolic link t/link (the link itself, not what it points to)? There is no undo.',
    );
  });

  it('reads the current file for a question: text kept when small, only hashed and sniffed when large', async () => {
    await using dir = await tempDir();
    await dir.write({ 'small.txt': 'hello\n', 'big.txt': 'y'.repeat(5000) });
    const target = (name: string) => ({ real: dir.join(name), display: name, allows: () => true });
    expect(await currentContent(target('small.txt'), 1024)).toEqual({
      size: 6,
      binary: false,
      sha256: sha256('hello\n'),
      text: 'hello\n',
    });
    expect(await currentContent(target('big.txt'), 1024)).toEqual({
      size: 5000,
      binary: false,
      sha256: sha256('y'.repeat(5000)),
    });
    expect(await currentContent(target('missing.txt'), 1024)).toBeUndefined();
  });
});
