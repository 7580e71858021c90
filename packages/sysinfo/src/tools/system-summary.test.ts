import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { connectPack, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { REDACTED, sysinfoPack } from '../index.js';
import type { SystemSummary } from '../system/summary.js';

describe('sys_system_summary on this machine', () => {
  it('reports plausible OS, CPU, memory, load, uptime and Node facts', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<SystemSummary>(await conn.callTool('system_summary'));
    expect(out.os).toMatchObject({ platform: process.platform, arch: process.arch, release: os.release() });
    expect(out.os.distribution).toEqual(expect.any(String));
    expect(out.cpu.logicalCores).toBe(os.availableParallelism());
    expect(out.cpu.model).toEqual(expect.any(String));
    expect(out.memory.totalBytes).toBe(os.totalmem());
    expect(out.memory.availableBytes).toBeLessThanOrEqual(out.memory.totalBytes);
    expect(out.loadAverage?.oneMinute).toBeGreaterThanOrEqual(0);
    expect(Math.abs(out.uptimeSeconds - os.uptime())).toBeLessThan(5);
    expect(Math.abs(Date.parse(out.bootedAt) - (Date.now() - os.uptime() * 1000))).toBeLessThan(5000);
    expect(out.node).toMatchObject({ version: process.version, pid: process.pid });
    expect(out.budget.cpus).toBeGreaterThan(0);
    expect(out.budget.cpus).toBeLessThanOrEqual(out.cpu.logicalCores);
    expect(out.budget.memoryBytes).toBeLessThanOrEqual(out.memory.totalBytes);
    // Linux always runs in some cgroup; the memory controller charges this very process.
    expect(out.container).not.toBeNull();
    expect([1, 2]).toContain(out.container?.cgroupVersion);
    if (out.container?.memoryLimitBytes != null)
      expect(out.budget.memoryBytes).toBe(Math.min(os.totalmem(), out.container.memoryLimitBytes));
  });
});

describe('privacy of sys_system_summary', () => {
  it('hides host name, user, home directory, serial and machine id by default, and shows no environment', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<SystemSummary>(await conn.callTool('system_summary'));
    expect(out.hostname).toBe(REDACTED);
    expect(out.user).toEqual({ username: REDACTED, homeDirectory: REDACTED });
    expect([null, REDACTED]).toContain(out.hardware.serialNumber);
    expect([null, REDACTED]).toContain(out.hardware.machineId);
    expect(out.environment).toEqual({});
    const text = JSON.stringify(out);
    expect(text).not.toContain(`"${os.hostname()}"`);
    expect(text).not.toContain(os.homedir());
  });

  it('shows each fact when the config turns it on', async () => {
    process.env.SYSINFO_TEST_VISIBLE = 'shown';
    process.env.SYSINFO_TEST_HIDDEN = 'hidden';
    await using conn = await connectPack(sysinfoPack, {
      config: {
        expose: {
          hostname: true,
          username: true,
          homeDirectory: true,
          serialNumbers: true,
          environment: ['SYSINFO_TEST_VISIBLE', 'SYSINFO_TEST_UNSET'],
        },
      },
    });
    const out = structured<SystemSummary>(await conn.callTool('system_summary'));
    expect(out.hostname).toBe(os.hostname());
    expect(out.user).toEqual({ username: os.userInfo().username, homeDirectory: os.homedir() });
    const machineId = await readFile('/etc/machine-id', 'utf8').then(
      (text) => text.trim(),
      () => null,
    );
    expect(out.hardware.machineId).toBe(machineId);
    expect(out.environment).toEqual({ SYSINFO_TEST_VISIBLE: 'shown' });
  });

  it('serves the same summary as a resource', async () => {
    await using conn = await connectPack(sysinfoPack);
    const read = await conn.client.readResource({ uri: 'sysinfo://sys/summary' });
    const content = read.contents[0];
    expect(content?.mimeType).toBe('application/json');
    const fromResource = JSON.parse(String(content && 'text' in content ? content.text : '')) as SystemSummary;
    const fromTool = structured<SystemSummary>(await conn.callTool('system_summary'));
    expect(fromResource.hostname).toBe(REDACTED);
    expect(fromResource.os).toEqual(fromTool.os);
    expect(fromResource.cpu.logicalCores).toBe(fromTool.cpu.logicalCores);
  });
});
