import { definePack, ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { createRandom, parseDice, roll } from './dice.js';

/** The pack's config: limits and an optional seed. */
export const diceConfigSchema = z.object({
  maxDice: z.number().int().min(1).max(1000).default(100).describe('Most dice one roll may throw'),
  seed: z.number().int().optional().describe('Seed for reproducible rolls; omit for a random seed'),
});

/** A third-party pack: rolls dice written in standard notation. */
export const dicePack = definePack({
  name: 'dice',
  version: '0.0.0',
  description: 'Roll dice in standard notation (3d6+2) for games and random choices.',
  configSchema: diceConfigSchema,
  setup: ({ config }) => ({
    maxDice: config.maxDice,
    random: createRandom(config.seed ?? Math.floor(Math.random() * 2 ** 32)),
  }),
  tools: ({ defineTool }) => ({
    roll: defineTool({
      description:
        'Roll dice written in standard notation and return each die and the total. Examples: "d20", "3d6+2", "2d10-1". Use for games or fair random picks.',
      inputSchema: z.object({
        notation: z.string().max(50).describe('Dice notation NdS±M, e.g. "3d6+2"'),
      }),
      outputSchema: z.object({ rolls: z.array(z.number()), total: z.number() }),
      annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: false },
      execute: ({ notation }, { services }) => {
        const spec = parseDice(notation);
        if (!spec || spec.sides < 2) {
          throw new ToolError(`"${notation}" is not dice notation.`, {
            code: 'invalid_notation',
            hint: 'Write NdS±M, for example "d20" or "3d6+2".',
          });
        }
        if (spec.count > services.maxDice) {
          throw new ToolError(`${spec.count} dice is more than the ${services.maxDice} allowed.`, {
            code: 'too_many_dice',
            hint: `Roll at most ${services.maxDice} dice at once.`,
          });
        }
        return roll(spec, services.random);
      },
      toText: ({ rolls, total }) => `${total} (${rolls.join(', ')})`,
    }),
  }),
});
