import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPack } from '@mcp-packs/core';
import { surfaceSnapshot } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesystemPack as pack } from './index.js';

// What a client sees of this pack with every tool enabled, committed: a change to any name, description or schema
// shows up in review, and needs a changeset of the right size (a renamed or removed tool, or a changed schema, is
// a breaking change).
describe('tools/list surface', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'surface-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('matches the committed snapshot', async () => {
    await expect(
      await surfaceSnapshot(pack, { config: { roots: [root], writes: 'on', allowDelete: true } }),
    ).toMatchFileSnapshot('./__snapshots__/surface.json');
  });

  it('has no errors from the pack linter', () => {
    expect(checkPack(pack).filter((finding) => finding.level === 'error')).toEqual([]);
  });
});
