import { spawn } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChild } from './fixtures/child.js';
import { tempDir } from './fixtures/temp-dir.js';
import { FileLock, LockTimeoutError, Mutex } from './lock.js';
import { thisProcess } from './owner.js';

/** A lock (or steal) record naming a process of this machine: `pid`, and `start` if given. */
function record(pid: number, start?: string): string {
  const { scope } = thisProcess();
  return JSON.stringify({
    pid,
    host: os.hostname(),
    token: `t${pid}`,
    acquiredAt: '',
    scope,
    ...(start ? { start } : {}),
  });
}

/** The pid of a process that has exited (so it is certainly not alive). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid as number;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}

describe('FileLock', () => {
  it('excludes a second holder until released', async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, 'x.lock');
    const a = new FileLock(file, { staleMs: 30_000, timeoutMs: 5_000 });
    const b = new FileLock(file, { staleMs: 30_000, timeoutMs: 5_000 });
    const release = await a.acquire();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    let bHeld = false;
    const waiting = b.acquire().then((releaseB) => {
      bHeld = true;
      return releaseB;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bHeld).toBe(false);
    await release();
    const releaseB = await waiting;
    expect(bHeld).toBe(true);
    await releaseB();
  });

  it('recovers at once from a lock left by a dead process on this host', async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, 'x.lock');
    const pid = await deadPid();
    await writeFile(file, JSON.stringify({ pid, host: os.hostname(), token: 'dead', acquiredAt: '' }));
    const started = Date.now();
    const release = await new FileLock(file, { staleMs: 60_000, timeoutMs: 2_000 }).acquire();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('recovers from an unreadable or foreign-host lock only once it is stale', async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, 'x.lock');
    await writeFile(file, JSON.stringify({ pid: 1, host: 'another-host', token: 't', acquiredAt: '' }));
    const lock = new FileLock(file, { staleMs: 5_000, timeoutMs: 200 });
    await expect(lock.acquire()).rejects.toBeInstanceOf(LockTimeoutError);
    const old = new Date(Date.now() - 10_000);
    await utimes(file, old, old);
    const release = await lock.acquire();
    await release();
    await writeFile(file, 'garbage');
    await utimes(file, old, old);
    await (await lock.acquire())();
  });

  it('lets only one of many contenders break the same stale lock', async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, 'x.lock');
    await writeFile(file, JSON.stringify({ pid: await deadPid(), host: os.hostname(), token: 'dead', acquiredAt: '' }));
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await new FileLock(file, { staleMs: 60_000, timeoutMs: 10_000 }).acquire();
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
        await release();
      }),
    );
    expect(maxInside).toBe(1);
  });
});

describe('FileLock after a crash', () => {
  it('takes over at once a lock and a steal file both left by dead processes', async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, 'x.lock');
    await writeFile(file, record(await deadPid()));
    await writeFile(`${file}.steal`, record(await deadPid()));
    // Far inside the 10 s after which a steal file of a process that cannot be checked is broken.
    const release = await new FileLock(file, { staleMs: 60_000, timeoutMs: 2_000 }).acquire();
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    await release();
    expect(await readdir(dir.path)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('takes over a lock of an earlier process that had this pid', async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, 'x.lock');
    await writeFile(file, record(process.pid, `${thisProcess().start}0`));
    const release = await new FileLock(file, { staleMs: 60_000, timeoutMs: 2_000 }).acquire();
    await release();
  });

  it('clears a dead holder’s lock and steal file, never a live holder’s', async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, 'x.lock');
    const options = { staleMs: 60_000, timeoutMs: 2_000 };
    await writeFile(file, record(await deadPid()));
    await writeFile(`${file}.steal`, record(await deadPid()));
    await new FileLock(file, options).clearStale();
    expect(await readdir(dir.path)).toEqual([]);

    // Held by another live process.
    const live = startChild('live-owner.ts', []);
    try {
      const [, pid, start] = (await live.line()).split('-') as [string, string, string];
      const held = record(Number(pid), start === 'x' ? undefined : start);
      await writeFile(file, held);
      await new FileLock(file, options).clearStale();
      expect(await readFile(file, 'utf8')).toBe(held);
    } finally {
      await live.kill();
    }

    // Held by this process, through another lock object (a second store on the folder).
    const holder = new FileLock(file, options);
    await new FileLock(file, options).clearStale();
    const release = await holder.acquire();
    await new FileLock(file, options).clearStale();
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    await release();
    expect(await readdir(dir.path)).toEqual([]);
  });
});

describe('Mutex', () => {
  it('runs callers one at a time, in order, even when one fails', async () => {
    const mutex = new Mutex();
    const order: number[] = [];
    const results = await Promise.allSettled(
      [3, 1, 2].map((ms, i) =>
        mutex.run(async () => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          order.push(i);
          if (i === 1) throw new Error('boom');
          return i;
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
