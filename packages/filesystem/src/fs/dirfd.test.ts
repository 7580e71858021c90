import { constants } from 'node:fs';
import { chmod, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import {
  closeFd,
  fstatFd,
  HAS_PROC_FD,
  holdDir,
  holdDirByPath,
  kernelPath,
  lstatExact,
  nameFd,
  O_NOFOLLOW,
  READ_FLAGS,
} from './dirfd.js';

const kinds = [
  ['descriptor (holdDir)', holdDir],
  ['path fallback (holdDirByPath)', holdDirByPath],
] as const;

describe.each(kinds)('a held directory, %s', (_name, hold) => {
  it('lists, stats, opens, makes and removes by name inside it', async () => {
    await using dir = await tempDir();
    await dir.write({ 'd/a.txt': 'a', 'd/sub/b.txt': 'b' });
    await using held = await hold(dir.join('d'), 'd');
    expect((await held.list()).map((e) => e.name).sort()).toEqual(['a.txt', 'sub']);
    expect((await held.lstat('a.txt'))?.size).toBe(1);
    expect(await held.lstat('missing')).toBeUndefined();
    const handle = await held.open('a.txt', READ_FLAGS);
    expect(await handle.readFile('utf8')).toBe('a');
    await handle.close();
    await using sub = await held.child('sub');
    expect(sub.real).toBe(dir.join('d/sub'));
    expect((await sub.list()).map((e) => e.name)).toEqual(['b.txt']);
    await held.mkdir('made');
    await held.rmdir('made');
    await held.unlink('a.txt');
    expect(await held.lstat('a.txt')).toBeUndefined();
    expect(() => held.at('../x')).toThrow();
  });

  it('refuses a link where a directory was, never opens through a final link, and tells where a link leads', async () => {
    await using dir = await tempDir();
    await dir.write({ 'd/file.txt': 'in', 'out/secret.txt': 'out' });
    await symlink(dir.join('out'), dir.join('d/link-dir'));
    await symlink(dir.join('out/secret.txt'), dir.join('d/link-file'));
    await symlink(dir.join('d/file.txt'), dir.join('d/link-in'));
    await expect(hold(dir.join('d/link-dir'), 'd/link-dir')).rejects.toMatchObject({ code: 'access_denied' });
    await using held = await hold(dir.join('d'), 'd');
    await expect(held.child('link-dir')).rejects.toMatchObject({ code: 'access_denied' });
    await expect(held.open('link-file', READ_FLAGS)).rejects.toMatchObject({ code: 'ELOOP' });
    const inside = (real: string) => real.startsWith(dir.join('d'));
    expect(await held.follow('link-file', inside)).toMatchObject({ inside: false });
    expect(await held.follow('link-in', inside)).toMatchObject({ inside: true, real: dir.join('d/file.txt') });
  });
});

describe('what only a descriptor can do', () => {
  it.runIf(HAS_PROC_FD)('a held directory swapped for a link after it was held is still the one held', async () => {
    await using dir = await tempDir();
    await dir.write({ 'root/d/in.txt': 'in', 'out/in.txt': 'OUT' });
    await using held = await holdDir(dir.join('root/d'), 'd');
    await rename(dir.join('root/d'), dir.join('root/d-aside'));
    await symlink(dir.join('out'), dir.join('root/d'));
    expect((await held.list()).map((e) => e.name)).toEqual(['in.txt']);
    await writeFile(held.at('new.txt'), 'x');
    expect(await readFile(dir.join('root/d-aside/new.txt'), 'utf8')).toBe('x');
    const handle = await held.open('in.txt', READ_FLAGS);
    expect(await handle.readFile('utf8')).toBe('in');
    await handle.close();
  });

  it('the path fallback notices a swap at its next step', async () => {
    await using dir = await tempDir();
    await dir.write({ 'root/d/in.txt': 'in', 'out/in.txt': 'OUT' });
    await using held = await holdDirByPath(dir.join('root/d'), 'd');
    await rename(dir.join('root/d'), dir.join('root/d-aside'));
    await mkdir(dir.join('root/d'));
    await expect(held.list()).rejects.toMatchObject({ code: 'access_denied' });
    await expect(held.open('in.txt', READ_FLAGS)).rejects.toMatchObject({ code: 'access_denied' });
  });

  it.runIf(HAS_PROC_FD)(
    'O_PATH names a file without read permission, and a link itself; fstat works on both',
    async () => {
      await using dir = await tempDir();
      await dir.write({ 'locked.txt': 'secret' });
      await chmod(dir.join('locked.txt'), 0o000);
      await symlink(dir.join('locked.txt'), dir.join('link'));
      const file = nameFd(dir.join('locked.txt'), O_NOFOLLOW);
      const link = nameFd(dir.join('link'), O_NOFOLLOW);
      try {
        expect(kernelPath(file)).toBe(dir.join('locked.txt'));
        expect((await fstatFd(file)).mode & 0o777).toBe(0);
        expect(kernelPath(link)).toBe(dir.join('link'));
        expect((await fstatFd(link)).isSymbolicLink()).toBe(true);
      } finally {
        closeFd(file);
        closeFd(link);
      }
      expect((await lstatExact(dir.join('link'), 'link'))?.isSymbolicLink()).toBe(true);
      expect(await lstatExact(dir.join('nope'), 'nope')).toBeUndefined();
      expect(constants.O_NOFOLLOW).toBe(O_NOFOLLOW);
    },
  );

  it.runIf(HAS_PROC_FD)('lstatExact refuses a path that leads elsewhere than itself', async () => {
    await using dir = await tempDir();
    await dir.write({ 'root/d/x': 'in', 'out/x': 'out' });
    await rename(dir.join('root/d'), dir.join('root/d-aside'));
    await symlink(dir.join('out'), dir.join('root/d'));
    await expect(lstatExact(dir.join('root/d/x'), 'd/x')).rejects.toMatchObject({ code: 'access_denied' });
  });
});
