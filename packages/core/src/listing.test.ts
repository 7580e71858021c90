import { expect, it } from 'vitest';
import { z } from 'zod';
import { definePack } from './pack.js';
import { connectPack, structured } from './testing/index.js';

const pack = definePack({
  name: 'lean',
  description: 'A pack to list.',
  tools: ({ defineTool }) => ({
    count: defineTool({
      title: 'Count',
      description: 'Count to n.',
      inputSchema: z.object({ n: z.number().int().describe('How far'), step: z.number().int().min(1).max(5) }),
      outputSchema: z.object({ values: z.array(z.number().int()) }),
      annotations: {
        title: 'Count',
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      execute: ({ n, step }) => ({ values: Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step) }),
    }),
    bump: defineTool({
      description: 'Bump.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      execute: () => 'bumped',
    }),
  }),
});

it('lists lean definitions: no safe-integer bounds, no meaningless or repeated annotations', async () => {
  await using conn = await connectPack(pack);
  const { tools } = await conn.client.listTools();
  const count = tools.find((tool) => tool.name === 'lean_count');
  expect(count?.inputSchema.properties).toEqual({
    n: { type: 'integer', description: 'How far' },
    step: { type: 'integer', minimum: 1, maximum: 5 },
  });
  // Read-only: destructive and idempotent hints mean nothing; the title is the tool's own.
  expect(count?.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
  expect(count?.title).toBe('Count');
  expect(count?.outputSchema).toBeDefined();
  // A writing tool keeps every hint that differs from the spec's default; a default (readOnlyHint false,
  // idempotentHint false) reads the same from its absence.
  expect(tools.find((tool) => tool.name === 'lean_bump')?.annotations).toEqual({
    destructiveHint: false,
    openWorldHint: false,
  });
});

it('lists no schema detail that only restates what a model assumes, and still validates it', async () => {
  const strict = definePack({
    name: 'strict',
    description: 'A pack whose schema says more than its listing.',
    tools: ({ defineTool }) => ({
      tag: defineTool({
        description: 'Tag things.',
        inputSchema: z.object({
          names: z.array(z.string().min(1)).min(1),
          force: z.boolean().default(false),
          extra: z.array(z.string()).default([]),
          loud: z.boolean().default(true),
        }),
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
        execute: ({ names, force, extra, loud }) => ({ names, force, extra, loud }),
      }),
    }),
  });
  await using conn = await connectPack(strict);
  const [tool] = (await conn.client.listTools()).tools;
  expect(tool?.inputSchema.properties).toEqual({
    names: { type: 'array', items: { type: 'string' } },
    force: { type: 'boolean' },
    extra: { type: 'array', items: { type: 'string' } },
    loud: { type: 'boolean', default: true },
  });
  expect(tool?.annotations).toEqual({ idempotentHint: true });
  expect((await conn.callTool('tag', { names: [] })).isError).toBe(true);
  expect((await conn.callTool('tag', { names: [''] })).isError).toBe(true);
  expect(structured(await conn.callTool('tag', { names: ['a'] }))).toEqual({
    names: ['a'],
    force: false,
    extra: [],
    loud: true,
  });
});

it('leaves output schemas out with listing.outputSchemas false, and still returns and checks structured results', async () => {
  await using conn = await connectPack(pack, { listing: { outputSchemas: false } });
  const { tools } = await conn.client.listTools();
  expect(tools.map((tool) => tool.outputSchema)).toEqual([undefined, undefined]);
  const result = await conn.callTool('count', { n: 6, step: 2 });
  expect(result.isError).toBeFalsy();
  expect(structured(result)).toEqual({ values: [0, 2, 4] });
});
