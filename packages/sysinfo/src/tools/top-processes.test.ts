import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { definePack } from '@mcp-packs/core';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sysinfoConfigSchema } from '../config.js';
import { REDACTED, sysinfoPack } from '../index.js';
import { createSysinfoServices } from '../services.js';
import { topProcessesTool } from './top-processes.js';

interface Top {
  sortBy: string;
  windowMs: number;
  cpuBasis: string;
  total: number;
  processes: { pid: number; name: string; user: string | null; commandLine: string; memoryBytes: number }[];
}

const tag = `sitop${process.pid}`;
let dir: string;
let child: ChildProcess;

beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'sysinfo-top-'));
  await symlink(process.execPath, join(dir, tag));
  child = spawn(
    join(dir, tag),
    ['-e', 'setTimeout(() => {}, 60000)', '--', `${os.homedir()}/secret-project`, '--token', 'abc123'],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
});

afterAll(async () => {
  child.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('sys_top_processes', () => {
  it('refuses when reused in a pack that does not gate it by config', async () => {
    const reused = definePack({
      name: 'mysys',
      description: 'The process tool in a pack of my own.',
      configSchema: sysinfoConfigSchema,
      setup: ({ config }) => createSysinfoServices(config),
      tools: { top_processes: topProcessesTool },
    });
    await using conn = await connectPack(reused);
    const result = await conn.callTool('top_processes');
    expect(errorCode(result)).toBe('disabled');
    expect(resultText(result)).toContain('topProcesses');
  });

  it("lists the busiest processes, hiding command lines and people's account names by default", async () => {
    await using conn = await connectPack(sysinfoPack, { config: { topProcesses: true } });
    const out = structured<Top>(await conn.callTool('top_processes', { sortBy: 'memory', limit: 5 }));
    expect(out).toMatchObject({ sortBy: 'memory', windowMs: 0, cpuBasis: 'lifetime' });
    expect(out.processes).toHaveLength(5);
    const mine = structured<Top>(await conn.callTool('top_processes', { nameContains: tag, windowMs: 0 }));
    const found = mine.processes.find((entry) => entry.pid === child.pid);
    expect(found).toMatchObject({ name: tag, commandLine: REDACTED });
    // The probe runs as the server's own user, which is never named unless configured.
    expect(found?.user).toBe(REDACTED);
    expect(JSON.stringify(mine)).not.toContain('abc123');
  });

  it('shows command lines and owners when configured, with secrets and the home directory still masked', async () => {
    await using conn = await connectPack(sysinfoPack, {
      config: { topProcesses: true, expose: { commandLines: true, username: true } },
    });
    const out = structured<Top>(await conn.callTool('top_processes', { nameContains: tag, windowMs: 0 }));
    const found = out.processes.find((entry) => entry.pid === child.pid);
    expect(found?.commandLine).toContain('~/secret-project');
    expect(found?.commandLine).toContain(`--token ${REDACTED}`);
    expect(found?.commandLine).not.toContain('abc123');
    expect(found?.user).toBe(os.userInfo().username);
  });

  it('samples CPU over a window when sorting by CPU, bounded by the config', async () => {
    await using conn = await connectPack(sysinfoPack, { config: { topProcesses: true, maxSampleMs: 1000 } });
    const out = structured<Top>(await conn.callTool('top_processes', { limit: 3, windowMs: 150 }));
    expect(out).toMatchObject({ sortBy: 'cpu', windowMs: 150, cpuBasis: 'window' });
    expect(errorCode(await conn.callTool('top_processes', { windowMs: 5000 }))).toBe('window_too_long');
  });
});
