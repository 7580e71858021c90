import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProcessStat, programName, readUserNames, topProcesses } from './processes.js';

describe('parseProcessStat', () => {
  it('reads a name with spaces and parentheses', () => {
    const line =
      '4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7 0 12345 1000000 2560 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcessStat(line)).toEqual({
      pid: 4242,
      ppid: 1,
      comm: 'my (odd) name',
      state: 'S',
      cpuTicks: 300,
      rssPages: 2560,
      threads: 7,
      startTicks: 12345,
    });
    expect(parseProcessStat('garbage')).toBeUndefined();
  });
});

describe('programName', () => {
  it('takes the program from the command line, or the kernel name in brackets', () => {
    expect(programName(['/usr/bin/python3', 'app.py'], 'python3')).toBe('python3');
    expect(programName(['sshd: alice [priv]'], 'sshd')).toBe('sshd');
    expect(programName(['postgres: checkpointer'], 'postgres')).toBe('postgres');
    expect(programName(['node', 'server.js'], 'MainThread')).toBe('node');
    expect(programName([], 'kworker/0:1')).toBe('[kworker/0:1]');
  });
});

describe('topProcesses on this machine', () => {
  let dir: string;
  let idle: ChildProcess;
  let busy: ChildProcess;
  const tag = `siprobe${process.pid}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'sysinfo-proc-'));
    // A link gives the child a program name of our choosing; its arguments carry a fake secret.
    await symlink(process.execPath, join(dir, tag));
    await symlink(process.execPath, join(dir, `${tag}busy`));
    idle = spawn(join(dir, tag), ['-e', 'setTimeout(() => {}, 60000)', '--', '--password=hunter2'], {
      stdio: 'ignore',
    });
    busy = spawn(join(dir, `${tag}busy`), ['-e', 'const end = Date.now() + 60000; while (Date.now() < end) {}'], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  afterAll(async () => {
    idle.kill();
    busy.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a process by name, with its owner, memory, start time and command line', async () => {
    const { total, processes } = await topProcesses({ sortBy: 'memory', limit: 5, windowMs: 0, nameContains: tag });
    const child = processes.find((entry) => entry.pid === idle.pid);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(child).toMatchObject({ name: tag, ppid: process.pid, uid: process.getuid?.() });
    expect(child?.argv).toContain('--password=hunter2');
    expect(child?.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(child?.memoryPercent).toBeGreaterThan(0);
    expect(child?.threads).toBeGreaterThanOrEqual(1);
    expect(Math.abs(Date.parse(child?.startedAt ?? '') - Date.now())).toBeLessThan(60_000);
    for (const entry of processes) expect(entry.name).toContain(tag);
  });

  it('measures CPU over a window: a busy loop gets the share the kernel counted for it', async () => {
    // The truth to compare with: the busy process's own CPU time (utime + stime, in clock ticks of 10 ms) around
    // the call. On a loaded machine the loop may get far less than a whole CPU; the measure must follow it.
    const ticks = () => {
      const fields = readFileSync(`/proc/${busy.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return Number(fields[11]) + Number(fields[12]);
    };
    const before = ticks();
    const started = performance.now();
    const { processes } = await topProcesses({ sortBy: 'cpu', limit: 50, windowMs: 400, nameContains: tag });
    const truth = ((ticks() - before) * 10 * 100) / (performance.now() - started);
    const hot = processes.find((entry) => entry.pid === busy.pid);
    const cold = processes.find((entry) => entry.pid === idle.pid);
    expect(hot?.cpuPercent).toBeGreaterThan(0);
    expect(hot?.cpuPercent).toBeLessThanOrEqual(110);
    // The call's window is inside the bracket, and ticks are 10 ms: allow 20 points (and 30% of the truth) of slack.
    expect(Math.abs((hot?.cpuPercent ?? 0) - truth)).toBeLessThanOrEqual(20 + truth * 0.3);
    expect(cold?.cpuPercent).toBeLessThan(hot?.cpuPercent ?? 0);
    expect(processes[0]?.pid).toBe(busy.pid);
  });

  it('sorts by memory and honours the limit', async () => {
    const { processes, total } = await topProcesses({ sortBy: 'memory', limit: 3, windowMs: 0 });
    expect(processes).toHaveLength(3);
    expect(total).toBeGreaterThan(3);
    const sizes = processes.map((entry) => entry.memoryBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('stops sampling when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = topProcesses({ sortBy: 'cpu', limit: 5, windowMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('readUserNames', () => {
  it('maps uid 0 to root on this machine', async () => {
    expect((await readUserNames()).get(0)).toBe('root');
  });
});
