import { describe, expect, it } from 'vitest';
import { engine } from './fixtures/engine.js';

describe('catalog', () => {
  it('lists reachable functions and constants, never disabled ones', () => {
    const catalog = engine.catalog({});
    const names = catalog.functions.map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['sqrt', 'lusolve', 'mean', 'det']));
    for (const disabled of [
      'evaluate',
      'import',
      'parse',
      'simplify',
      'derivative',
      'createUnit',
      'compile',
      'config',
    ]) {
      expect(names).not.toContain(disabled);
    }
    expect(catalog.constants.map((entry) => entry.name)).toEqual(expect.arrayContaining(['pi', 'e', 'speedOfLight']));
    for (const entry of catalog.functions) expect(entry.examples.join(' ')).not.toMatch(/\bevaluate\(/);
  });
});
