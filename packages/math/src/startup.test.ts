import { createRequire } from 'node:module';
import { createPackInstance } from '@mcp-packs/core/host';
import { expect, it } from 'vitest';
import { mathPack } from './index.js';

// mathjs belongs in the evaluation workers only: importing the pack and running its setup must not load it in the
// server process (it costs ~100 ms and ~10 MB there, for every server that mounts math, whether or not it calls it).
it('loads no mathjs in the server process at import or setup', async () => {
  const instance = await createPackInstance(mathPack, { logSink: () => {} });
  try {
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('mathjs'));
    expect(loaded).toEqual([]);
  } finally {
    await instance.close();
  }
});
