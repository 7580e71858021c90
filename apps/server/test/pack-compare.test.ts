import type { ListedSurface } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { bumpOf, compareSurfaces } from '../src/pack/compare.js';

const tool = (name: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: 'object', ...input },
  ...extra,
});
const surface = (parts: Partial<ListedSurface>): ListedSurface => ({
  tools: [],
  prompts: [],
  resources: [],
  resourceTemplates: [],
  ...parts,
});
const city = { type: 'string', description: 'A city' };

describe('compareSurfaces', () => {
  it('calls no change no change', () => {
    const same = surface({ tools: [tool('a', { properties: { city }, required: ['city'] })] });
    expect(compareSurfaces(same, same)).toEqual([]);
    expect(bumpOf([])).toBeUndefined();
  });

  it('names what breaks callers as major, new capabilities as minor, wording as patch', () => {
    const before = surface({
      tools: [
        tool('keep', { properties: { city, days: { type: 'integer', maximum: 10 }, units: { type: 'string' } } }),
        tool('gone', { properties: {} }),
      ],
      prompts: [{ name: 'p', arguments: [{ name: 'topic', required: true }] }],
      resources: [{ uri: 'x://a', name: 'a' }],
    });
    const after = surface({
      tools: [
        tool(
          'keep',
          {
            properties: {
              city: { ...city, description: 'The city' },
              days: { type: 'integer', maximum: 5 },
              lang: { type: 'string' },
            },
          },
          { outputSchema: { type: 'object', properties: {} } },
        ),
        tool('added', { properties: {} }),
      ],
      prompts: [
        {
          name: 'p',
          arguments: [
            { name: 'topic', required: true },
            { name: 'tone', required: true },
          ],
        },
      ],
      resources: [{ uri: 'x://a', name: 'a', description: 'now described' }],
    });
    const messages = compareSurfaces(before, after).map((change) => `${change.bump} ${change.message}`);
    expect(messages).toEqual([
      'major tool "keep": parameter "units" was removed',
      'major tool "keep": parameter "days" accepts different values (major unless it only accepts more)',
      'major tool "gone" was removed (or renamed)',
      'major prompt "p": new required argument "tone"',
      'minor tool "keep": new optional parameter "lang"',
      'minor tool "keep": now lists an output schema',
      'minor new tool "added"',
      'patch resource "x://a": description changed',
    ]);
    expect(bumpOf(compareSurfaces(before, after))).toBe('major');
  });

  it('takes a reworded parameter description for a patch, not a schema change', () => {
    const before = surface({ tools: [tool('a', { properties: { city } })] });
    const after = surface({ tools: [tool('a', { properties: { city: { ...city, description: 'Which city' } } })] });
    expect(compareSurfaces(before, after)).toEqual([{ bump: 'patch', message: 'tool "a": wording changed' }]);
  });
});
