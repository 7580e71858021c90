import { isConfigError } from '@mcp-packs/core';
import { connectPack, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { filesystemConfigSchema, writeModeOf } from './config.js';
import { tempDir } from './fixtures/temp.js';
import { filesystemPack, WRITE_TOOLS } from './pack.js';

const parse = (config: Record<string, unknown>) => filesystemConfigSchema.safeParse({ roots: ['/r'], ...config });

describe('writes and its deprecated alias allowWrite', () => {
  it('defaults to off, and a parsed config always carries the mode in force', () => {
    expect(parse({}).data?.writes).toBe('off');
    for (const writes of ['off', 'on', 'ask'] as const) expect(parse({ writes }).data?.writes).toBe(writes);
    expect(writeModeOf({})).toBe('off');
  });

  it('reads allowWrite as the old name: true is "on", false is "off"', () => {
    expect(parse({ allowWrite: true }).data?.writes).toBe('on');
    expect(parse({ allowWrite: false }).data?.writes).toBe('off');
    // Given together they must agree; then the key stays, so a host listing the keys it read finds it read.
    expect(parse({ allowWrite: true, writes: 'on' }).data).toMatchObject({ allowWrite: true, writes: 'on' });
    expect(parse({ allowWrite: false, writes: 'off' }).data).toMatchObject({ allowWrite: false, writes: 'off' });
  });

  it('refuses a contradiction, naming allowWrite and what to do', () => {
    for (const [allowWrite, writes] of [
      [true, 'ask'],
      [true, 'off'],
      [false, 'on'],
      [false, 'ask'],
    ] as const) {
      const issues = parse({ allowWrite, writes }).error?.issues;
      expect(issues, `${allowWrite} / ${writes}`).toHaveLength(1);
      expect(issues?.[0]?.path).toEqual(['allowWrite']);
      expect(issues?.[0]?.message).toContain(`allowWrite: ${allowWrite} contradicts writes: "${writes}"`);
      expect(issues?.[0]?.message).toContain('remove allowWrite');
    }
  });

  it('allowDelete needs writes "on" or "ask", however writes were turned on', () => {
    expect(parse({ allowDelete: true }).error?.issues).toMatchObject([
      { path: ['allowDelete'], message: expect.stringContaining('writes: "on" or "ask"') },
    ]);
    expect(parse({ allowDelete: true, writes: 'off' }).success).toBe(false);
    expect(parse({ allowDelete: true, writes: 'on' }).success).toBe(true);
    expect(parse({ allowDelete: true, writes: 'ask' }).success).toBe(true);
    expect(parse({ allowDelete: true, allowWrite: true }).success).toBe(true);
  });

  it('describes every field (the README table and editor completion come from it)', () => {
    for (const [key, field] of Object.entries(filesystemConfigSchema.shape)) {
      expect(field.description, key).toMatch(/\S{3}/);
    }
    expect(filesystemConfigSchema.shape.allowWrite.meta()).toMatchObject({ deprecated: true });
  });

  it('a mount fails with the key path of a contradiction, and lists the write tools per mode', async () => {
    await using dir = await tempDir();
    const attempt = connectPack(filesystemPack, { config: { roots: [dir.path], allowWrite: true, writes: 'ask' } });
    await expect(attempt).rejects.toSatisfy(isConfigError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ path: 'packs[fs].config.allowWrite' }] });

    const listed = async (config: Record<string, unknown>) => {
      await using conn = await connectPack(filesystemPack, { config: { roots: [dir.path], ...config } });
      const names = (await conn.client.listTools()).tools.map((tool) => tool.name.replace(/^fs_/, ''));
      const allowed = structured<{ writes: string; allowWrite: boolean; allowDelete: boolean }>(
        await conn.callTool('list_allowed_directories'),
      );
      return { writes: WRITE_TOOLS.filter((key) => names.includes(key)), allowed };
    };
    expect(await listed({})).toEqual({
      writes: [],
      allowed: expect.objectContaining({ writes: 'off', allowWrite: false, allowDelete: false }),
    });
    const legacy = await listed({ allowWrite: true, allowDelete: true });
    expect(legacy.writes).toEqual([...WRITE_TOOLS]);
    expect(legacy.allowed).toMatchObject({ writes: 'on', allowWrite: true, allowDelete: true });
    const ask = await listed({ writes: 'ask' });
    expect(ask.writes).toEqual(WRITE_TOOLS.filter((key) => key !== 'delete'));
    expect(ask.allowed).toMatchObject({ writes: 'ask', allowWrite: true, allowDelete: false });
  });
});
