import { isConfigError } from '@mcp-packs/core';
import { connectPack } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import sysinfoDefault, { sysinfoPack } from './index.js';

const TOOLS = [
  'convert_time',
  'cpu_usage',
  'current_time',
  'disk_usage',
  'memory_usage',
  'network_interfaces',
  'system_summary',
  'top_processes',
];

describe('sysinfoPack', () => {
  it('is the default export too', () => {
    expect(sysinfoDefault).toBe(sysinfoPack);
  });

  it('mounts every tool under the default prefix "sys", read-only, with output schemas', async () => {
    await using conn = await connectPack(sysinfoPack, { config: { topProcesses: true } });
    const { tools } = await conn.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS.map((key) => `sys_${key}`));
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description?.length).toBeGreaterThan(100);
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toBeTruthy();
      }
    }
  });

  it('serves the summary resource at sysinfo://<prefix>/summary', async () => {
    await using conn = await connectPack(sysinfoPack, { prefix: 'host' });
    const { resources } = await conn.client.listResources();
    expect(resources).toEqual([
      expect.objectContaining({ uri: 'sysinfo://host/summary', mimeType: 'application/json' }),
    ]);
    const { tools } = await conn.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('host_current_time');
  });

  it('survives a readOnly mount whole', async () => {
    await using conn = await connectPack(sysinfoPack, { readOnly: true, config: { topProcesses: true } });
    expect(conn.mounted.tools).toHaveLength(TOOLS.length);
  });

  it('offers top_processes only when the config enables it', async () => {
    await using conn = await connectPack(sysinfoPack);
    expect(conn.mounted.tools).toHaveLength(TOOLS.length - 1);
    expect(conn.mounted.tools).not.toContain('sys_top_processes');
    await expect(connectPack(sysinfoPack, { tools: { include: ['top_processes'] } })).rejects.toThrow(
      'set topProcesses: true',
    );
  });

  it('refuses bad config at mount, naming the key', async () => {
    const attempts = [
      { timeZone: 'Mars/Olympus' },
      { timeZone: 'PST' },
      { expose: { hostName: true } },
      { expose: { environment: ['NOT A NAME'] } },
      { maxSampleMs: 10 },
      { topProcess: true },
    ];
    for (const config of attempts) {
      const error = await connectPack(sysinfoPack, { config: config as never }).catch((e: unknown) => e);
      expect(isConfigError(error), JSON.stringify(config)).toBe(true);
    }
    const error = await connectPack(sysinfoPack, { config: { timeZone: 'Mars/Olympus' } }).catch((e: unknown) => e);
    expect(String(error)).toContain('packs[sys].config.timeZone');
    const ambiguous = await connectPack(sysinfoPack, { config: { timeZone: 'BST' } }).catch((e: unknown) => e);
    expect(String(ambiguous)).toContain('Europe/London');
  });
});
