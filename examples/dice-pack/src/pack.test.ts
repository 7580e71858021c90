import { checkPack } from '@mcp-packs/core';
import { connectPack, errorCode, resultText, structured, surfaceSnapshot } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { dicePack } from './pack.js';

describe('dice pack, tested the way a third party would', () => {
  it('passes the pack linter', () => {
    expect(checkPack(dicePack)).toEqual([]);
  });

  it('rolls reproducibly with a seed', async () => {
    await using first = await connectPack(dicePack, { config: { seed: 42 } });
    await using second = await connectPack(dicePack, { config: { seed: 42 } });
    const a = structured<{ rolls: number[]; total: number }>(await first.callTool('roll', { notation: '3d6+2' }));
    const b = structured<{ rolls: number[]; total: number }>(await second.callTool('roll', { notation: '3d6+2' }));
    expect(a).toEqual(b);
    expect(a.rolls).toHaveLength(3);
    expect(a.rolls.every((value) => value >= 1 && value <= 6)).toBe(true);
    expect(a.total).toBe(a.rolls.reduce((sum, value) => sum + value, 0) + 2);
  });

  it('explains bad notation and limits', async () => {
    await using conn = await connectPack(dicePack, { config: { maxDice: 5 } });
    const bad = await conn.callTool('roll', { notation: 'three dice' });
    expect(errorCode(bad)).toBe('invalid_notation');
    expect(resultText(bad)).toContain('Hint: Write NdS±M');
    expect(errorCode(await conn.callTool('roll', { notation: '6d6' }))).toBe('too_many_dice');
  });
});

describe('surface snapshot', () => {
  it('matches the committed tools/list (a change needs review and a changeset)', async () => {
    await expect(await surfaceSnapshot(dicePack)).toMatchFileSnapshot('./__snapshots__/surface.json');
  });
});
