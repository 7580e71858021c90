/**
 * Holding a directory by its path: the fallback where there is no `/proc` to hold it by descriptor (macOS, Windows,
 * a Linux without procfs). See `dirfd.ts` for what it can and cannot catch.
 */
import { lstat, mkdir, open, readdir, realpath, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from './errors.js';
import { changed, checkName, type HeldDir, missing, O_NOFOLLOW } from './held-dir.js';

/**
 * A directory held by its path: the fallback where there is no `/proc` (exported so tests run it everywhere).
 * Verified by device, inode and real path when held, and re-verified before and after each listing and change.
 * Between a check and the call that follows it a swap is not caught, and a swap there and back (A-B-A) is never seen.
 */
export async function holdDirByPath(real: string, display: string): Promise<HeldDir> {
  const first = await lstat(real);
  if (!first.isDirectory() || (await realpath(real)) !== real) throw changed(display);
  const check = async () => {
    const now = await lstat(real).catch(() => undefined);
    if (!now?.isDirectory() || now.dev !== first.dev || now.ino !== first.ino) throw changed(display);
  };
  const checked = async <T>(work: Promise<T>): Promise<T> => {
    const result = await work;
    await check();
    return result;
  };
  const at = (name: string) => path.join(real, checkName(name));
  const dir: HeldDir = {
    real,
    display,
    at,
    list: () => checked(readdir(real, { withFileTypes: true })),
    lstat: async (name) => {
      await check();
      return checked(lstat(at(name)).catch(missing));
    },
    lstatMany: async (names) => {
      await check();
      return checked(Promise.all(names.map((name) => lstat(at(name)).catch(missing))));
    },
    open: async (name, flags, mode) => {
      await check();
      const handle = await open(at(name), flags | O_NOFOLLOW, mode);
      try {
        await check();
        return handle;
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
    },
    follow: async (name, allows) => {
      try {
        const target = await realpath(at(name));
        return { real: target, inside: allows(target), stats: await stat(target) };
      } catch {
        return undefined;
      }
    },
    child: async (name, childDisplay = `${display}/${name}`) => {
      await check();
      return holdDirByPath(at(name), childDisplay).catch((error: unknown) => {
        throw errnoCode(error) === 'ENOENT' ? error : changed(childDisplay);
      });
    },
    mkdir: async (name) => checked(mkdir(at(name))),
    unlink: async (name) => checked(unlink(at(name))),
    rmdir: async (name) => checked(rmdir(at(name))),
    check,
    lease: () => ({ release: () => {} }),
    close: () => {},
    [Symbol.asyncDispose]: async () => {},
  };
  return dir;
}
