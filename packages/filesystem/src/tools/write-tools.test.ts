import { chmod, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { definePack } from '@mcp-packs/core';
import { connectPack, errorCode, hintsOf, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { filesystemConfigSchema } from '../config.js';
import { tempDir } from '../fixtures/temp.js';
import { filesystemPack, WRITE_TOOLS } from '../pack.js';
import type { FilesystemServices } from '../services.js';
import { deleteEntry } from './delete.js';
import { editFile } from './edit-file.js';
import { writeFile } from './write-file.js';

const writable = (root: string, extra: Record<string, unknown> = {}) =>
  connectPack(filesystemPack, { config: { roots: [root], writes: 'on', ...extra } });

describe('write tools are off by default', () => {
  it('are neither listed nor callable unless the config enables them', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a.txt': 'a' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] } });
    const names = (await conn.client.listTools()).tools.map((tool) => tool.name.replace(/^fs_/, ''));
    for (const key of WRITE_TOOLS) expect(names).not.toContain(key);
    expect(names).toContain('read_text_file');
    // Not offered, so unknown: a protocol error, as MCP asks for a tool that does not exist.
    await expect(conn.callTool('fs_write_file', { path: 'b.txt', content: 'x' })).rejects.toThrow(/not found/);
    await expect(conn.callTool('fs_delete', { path: 'a.txt' })).rejects.toThrow(/not found/);
    expect(await readdir(dir.path)).toEqual(['a.txt']);

    await using deletesOff = await writable(dir.path);
    const writeNames = (await deletesOff.client.listTools()).tools.map((tool) => tool.name);
    expect(writeNames).toContain('fs_write_file');
    expect(writeNames).not.toContain('fs_delete');
    await expect(
      connectPack(filesystemPack, { config: { roots: [dir.path] }, tools: { include: ['write_file'] } }),
    ).rejects.toThrow('"write_file" is disabled by this config: writes are off; set writes: "on" or "ask" to enable');
  });

  it('refuse with writes_disabled / deletes_disabled when reused in a pack that does not gate them', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a.txt': 'a' });
    const reused = definePack<typeof filesystemConfigSchema, FilesystemServices>({
      name: 'myfs',
      description: 'Filesystem tools reused in a pack of my own.',
      configSchema: filesystemConfigSchema,
      setup: filesystemPack.setup as never,
      tools: { write_file: writeFile, edit_file: editFile, delete: deleteEntry },
    });
    await using conn = await connectPack(reused, { config: { roots: [dir.path] } });
    expect(errorCode(await conn.callTool('write_file', { path: 'b.txt', content: 'x' }))).toBe('writes_disabled');
    expect(
      errorCode(await conn.callTool('edit_file', { path: 'a.txt', edits: [{ oldText: 'a', newText: 'b' }] })),
    ).toBe('writes_disabled');
    expect(errorCode(await conn.callTool('delete', { path: 'a.txt' }))).toBe('writes_disabled');
    await using deletesOff = await connectPack(reused, { config: { roots: [dir.path], writes: 'on' } });
    expect(errorCode(await deletesOff.callTool('delete', { path: 'a.txt' }))).toBe('deletes_disabled');
    expect(await readdir(dir.path)).toEqual(['a.txt']);
  });

  it('carry honest annotations', async () => {
    await using dir = await tempDir();
    await using conn = await writable(dir.path, { allowDelete: true });
    const { tools } = await conn.client.listTools();
    for (const tool of tools) {
      const key = tool.name.replace(/^fs_/, '');
      const { readOnlyHint } = hintsOf(tool.annotations);
      expect(readOnlyHint, key).toBe(!(WRITE_TOOLS as readonly string[]).includes(key));
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, hintsOf(tool.annotations)]));
    expect(byName.fs_delete).toMatchObject({ destructiveHint: true, idempotentHint: true });
    expect(byName.fs_create_directory).toMatchObject({ destructiveHint: false, idempotentHint: true });
    expect(byName.fs_write_file).toMatchObject({ destructiveHint: true, idempotentHint: false });
  });

  it('a read-only mount drops the write tools entirely', async () => {
    await using dir = await tempDir();
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path] }, readOnly: true });
    const names = (await conn.client.listTools()).tools.map((tool) => tool.name);
    expect(names).not.toContain('fs_write_file');
    expect(names).toContain('fs_read_text_file');
  });
});

// Every write tool behaves the same whether it runs at once or after the user said yes: each case runs both ways.
const MODES = [
  { name: 'writes: "on"', writes: 'on', elicit: undefined },
  { name: 'writes: "ask", the user approves', writes: 'ask', elicit: () => ({ action: 'accept' as const }) },
] as const;

describe.each(MODES)('$name', ({ writes, elicit }) => {
  const writable = (root: string, extra: Record<string, unknown> = {}) =>
    connectPack(filesystemPack, { config: { roots: [root], writes, ...extra }, ...(elicit ? { elicit } : {}) });

  describe('write_file', () => {
    it('creates, refuses to clobber, overwrites atomically keeping permissions, and appends', async () => {
      await using dir = await tempDir();
      await using conn = await writable(dir.path);
      const created = structured(await conn.callTool('write_file', { path: 'n.txt', content: 'one\n' }));
      expect(created).toMatchObject({ path: 'n.txt', created: true, bytesWritten: 4 });
      expect(errorCode(await conn.callTool('write_file', { path: 'n.txt', content: 'two\n' }))).toBe('already_exists');
      await chmod(dir.join('n.txt'), 0o600);
      await conn.callTool('write_file', { path: 'n.txt', content: 'two\n', mode: 'overwrite' });
      expect(await readFile(dir.join('n.txt'), 'utf8')).toBe('two\n');
      expect((await stat(dir.join('n.txt'))).mode & 0o777).toBe(0o600);
      await conn.callTool('write_file', { path: 'n.txt', content: 'three\n', mode: 'append' });
      expect(await readFile(dir.join('n.txt'), 'utf8')).toBe('two\nthree\n');
      expect((await readdir(dir.path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      await conn.callTool('write_file', {
        path: 'bin.dat',
        content: Buffer.from([0, 1, 2]).toString('base64'),
        encoding: 'base64',
      });
      expect([...(await readFile(dir.join('bin.dat')))]).toEqual([0, 1, 2]);
      expect(errorCode(await conn.callTool('write_file', { path: 'nope/x.txt', content: 'x' }))).toBe('not_found');
    });

    it('expectedSha256 guards against lost updates', async () => {
      await using dir = await tempDir();
      await using conn = await writable(dir.path);
      const first = structured<{ sha256: string }>(await conn.callTool('write_file', { path: 'f.txt', content: 'v1' }));
      const second = structured<{ sha256: string }>(
        await conn.callTool('write_file', {
          path: 'f.txt',
          content: 'v2',
          mode: 'overwrite',
          expectedSha256: first.sha256,
        }),
      );
      const stale = await conn.callTool('write_file', {
        path: 'f.txt',
        content: 'v3',
        mode: 'overwrite',
        expectedSha256: first.sha256,
      });
      expect(errorCode(stale)).toBe('hash_mismatch');
      expect(await readFile(dir.join('f.txt'), 'utf8')).toBe('v2');
      expect(second.sha256).not.toBe(first.sha256);
      expect(
        errorCode(await conn.callTool('write_file', { path: 'g.txt', content: 'x', expectedSha256: '' })),
      ).toBeUndefined();
    });

    it('create never writes through a link planted at the name', async () => {
      await using dir = await tempDir();
      await dir.write({ 'root/keep.txt': 'k', 'victim.txt': 'original' });
      await symlink(dir.join('victim.txt'), dir.join('root/planted'));
      await using conn = await writable(dir.join('root'));
      const result = await conn.callTool('write_file', { path: 'planted', content: 'pwned' });
      expect(result.isError).toBe(true);
      expect(await readFile(dir.join('victim.txt'), 'utf8')).toBe('original');
    });
  });

  describe('edit_file', () => {
    it('replaces exactly, returns a diff, and honours dryRun', async () => {
      await using dir = await tempDir();
      await dir.write({ 'a.ts': 'const port = 3000;\nconst host = "x";\n' });
      await using conn = await writable(dir.path);
      const dry = structured<{ diff: string; dryRun: boolean }>(
        await conn.callTool('edit_file', {
          path: 'a.ts',
          edits: [{ oldText: 'port = 3000', newText: 'port = 8080' }],
          dryRun: true,
        }),
      );
      expect(dry.diff).toContain('-const port = 3000;');
      expect(dry.diff).toContain('+const port = 8080;');
      expect(await readFile(dir.join('a.ts'), 'utf8')).toContain('3000');
      const done = structured<{ applied: { match: string; line: number }[] }>(
        await conn.callTool('edit_file', { path: 'a.ts', edits: [{ oldText: 'port = 3000', newText: 'port = 8080' }] }),
      );
      expect(done.applied).toEqual([{ replacements: 1, match: 'exact', line: 1 }]);
      expect(await readFile(dir.join('a.ts'), 'utf8')).toBe('const port = 8080;\nconst host = "x";\n');
    });

    it('cuts a huge diff in its result, and still writes the whole edit', async () => {
      await using dir = await tempDir();
      await dir.write({ 'big.txt': 'alpha\n' });
      await using conn = await writable(dir.path);
      const newText = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
      const result = await conn.callTool('edit_file', { path: 'big.txt', edits: [{ oldText: 'alpha', newText }] });
      const out = structured<{ diff: string; sha256: string }>(result);
      expect(out.diff.length).toBeLessThan(101_000);
      expect(out.diff).toMatch(/… the diff goes on for \d+ more lines/);
      expect(resultText(result).length).toBeLessThan(102_000);
      expect(await readFile(dir.join('big.txt'), 'utf8')).toBe(`${newText}\n`);
    });

    it('checks the replacement count and says where the matches are', async () => {
      await using dir = await tempDir();
      await dir.write({ 'a.txt': 'x = 1\ny = 2\nx = 1\n' });
      await using conn = await writable(dir.path);
      const mismatch = await conn.callTool('edit_file', {
        path: 'a.txt',
        edits: [{ oldText: 'x = 1', newText: 'x = 3' }],
      });
      expect(errorCode(mismatch)).toBe('edit_count_mismatch');
      expect(resultText(mismatch)).toContain('lines 1, 3');
      await conn.callTool('edit_file', {
        path: 'a.txt',
        edits: [{ oldText: 'x = 1', newText: 'x = 3', expectedReplacements: 2 }],
      });
      expect(await readFile(dir.join('a.txt'), 'utf8')).toBe('x = 3\ny = 2\nx = 3\n');
    });

    it('falls back to a whitespace-tolerant match and re-indents the replacement', async () => {
      await using dir = await tempDir();
      await dir.write({ 'a.py': 'def f():\n    if x:\n        return  1\n    return 2\n' });
      await using conn = await writable(dir.path);
      const result = structured<{ applied: { match: string }[] }>(
        await conn.callTool('edit_file', {
          path: 'a.py',
          edits: [{ oldText: 'if x:\n    return 1', newText: 'if x:\n    return 10' }],
        }),
      );
      expect(result.applied[0]?.match).toBe('whitespace');
      expect(await readFile(dir.join('a.py'), 'utf8')).toBe('def f():\n    if x:\n        return 10\n    return 2\n');
    });

    it('when nothing fits, shows the closest lines with their numbers and changes nothing', async () => {
      await using dir = await tempDir();
      const text = 'alpha\nbeta\nfunction greet(name) {\n  return "hi " + name;\n}\nomega\n';
      await dir.write({ 'g.js': text });
      await using conn = await writable(dir.path);
      const result = await conn.callTool('edit_file', {
        path: 'g.js',
        edits: [
          { oldText: 'alpha', newText: 'ALPHA' },
          { oldText: 'function greet(person) {\n  return "hello " + person;', newText: 'x' },
        ],
      });
      expect(errorCode(result)).toBe('edit_not_found');
      expect(resultText(result)).toContain('lines 3-4');
      expect(resultText(result)).toContain('3| function greet(name) {');
      expect(await readFile(dir.join('g.js'), 'utf8')).toBe(text);
    });

    it('keeps CRLF line endings', async () => {
      await using dir = await tempDir();
      await dir.write({ 'w.txt': 'a\r\nb\r\n' });
      await using conn = await writable(dir.path);
      await conn.callTool('edit_file', { path: 'w.txt', edits: [{ oldText: 'a\nb', newText: 'a\nc' }] });
      expect(await readFile(dir.join('w.txt'), 'utf8')).toBe('a\r\nc\r\n');
    });
  });

  describe('create_directory, move_file, copy_file, delete', () => {
    it('creates nested directories idempotently', async () => {
      await using dir = await tempDir();
      await using conn = await writable(dir.path);
      expect(structured(await conn.callTool('create_directory', { path: 'a/b/c' }))).toEqual({
        path: 'a/b/c',
        created: true,
      });
      expect(structured(await conn.callTool('create_directory', { path: 'a/b/c' }))).toEqual({
        path: 'a/b/c',
        created: false,
      });
      await dir.write({ 'file.txt': '' });
      expect(errorCode(await conn.callTool('create_directory', { path: 'file.txt' }))).toBe('already_exists');
    });

    it('moves without clobbering unless asked', async () => {
      await using dir = await tempDir();
      await dir.write({ 'a.txt': 'A', 'b.txt': 'B', 'd/x.txt': 'X' });
      await using conn = await writable(dir.path);
      expect(errorCode(await conn.callTool('move_file', { source: 'a.txt', destination: 'b.txt' }))).toBe(
        'already_exists',
      );
      expect(await readFile(dir.join('b.txt'), 'utf8')).toBe('B');
      await conn.callTool('move_file', { source: 'a.txt', destination: 'b.txt', overwrite: true });
      expect(await readFile(dir.join('b.txt'), 'utf8')).toBe('A');
      expect(structured(await conn.callTool('move_file', { source: 'd', destination: 'e' }))).toMatchObject({
        kind: 'directory',
      });
      expect(await readFile(dir.join('e/x.txt'), 'utf8')).toBe('X');
      expect(errorCode(await conn.callTool('move_file', { source: 'missing', destination: 'z' }))).toBe('not_found');
    });

    it('copies files and trees, refusing to clobber or merge', async () => {
      await using dir = await tempDir();
      await dir.write({ 'a.txt': 'A', 'b.txt': 'B', 'tree/one.txt': '1', 'tree/sub/two.txt': '22' });
      await symlink(dir.join('a.txt'), dir.join('tree/link'));
      await using conn = await writable(dir.path);
      expect(errorCode(await conn.callTool('copy_file', { source: 'a.txt', destination: 'b.txt' }))).toBe(
        'already_exists',
      );
      await conn.callTool('copy_file', { source: 'a.txt', destination: 'b.txt', overwrite: true });
      expect(await readFile(dir.join('b.txt'), 'utf8')).toBe('A');
      const copied = structured(await conn.callTool('copy_file', { source: 'tree', destination: 'tree2' }));
      expect(copied).toMatchObject({ files: 2, directories: 2, bytes: 3, skippedLinks: 1 });
      expect(await readFile(dir.join('tree2/sub/two.txt'), 'utf8')).toBe('22');
      expect(errorCode(await conn.callTool('copy_file', { source: 'tree', destination: 'tree2' }))).toBe(
        'already_exists',
      );
      expect(errorCode(await conn.callTool('copy_file', { source: 'tree', destination: 'tree/inner' }))).toBe(
        'invalid_path',
      );
    });

    it('deletes files, empty directories, and full ones only with recursive', async () => {
      await using dir = await tempDir();
      await dir.write({ 'a.txt': 'A', 'full/x.txt': 'x' });
      await using conn = await writable(dir.path, { allowDelete: true });
      expect(structured(await conn.callTool('delete', { path: 'a.txt' }))).toEqual({ path: 'a.txt', kind: 'file' });
      expect(errorCode(await conn.callTool('delete', { path: 'full' }))).toBe('directory_not_empty');
      expect(structured(await conn.callTool('delete', { path: 'full', recursive: true }))).toEqual({
        path: 'full',
        kind: 'directory',
      });
      expect(await readdir(dir.path)).toEqual([]);
      expect(errorCode(await conn.callTool('delete', { path: 'a.txt' }))).toBe('not_found');
    });
  });
});
