import { symlink, utimes } from 'node:fs/promises';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { filesystemPack } from '../pack.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('list_directory', () => {
  it('lists with types and sizes, sorts, goes deeper without entering ignored folders, and pages', async () => {
    await using dir = await tempDir();
    await dir.write({ 'b.txt': 'bb', 'a.txt': 'aaaa', 'sub/c.txt': 'c', 'node_modules/m/x.js': 'x' });
    await utimes(dir.join('b.txt'), new Date(), new Date(Date.now() + 60_000));
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const flat = structured<{ entries: { path: string; type: string; size?: number }[]; total: number }>(
      await conn.callTool('list_directory', {}),
    );
    expect(flat.entries.map((e) => [e.path, e.type, e.size])).toEqual([
      ['a.txt', 'file', 4],
      ['b.txt', 'file', 2],
      ['node_modules/', 'directory', undefined],
      ['sub/', 'directory', undefined],
    ]);
    const bySize = structured<{ entries: { path: string }[] }>(
      await conn.callTool('list_directory', { sortBy: 'size' }),
    );
    expect(bySize.entries[0]?.path).toBe('a.txt');
    const byTime = structured<{ entries: { path: string }[] }>(
      await conn.callTool('list_directory', { sortBy: 'modified' }),
    );
    expect(byTime.entries[0]?.path).toBe('b.txt');
    const deep = structured<{ entries: { path: string }[] }>(await conn.callTool('list_directory', { depth: 3 }));
    expect(deep.entries.map((e) => e.path)).toEqual(['a.txt', 'b.txt', 'node_modules/', 'sub/', 'sub/c.txt']);
    const page = structured<{ entries: unknown[]; nextCursor?: string }>(
      await conn.callTool('list_directory', { limit: 3 }),
    );
    expect(page.entries).toHaveLength(3);
    const rest = structured<{ entries: { path: string }[] }>(
      await conn.callTool('list_directory', { limit: 3, cursor: page.nextCursor }),
    );
    expect(rest.entries.map((e) => e.path)).toEqual(['sub/']);
    expect(errorCode(await conn.callTool('list_directory', { path: 'a.txt' }))).toBe('not_a_directory');
  });
});

describe('directory_tree', () => {
  it('renders an indented tree, skipping default ignores and .gitignore, unless asked', async () => {
    await using dir = await tempDir();
    await dir.write({
      '.gitignore': 'dist/\n',
      'src/index.ts': '',
      'src/lib/util.ts': '',
      'dist/index.js': '',
      '.git/HEAD': '',
      'node_modules/x/index.js': '',
      'README.md': '',
    });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const result = await conn.callTool('directory_tree', {});
    expect(resultText(result)).toBe('./\n.gitignore\nREADME.md\nsrc/\n  index.ts\n  lib/\n    util.ts');
    const everything = structured<{ entries: { path: string }[] }>(
      await conn.callTool('directory_tree', { includeIgnored: true, exclude: ['*.md'] }),
    );
    expect(everything.entries.map((e) => e.path)).toContain('node_modules/x/index.js');
    expect(everything.entries.map((e) => e.path)).toContain('dist/index.js');
    expect(everything.entries.map((e) => e.path)).not.toContain('README.md');
  });

  it('says when maxDepth or maxEntries cut it, keeping the shallow levels', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a/b/c/d.txt': '', 'z.txt': '', 'y/1.txt': '', 'y/2.txt': '' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const shallow = await conn.callTool('directory_tree', { maxDepth: 2 });
    expect(structured(shallow)).toMatchObject({ truncated: true, cutBy: 'maxDepth' });
    expect(resultText(shallow)).toContain('maxDepth');
    const few = structured<{ entries: { path: string }[]; cutBy: string }>(
      await conn.callTool('directory_tree', { maxEntries: 4 }),
    );
    expect(few.cutBy).toBe('maxEntries');
    expect(few.entries.map((e) => e.path)).toEqual(['a/', 'a/b/', 'y/', 'z.txt']);
  });

  it('walks a link out of the directory (inside the roots) once; a link into it or a loop stays a link', async () => {
    await using dir = await tempDir();
    await dir.write({ 'tree/real/file.txt': '', 'shared/lib.txt': '' });
    await symlink(dir.join('tree/real'), dir.join('tree/alias'));
    await symlink(dir.join('tree'), dir.join('tree/real/loop'));
    await symlink(dir.join('shared'), dir.join('tree/shared'));
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const tree = structured<{ entries: { path: string; type: string }[] }>(
      await conn.callTool('directory_tree', { path: 'tree', maxDepth: 10 }),
    );
    expect(tree.entries.map((e) => `${e.path} ${e.type}`)).toEqual([
      'alias symlink',
      'real/ directory',
      'real/file.txt file',
      'real/loop symlink',
      'shared/ directory',
      'shared/lib.txt file',
    ]);
  });

  it('cut by maxEntries, keeps every level above the cut whole and cuts the deepest in path order', async () => {
    await using dir = await tempDir();
    await dir.write({
      'a/x/1.txt': '',
      'a/x/2.txt': '',
      'a/y.txt': '',
      'b/z/3.txt': '',
      'b/w.txt': '',
      'c.txt': '',
    });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const paths = async (maxEntries: number) =>
      structured<{ entries: { path: string }[] }>(await conn.callTool('directory_tree', { maxEntries })).entries.map(
        (e) => e.path,
      );
    expect(await paths(3)).toEqual(['a/', 'b/', 'c.txt']);
    expect(await paths(5)).toEqual(['a/', 'a/x/', 'a/y.txt', 'b/', 'c.txt']);
    expect(await paths(8)).toEqual(['a/', 'a/x/', 'a/x/1.txt', 'a/y.txt', 'b/', 'b/w.txt', 'b/z/', 'c.txt']);
    expect(await paths(10)).toHaveLength(10);
  });
});

describe('get_file_info', () => {
  it('reports kind, size, times, permissions and a MIME guess; a link as a link, never its target', async () => {
    await using dir = await tempDir();
    await dir.write({ 'root/pic.png': PNG, 'root/notes.md': '# hi', 'outside/secret.txt': 'secret' });
    await symlink(dir.join('outside/secret.txt'), dir.join('root/out'));
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.join('root')] } });
    const png = structured(await conn.callTool('get_file_info', { path: 'pic.png' }));
    expect(png).toMatchObject({ kind: 'file', size: PNG.length, mimeType: 'image/png', readable: true, link: null });
    expect(png.permissions).toMatch(/^[rwx-]{9}$/);
    expect(structured(await conn.callTool('get_file_info', { path: 'notes.md' })).mimeType).toBe('text/markdown');
    const link = await conn.callTool('get_file_info', { path: 'out' });
    expect(structured(link)).toMatchObject({
      kind: 'symlink',
      link: { targetInsideRoots: false, targetKind: 'file' },
      readable: false,
    });
    expect(resultText(link)).not.toContain(dir.join('outside'));
    expect(structured(await conn.callTool('get_file_info', { path: '.' })).kind).toBe('directory');
  });
});

describe('read_media_file and read_multiple_files', () => {
  it('returns images and audio as content blocks, refuses text and oversized files', async () => {
    await using dir = await tempDir();
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(32)]);
    await dir.write({
      'p.png': PNG,
      's.wav': wav,
      't.txt': 'text',
      'big.png': Buffer.concat([PNG, Buffer.alloc(4096)]),
    });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path], maxMediaBytes: 2048 } });
    const image = await conn.callTool('read_media_file', { path: 'p.png' });
    expect(image.content).toEqual([{ type: 'image', data: PNG.toString('base64'), mimeType: 'image/png' }]);
    expect(image.structuredContent).toEqual({ path: 'p.png', mimeType: 'image/png', size: PNG.length });
    const audio = await conn.callTool('read_media_file', { path: 's.wav' });
    expect(audio.content[0]).toMatchObject({ type: 'audio', mimeType: 'audio/wav' });
    expect(errorCode(await conn.callTool('read_media_file', { path: 't.txt' }))).toBe('unsupported_media');
    expect(errorCode(await conn.callTool('read_media_file', { path: 'big.png' }))).toBe('file_too_large');
  });

  it('reads many files, reporting each failure in its place', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a.txt': 'A', 'b.txt': 'B', bin: Buffer.from([0, 0]) });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const result = await conn.callTool('read_multiple_files', { paths: ['a.txt', 'missing.txt', 'bin', 'b.txt'] });
    const out = structured<{
      files: { path: string; ok: boolean; content?: string; error?: { code: string } }[];
      failed: number;
    }>(result);
    expect(out.files.map((f) => (f.ok ? f.content : f.error?.code))).toEqual(['A', 'not_found', 'binary_file', 'B']);
    expect(out.failed).toBe(2);
    expect(resultText(result)).toContain('=== a.txt\nA');
  });
});
