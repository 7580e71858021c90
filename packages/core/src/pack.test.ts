import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/server';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPackError, isToolError, ToolError } from './errors.js';
import { packListing, primeListing } from './json-schema.js';
import { leanJsonSchema } from './listing.js';
import { mountPack } from './mount.js';
import { definePack, isPack } from './pack.js';
import { connectPack, errorCode, resultText, structured } from './testing/index.js';
import { defineTool } from './tool.js';

/** What core lists for a zod schema: JSON Schema 2020-12, the dialect MCP assumes, without naming it. */
/** zod's own conversion, without `$schema` and with core's lean pass (listing.ts: no safe-integer bounds). */
function listedAs(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  return leanJsonSchema(json);
}

describe('definePack', () => {
  it('returns frozen plain data, branded as a pack', () => {
    const pack = definePack({ name: 'plain', description: 'Plain.' });
    expect(isPack(pack)).toBe(true);
    expect(Object.isFrozen(pack)).toBe(true);
    expect(pack.tools).toEqual({});
    expect(isPack({ name: 'plain' })).toBe(false);
  });

  it('lists every problem of a malformed definition at once', () => {
    let thrown: unknown;
    try {
      definePack({
        name: 'Bad Name',
        description: '',
        tools: {
          'bad key': defineTool({
            description: 'x',
            inputSchema: z.object({}),
            annotations: { readOnlyHint: true },
            execute: () => 'x',
          }),
          no_schema: {
            kind: 'tool',
            description: 'y',
            inputSchema: z.string(),
            annotations: {},
            execute: () => 'y',
          } as never,
        },
        resources: { r: { kind: 'resource', uri: 'no-scheme', description: 'r', read: () => '' } },
      });
    } catch (error) {
      thrown = error;
    }
    expect(isPackError(thrown)).toBe(true);
    const message = (thrown as Error).message;
    expect((thrown as { code: string }).code).toBe('invalid_definition');
    expect(message).toContain('name "Bad Name"');
    expect(message).toContain('description must be a non-empty string');
    expect(message).toContain('tools.bad key: key must match');
    expect(message).toContain('tools.no_schema: inputSchema must be a zod object');
    expect(message).toContain('resources.r: uri must look like scheme://path');
  });
});

describe('listing a tool schema', () => {
  it("lists the conversion made at planning, through the SDK's stand-in schema; the author's schema is untouched", async () => {
    // Top-level metadata lives in zod's registry under the author's object: a stand-in converted afresh would lose
    // it, so seeing it listed shows the listing comes from the remembered conversion.
    const inputSchema = z.object({ n: z.number().int().describe('A whole number') }).describe('Top-level note');
    const outputSchema = z.object({ twice: z.number() });
    const pack = definePack({
      name: 'twin',
      description: 'Twin schemas.',
      tools: {
        double: defineTool({
          description: 'Double it.',
          inputSchema,
          outputSchema,
          annotations: { readOnlyHint: true },
          execute: ({ n }) => ({ twice: 2 * n }),
        }),
      },
    });
    expect(inputSchema._zod.toJSONSchema).toBeUndefined();
    await using conn = await connectPack(pack);
    const [listed] = (await conn.client.listTools()).tools;
    expect(listed?.inputSchema).toEqual(listedAs(inputSchema, 'input'));
    expect(listed?.inputSchema.description).toBe('Top-level note');
    expect(listed?.outputSchema).toEqual(listedAs(outputSchema, 'output'));
    // A second listing is the same, and input is still checked against the author's schema.
    expect((await conn.client.listTools()).tools[0]).toEqual(listed);
    expect(structured(await conn.callTool('double', { n: 4 }))).toEqual({ twice: 8 });
    const bad = await conn.callTool('double', { n: 1.5 });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/int/i);
    expect(inputSchema._zod.toJSONSchema).toBeUndefined();
  });
});

describe('listings made ahead of time', () => {
  const make = () =>
    definePack({
      name: 'ahead',
      description: 'Listed ahead.',
      tools: {
        a: defineTool({
          description: 'A.',
          inputSchema: z.object({ x: z.string() }),
          outputSchema: z.object({ y: z.string() }),
          annotations: { readOnlyHint: true },
          execute: ({ x }) => ({ y: x }),
        }),
        b: defineTool({
          description: 'B.',
          inputSchema: z.object({ n: z.number() }),
          annotations: { readOnlyHint: true },
          execute: () => 'b',
        }),
      },
    });

  it('packListing converts every schema; primeListing uses one only when it fits the pack', async () => {
    const listing = packListing(make());
    expect(listing).toEqual({
      pack: 'ahead',
      tools: {
        a: {
          input: listedAs(z.object({ x: z.string() }), 'input'),
          output: listedAs(z.object({ y: z.string() }), 'output'),
        },
        b: { input: listedAs(z.object({ n: z.number() }), 'input') },
      },
    });
    const marked = structuredClone(listing);
    (marked.tools.a as { input: Record<string, unknown> }).input.title = 'primed';
    expect(primeListing(make(), { ...marked, pack: 'other' })).toBe(false);
    expect(primeListing(make(), { ...marked, tools: { a: marked.tools.a } })).toBe(false);
    expect(primeListing(make(), { ...marked, tools: { ...marked.tools, b: { input: {}, output: {} } } })).toBe(false);
    expect(primeListing(make(), 'not a listing')).toBe(false);
    const pack = make();
    expect(primeListing(pack, marked)).toBe(true);
    await using conn = await connectPack(pack);
    const listed = (await conn.client.listTools()).tools.find((tool) => tool.name === 'ahead_a');
    expect(listed?.inputSchema.title).toBe('primed');
    expect(structured(await conn.callTool('a', { x: 'hi' }))).toEqual({ y: 'hi' });
  });
});

describe('lazy tool schemas', () => {
  const make = (inner: () => z.ZodType) => {
    const built = { count: 0, input: 0 };
    const pack = definePack({
      name: 'later',
      description: 'Builds its output schema on first use.',
      tools: {
        sum: defineTool({
          description: 'Add.',
          inputSchema: z.lazy(() => {
            built.input++;
            return z.object({ a: z.number().describe('first'), b: z.number() });
          }),
          outputSchema: z.lazy(() => {
            built.count++;
            return inner() as z.ZodObject<{ sum: z.ZodNumber }>;
          }),
          annotations: { readOnlyHint: true },
          execute: ({ a, b }) => ({ sum: a + b }) as { sum: number },
        }),
        wrong: defineTool({
          description: 'Returns what its schema refuses.',
          inputSchema: z.object({}),
          outputSchema: z.lazy(() => z.object({ sum: z.number() })),
          annotations: { readOnlyHint: true },
          execute: () => ({ sum: 'not a number' }) as unknown as { sum: number },
        }),
      },
    });
    return { pack, built };
  };
  const sumSchema = () => z.object({ sum: z.number().describe('a + b') });

  it('with a listing made ahead of time: built on the first call, not to mount or list; results still checked', async () => {
    const listing = packListing(make(sumSchema).pack);
    expect(listing.tools.sum?.output).toEqual(listedAs(sumSchema(), 'output'));
    const { pack, built } = make(sumSchema);
    expect(primeListing(pack, listing)).toBe(true);
    await using conn = await connectPack(pack, { logSink: () => {} });
    const listed = (await conn.client.listTools()).tools.find((tool) => tool.name === 'later_sum');
    expect(listed?.outputSchema).toMatchObject({ type: 'object', properties: { sum: { description: 'a + b' } } });
    expect(listed?.inputSchema).toMatchObject({ type: 'object', properties: { a: { description: 'first' } } });
    expect(built).toEqual({ count: 0, input: 0 });
    expect(structured(await conn.callTool('sum', { a: 2, b: 3 }))).toEqual({ sum: 5 });
    expect(structured(await conn.callTool('sum', { a: 1, b: 1 }))).toEqual({ sum: 2 });
    expect(built).toEqual({ count: 1, input: 1 });
    // Arguments are checked against the built schema, with the usual error.
    const bad = await conn.callTool('sum', { a: 'two', b: 3 });
    expect(errorCode(bad)).toBe('invalid_input');
    expect(resultText(bad)).toContain('a:');
    const wrong = await conn.callTool('wrong');
    expect(wrong.isError).toBe(true);
    expect(errorCode(wrong)).toBe('internal_error');
  });

  it('without one: converted at mount, listed like an eager schema', async () => {
    const { pack } = make(sumSchema);
    await using conn = await connectPack(pack);
    const listed = (await conn.client.listTools()).tools.find((tool) => tool.name === 'later_sum');
    expect(listed?.outputSchema).toEqual(listedAs(sumSchema(), 'output'));
    expect(listed?.inputSchema).toEqual(
      listedAs(z.object({ a: z.number().describe('first'), b: z.number() }), 'input'),
    );
  });

  it('refuses a lazy output schema that is not an object, once it is built', async () => {
    const { pack } = make(() => z.string());
    const error = await connectPack(pack).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toContain('tools.sum.outputSchema');
    expect(String((error as Error).message)).toContain('must be a zod object');
  });
});

describe('a pack defined with a second copy of core', () => {
  // A real second copy of core's sources, loaded as separate modules: its definePack, ToolError and brands are
  // not the objects this copy holds, as when a third-party pack bundles its own @mcp-packs/core.
  const copyDir = mkdtempSync(join(import.meta.dirname, '..', '.copy-'));
  cpSync(import.meta.dirname, copyDir, {
    recursive: true,
    filter: (source) => !source.endsWith('.test.ts') && !source.endsWith('.test-d.ts'),
  });
  afterAll(() => rmSync(copyDir, { recursive: true, force: true }));

  it('mounts, runs, and its errors are recognised by brand', async () => {
    const other = (await import(/* @vite-ignore */ join(copyDir, 'index.ts'))) as typeof import('./index.js');
    expect(other.definePack).not.toBe(definePack);
    const pack = other.definePack({
      name: 'foreign',
      description: 'Built with another copy of core.',
      setup: () => ({ base: 10 }),
      tools: ({ defineTool: define }) => ({
        add: define({
          description: 'Add to the base.',
          inputSchema: z.object({ n: z.number() }),
          annotations: { readOnlyHint: true },
          execute: ({ n }, { services }) => {
            if (n < 0) throw new other.ToolError('n must not be negative.', { code: 'negative' });
            return { total: services.base + n };
          },
        }),
      }),
    });
    expect(isPack(pack)).toBe(true);
    expect(isToolError(new other.ToolError('x', { code: 'x' }))).toBe(true);
    expect(new other.ToolError('x', { code: 'x' })).not.toBeInstanceOf(ToolError);
    await using conn = await connectPack(pack);
    expect(structured(await conn.callTool('add', { n: 5 }))).toEqual({ total: 15 });
    expect(errorCode(await conn.callTool('add', { n: -1 }))).toBe('negative');
    const server = new McpServer({ name: 's', version: '0' });
    await expect(mountPack(server, pack, { prefix: 'foreign-two' })).resolves.toMatchObject({
      tools: ['foreign-two_add'],
    });
  });
});
