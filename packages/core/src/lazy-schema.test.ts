import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPackError } from './errors.js';
import { packListing, primeListing } from './json-schema.js';
import { mountPack } from './mount.js';
import { definePack } from './pack.js';
import { connectPack, structured } from './testing/index.js';
import { defineTool } from './tool.js';

/** A pack whose echo tool counts how often each of its schemas is built. */
function countingPack(name = 'lazy') {
  const builds = { input: 0, output: 0 };
  const pack = definePack({
    name,
    description: 'Schemas written as functions.',
    tools: {
      echo: defineTool({
        description: 'Echo the text back.',
        inputSchema: () => {
          builds.input++;
          return z.object({ text: z.string().describe('What to echo') });
        },
        outputSchema: () => {
          builds.output++;
          return z.object({ echoed: z.string() });
        },
        annotations: { readOnlyHint: true },
        execute: ({ text }) => ({ echoed: text }),
      }),
    },
  });
  return { pack, builds };
}

describe('tool schemas written as functions', () => {
  it('are not built when the tool and pack are defined, then built once for listing and every call', async () => {
    const { pack, builds } = countingPack();
    expect(builds).toEqual({ input: 0, output: 0 });
    await using conn = await connectPack(pack);
    const { tools } = await conn.client.listTools();
    expect(tools[0]?.inputSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
    expect(tools[0]?.outputSchema).toMatchObject({ type: 'object', properties: { echoed: { type: 'string' } } });
    expect(structured(await conn.callTool('echo', { text: 'a' }))).toEqual({ echoed: 'a' });
    expect(structured(await conn.callTool('echo', { text: 'b' }))).toEqual({ echoed: 'b' });
    await conn.client.listTools();
    expect(builds).toEqual({ input: 1, output: 1 });
  });

  it('with a listing made ahead of time, are built on the first call, not to mount or list', async () => {
    const listing = packListing(countingPack('primed').pack);
    const { pack, builds } = countingPack('primed');
    expect(primeListing(pack, listing)).toBe(true);
    await using conn = await connectPack(pack);
    const { tools } = await conn.client.listTools();
    expect(tools[0]?.inputSchema).toMatchObject({ properties: { text: { description: 'What to echo' } } });
    expect(builds).toEqual({ input: 0, output: 0 });
    const result = await conn.callTool('echo', { text: 42 });
    expect(result.isError).toBe(true);
    expect(builds.input).toBe(1);
    expect(structured(await conn.callTool('echo', { text: 'ok' }))).toEqual({ echoed: 'ok' });
    expect(builds).toEqual({ input: 1, output: 1 });
  });

  it('a function that does not build a zod object fails the mount, naming the tool', async () => {
    const pack = definePack({
      name: 'odd',
      description: 'A schema function that returns a string schema.',
      tools: {
        bad: defineTool({
          description: 'Bad schema.',
          inputSchema: (() => z.string()) as never,
          annotations: { readOnlyHint: true },
          execute: () => 'x',
        }),
      },
    });
    const server = new McpServer({ name: 't', version: '0' });
    const error = await mountPack(server, pack).catch((caught: unknown) => caught);
    expect(isPackError(error)).toBe(true);
    expect((error as Error).message).toContain('tools.bad.inputSchema');
  });

  it('a value that is neither a zod object nor a function is refused when the pack is defined', () => {
    const define = () =>
      definePack({
        name: 'odd',
        description: 'Not a schema.',
        tools: {
          bad: defineTool({
            description: 'Bad schema.',
            inputSchema: { text: 'string' } as never,
            annotations: { readOnlyHint: true },
            execute: () => 'x',
          }),
        },
      });
    expect(define).toThrow(/inputSchema must be a zod object, or a function returning one/);
  });
});
