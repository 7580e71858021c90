import { checkPack } from '@mcp-packs/core';
import { surfaceSnapshot } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { mathPack as pack } from './index.js';

// What a client sees of this pack with every tool enabled, committed: a change to any name, description or schema
// shows up in review and needs a changeset of the right size (a renamed or removed tool or a changed input schema is
// a breaking change).
describe('tools/list surface', () => {
  it('matches the committed snapshot', async () => {
    await expect(await surfaceSnapshot(pack, { config: {} })).toMatchFileSnapshot('./__snapshots__/surface.json');
  });

  it('has no errors from the pack linter', () => {
    expect(checkPack(pack).filter((finding) => finding.level === 'error')).toEqual([]);
  });
});
