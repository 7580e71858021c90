/**
 * Confinement: every way out of the roots we know of, each through the real tools over a real client.
 */
import { mkdir, readdir, readFile, rename, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempDir, tempDir } from './fixtures/temp.js';
import { filesystemPack } from './pack.js';

const SECRET = 'TOP-SECRET-OUTSIDE-CONTENT';

let base: TempDir;
let data: string;
let outside: string;

beforeAll(async () => {
  base = await tempDir('fs-confine-');
  data = base.join('data');
  outside = base.join('outside');
  await base.write({
    'data/inner.txt': 'inside\n',
    'data/sub/deeper/file.txt': 'deep inside\n',
    'data/deep/a/b/.keep': '',
    'data-evil/secret.txt': SECRET,
    'DATA/secret.txt': SECRET,
    'outside/secret.txt': SECRET,
    'outside/nested/secret.txt': SECRET,
  });
  await symlink(base.join('outside/secret.txt'), base.join('data/link-out-file'));
  await symlink(outside, base.join('data/link-out-dir'));
  await symlink('../../../../outside', base.join('data/deep/a/b/link'));
  await symlink(base.join('data/inner.txt'), base.join('data/link-in'));
  await symlink(base.join('outside/missing-dir'), base.join('data/dangling-dir'));
  await symlink(base.join('outside/missing.txt'), base.join('data/dangling'));
});

afterAll(async () => {
  await base[Symbol.asyncDispose]();
});

const connect = (config: Record<string, unknown> = {}) =>
  connectPack(filesystemPack, { config: { roots: [data], writes: 'on', allowDelete: true, ...config } });

/** The result must be an error with this code, and must not leak outside content or paths. */
function expectDenied(
  result: Awaited<ReturnType<Awaited<ReturnType<typeof connect>>['callTool']>>,
  code = 'access_denied',
  echoed = '',
) {
  const text = resultText(result).replaceAll(echoed || '\u0000', '');
  expect(errorCode(result), text).toBe(code);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(outside);
}

describe('paths out of the roots are refused', () => {
  it('.. traversal, plain and hidden in the middle of a path', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('read_text_file', { path: '../outside/secret.txt' }));
    expectDenied(await conn.callTool('read_text_file', { path: 'sub/../../outside/secret.txt' }));
    expectDenied(await conn.callTool('list_directory', { path: '..' }));
    expectDenied(await conn.callTool('directory_tree', { path: 'sub/../..' }));
  });

  it('absolute paths outside', async () => {
    await using conn = await connect();
    const given = base.join('outside/secret.txt');
    expectDenied(await conn.callTool('read_text_file', { path: given }), 'access_denied', given);
    expectDenied(await conn.callTool('read_text_file', { path: '/etc/passwd' }));
    expectDenied(await conn.callTool('get_file_info', { path: '/' }));
  });

  it('a sibling whose name starts with the root name (/data vs /data-evil)', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('read_text_file', { path: `${data}-evil/secret.txt` }));
    expectDenied(await conn.callTool('search_content', { query: 'SECRET', path: `${data}-evil` }));
  });

  it('case differences do not reach a differently-cased sibling', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('read_text_file', { path: base.join('DATA/secret.txt') }));
  });

  it('Unicode normalization: an NFD spelling of an NFC root is another directory, outside', async () => {
    await using dir = await tempDir('fs-unicode-');
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    await dir.write({ [`${nfc}/ok.txt`]: 'fine', [`${nfd}/secret.txt`]: SECRET });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.join(nfc)] } });
    expect(structured(await conn.callTool('read_text_file', { path: dir.join(nfc, 'ok.txt') })).content).toBe('fine');
    const result = await conn.callTool('read_text_file', { path: dir.join(nfd, 'secret.txt') });
    expect(errorCode(result)).toBe('access_denied');
    expect(resultText(result)).not.toContain(SECRET);
  });

  it('a symbolic link to a file outside', async () => {
    await using conn = await connect();
    const result = await conn.callTool('read_text_file', { path: 'link-out-file' });
    expectDenied(result);
    expect(resultText(result)).toContain('symbolic link');
    const many = await conn.callTool('read_multiple_files', { paths: ['link-out-file', 'inner.txt'] });
    const files = structured<{ files: { ok: boolean; error?: { code: string } }[] }>(many).files;
    expect(files.map((file) => file.error?.code ?? 'ok')).toEqual(['access_denied', 'ok']);
    expect(resultText(many)).not.toContain(SECRET);
    expect(resultText(many)).not.toContain(outside);
  });

  it('a symbolic link to a directory outside, at any depth', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('read_text_file', { path: 'link-out-dir/secret.txt' }));
    expectDenied(await conn.callTool('read_text_file', { path: 'link-out-dir/nested/secret.txt' }));
    expectDenied(await conn.callTool('read_text_file', { path: 'deep/a/b/link/secret.txt' }));
    expectDenied(await conn.callTool('list_directory', { path: 'link-out-dir' }));
    expectDenied(await conn.callTool('search_content', { query: 'SECRET', path: 'deep/a/b/link' }));
  });

  it('walks never descend into links out, nor show what is behind them', async () => {
    await using conn = await connect();
    const tree = await conn.callTool('directory_tree', { maxDepth: 10 });
    expect(resultText(tree)).not.toContain('secret.txt');
    const files = await conn.callTool('search_files', { pattern: 'secret*' });
    expect(structured(files).matches).toEqual([]);
    const content = await conn.callTool('search_content', { query: SECRET, includeIgnored: true });
    expect(structured(content).matches).toEqual([]);
    const listing = await conn.callTool('list_directory', { depth: 5 });
    expect(resultText(listing)).not.toContain('secret.txt');
  });

  it('a link that stays inside is followed', async () => {
    await using conn = await connect();
    expect(structured(await conn.callTool('read_text_file', { path: 'link-in' })).content).toBe('inside\n');
  });

  it('with followSymlinks off, even links inside are refused', async () => {
    await using conn = await connect({ followSymlinks: false });
    expectDenied(await conn.callTool('read_text_file', { path: 'link-in' }));
    expect(structured(await conn.callTool('read_text_file', { path: 'inner.txt' })).content).toBe('inside\n');
  });

  it('NUL bytes, very long paths and over-long names', async () => {
    await using conn = await connect();
    expectDenied(
      await conn.callTool('read_text_file', { path: 'inner.txt\0../../outside/secret.txt' }),
      'invalid_path',
    );
    expectDenied(await conn.callTool('read_text_file', { path: 'a/'.repeat(3000) }), 'invalid_path');
    expectDenied(await conn.callTool('write_file', { path: `${'x'.repeat(300)}.txt`, content: 'x' }), 'invalid_path');
  });

  it('~ expands to the home directory, which is outside these roots', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('list_directory', { path: '~' }));
    expectDenied(await conn.callTool('read_text_file', { path: '~/.bashrc' }));
  });

  it('%2e%2e is a name, not a parent; in a file:// URL it is decoded and then judged', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('read_text_file', { path: '%2e%2e/outside/secret.txt' }), 'not_found');
    const url = `${pathToFileURL(data).href}/%2e%2e/outside/secret.txt`;
    expectDenied(await conn.callTool('read_text_file', { path: url }));
    expect(
      structured(await conn.callTool('read_text_file', { path: pathToFileURL(path.join(data, 'inner.txt')).href }))
        .content,
    ).toBe('inside\n');
  });

  it('relative paths resolve against the roots, never the working directory', async () => {
    await using conn = await connect();
    const here = await readdir(process.cwd());
    const name = here.find((entry) => entry === 'package.json') ?? here[0];
    expectDenied(await conn.callTool('read_text_file', { path: name }), 'not_found');
    expect(structured(await conn.callTool('read_text_file', { path: 'sub/deeper/file.txt' })).content).toBe(
      'deep inside\n',
    );
  });

  it('errors name paths relative to the root and say which roots are in force', async () => {
    await using conn = await connect();
    const missing = resultText(await conn.callTool('read_text_file', { path: 'sub/nope.txt' }));
    expect(missing).toContain('"sub/nope.txt"');
    const denied = resultText(await conn.callTool('read_text_file', { path: '../outside/secret.txt' }));
    expect(denied).toContain(`allowed roots: ${data}`);
  });
});

describe('writes cannot land outside', () => {
  it('a new file whose parent is a link out', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('write_file', { path: 'link-out-dir/new.txt', content: 'x' }));
    expectDenied(await conn.callTool('create_directory', { path: 'link-out-dir/made' }));
    expect(await readdir(outside)).not.toContain('new.txt');
    expect(await readdir(outside)).not.toContain('made');
  });

  it('a dangling link out: nothing is created through it', async () => {
    await using conn = await connect();
    const direct = await conn.callTool('write_file', { path: 'dangling', content: 'x', mode: 'overwrite' });
    expect(direct.isError).toBe(true);
    const through = await conn.callTool('write_file', { path: 'dangling-dir/x.txt', content: 'x' });
    expect(through.isError).toBe(true);
    const made = await conn.callTool('create_directory', { path: 'dangling-dir/sub' });
    expect(made.isError).toBe(true);
    // The refusals name paths as the model does, never by this machine's absolute path.
    for (const result of [through, made]) expect(resultText(result)).not.toContain(base.path);
    expect(await readdir(outside)).not.toContain('missing.txt');
    expect(await readdir(outside)).not.toContain('missing-dir');
  });

  it('overwriting through a link out is refused; a planted link at a new name is never written through', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('write_file', { path: 'link-out-file', content: 'pwned', mode: 'overwrite' }));
    expectDenied(await conn.callTool('write_file', { path: 'link-out-file', content: 'pwned', mode: 'append' }));
    expect(await readFile(base.join('outside/secret.txt'), 'utf8')).toBe(SECRET);
  });

  it('move, copy and delete stay inside on both ends', async () => {
    await using conn = await connect();
    expectDenied(await conn.callTool('move_file', { source: 'inner.txt', destination: '../outside/moved.txt' }));
    expectDenied(await conn.callTool('copy_file', { source: 'link-out-file', destination: 'copy.txt' }));
    expectDenied(await conn.callTool('copy_file', { source: 'inner.txt', destination: 'link-out-dir/copy.txt' }));
    expectDenied(await conn.callTool('delete', { path: '../outside/secret.txt' }));
    expectDenied(await conn.callTool('delete', { path: 'link-out-dir/secret.txt' }));
    // Deleting a link removes the link, never its target.
    await symlink(base.join('outside/secret.txt'), base.join('data/to-delete'));
    expect(errorCode(await conn.callTool('delete', { path: 'to-delete' }))).toBeUndefined();
    expect(await readFile(base.join('outside/secret.txt'), 'utf8')).toBe(SECRET);
    expect(await readdir(outside)).toEqual(['nested', 'secret.txt']);
  });

  it('a root itself cannot be deleted or moved', async () => {
    await using conn = await connect();
    expect(errorCode(await conn.callTool('delete', { path: '.', recursive: true }))).toBe('is_root');
    expect(errorCode(await conn.callTool('move_file', { source: data, destination: 'x' }))).toBe('is_root');
  });
});

describe('a path swapped for a link while it is being read', () => {
  it('is refused when swapped between the check and the open (final name)', async () => {
    await using dir = await tempDir('fs-swap-');
    await dir.write({ 'root/file.txt': 'inside', 'outside/secret.txt': SECRET });
    const { PathGuard } = await import('./fs/guard.js');
    const { openVerified, READ_FLAGS } = await import('./fs/open.js');
    const { resolveConfiguredRoots } = await import('./fs/roots.js');
    const { roots } = await resolveConfiguredRoots([dir.join('root')]);
    const guard = new PathGuard({ roots, mode: 'config', ignored: [] }, { followSymlinks: true });
    const resolved = await guard.resolve('file.txt');
    await unlink(dir.join('root/file.txt'));
    await symlink(dir.join('outside/secret.txt'), dir.join('root/file.txt'));
    await expect(
      openVerified(resolved.real, READ_FLAGS, (p) => guard.allows(p), resolved.display),
    ).rejects.toMatchObject({
      code: 'access_denied',
    });
  });

  it('is refused when a parent directory is swapped between the check and the open', async () => {
    await using dir = await tempDir('fs-swap-');
    await dir.write({ 'root/sub/file.txt': 'inside', 'outside/file.txt': SECRET });
    const { PathGuard } = await import('./fs/guard.js');
    const { openVerified, READ_FLAGS, HAS_PROC_FD } = await import('./fs/open.js');
    const { resolveConfiguredRoots } = await import('./fs/roots.js');
    const { roots } = await resolveConfiguredRoots([dir.join('root')]);
    const guard = new PathGuard({ roots, mode: 'config', ignored: [] }, { followSymlinks: true });
    const resolved = await guard.resolve('sub/file.txt');
    await rename(dir.join('root/sub'), dir.join('root/sub-old'));
    await symlink(dir.join('outside'), dir.join('root/sub'));
    const opening = openVerified(resolved.real, READ_FLAGS, (p) => guard.allows(p), resolved.display);
    if (HAS_PROC_FD) await expect(opening).rejects.toMatchObject({ code: 'access_denied' });
    else await expect(opening).rejects.toBeTruthy();
  });

  it('the search worker skips a file swapped for a link out', async () => {
    await using dir = await tempDir('fs-swap-');
    await dir.write({ 'root/sub/file.txt': 'inside', 'outside/file.txt': SECRET });
    const { scanFile } = await import('./fs/scan-file.js');
    const { compileQuery } = await import('./fs/search-query.js');
    await rename(dir.join('root/sub'), dir.join('root/sub-old'));
    await symlink(dir.join('outside'), dir.join('root/sub'));
    const query = { pattern: 'SECRET', regex: false, caseSensitive: true, contextLines: 0, maxLineChars: 100 };
    const result = scanFile(
      dir.join('root/sub/file.txt'),
      { query, roots: [dir.join('root')], maxFileBytes: 1e6 },
      compileQuery(query),
      10,
    );
    expect(result.matches).toEqual([]);
    expect(result.skipped).toBe('changed');
  });

  it('never returns the outside file while a thread flips the path between a file and a link out', async () => {
    await using dir = await tempDir('fs-race-');
    await dir.write({ 'root/flip': 'inside\n', 'outside/secret.txt': `${SECRET}\n` });
    await mkdir(dir.join('root/tmp'));
    const stopBuffer = new SharedArrayBuffer(4);
    const stop = new Int32Array(stopBuffer);
    const flipper = new Worker(
      `
      const { symlinkSync, renameSync, writeFileSync } = require('node:fs');
      const { workerData } = require('node:worker_threads');
      const stop = new Int32Array(workerData.stop);
      let i = 0;
      while (Atomics.load(stop, 0) === 0) {
        const link = workerData.tmp + '/l' + i, file = workerData.tmp + '/f' + i;
        symlinkSync(workerData.secret, link);
        renameSync(link, workerData.target);
        writeFileSync(file, 'inside\\n');
        renameSync(file, workerData.target);
        i++;
      }
      `,
      {
        eval: true,
        workerData: {
          stop: stopBuffer,
          tmp: dir.join('root/tmp'),
          target: dir.join('root/flip'),
          secret: dir.join('outside/secret.txt'),
        },
      },
    );
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.join('root')] } });
    let leaked = 0;
    let read = 0;
    let refused = 0;
    for (let i = 0; i < 600; i++) {
      const result = await conn.callTool('read_text_file', { path: 'flip' });
      const text = resultText(result);
      if (text.includes(SECRET)) leaked++;
      if (result.isError) refused++;
      else read++;
    }
    Atomics.store(stop, 0, 1);
    await flipper.terminate();
    expect(leaked).toBe(0);
    expect(read + refused).toBe(600);
    expect(read).toBeGreaterThan(0);
  });
});
