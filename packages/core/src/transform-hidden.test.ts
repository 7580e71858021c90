import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isConfigError } from './errors.js';
import { mountPack } from './mount.js';
import { definePack } from './pack.js';
import { connectPack } from './testing/index.js';
import { defineTool } from './tool.js';

const readTool = defineTool({
  description: 'Read lines.',
  inputSchema: z.strictObject({
    path: z.string().describe('The file.'),
    limit: z.number().int().positive().optional().describe('Most lines.'),
    tail: z.boolean().default(false).describe('From the end.'),
  }),
  annotations: { readOnlyHint: true },
  execute: (input) => ({ received: input }),
});

/**
 * A pack whose `limit` only works when its config says so: it hides the parameter itself otherwise, the way
 * web-fetch hides `body` under a config that allows no method with a body.
 */
const lines = definePack({
  name: 'lines',
  description: 'Echo tools for hidden-argument tests.',
  configSchema: z.object({ allowLimit: z.boolean().default(false) }),
  args: (config) => (config.allowLimit ? {} : { read: { limit: { hidden: true } } }),
  tools: { read: readTool },
});

async function listedSchema(conn: Awaited<ReturnType<typeof connectPack>>) {
  const { tools } = await conn.client.listTools();
  return tools.find((tool) => tool.name === 'ln_read')?.inputSchema as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
}

async function mountError(options: Record<string, unknown>, pack = lines) {
  try {
    await mountPack(new McpServer({ name: 't', version: '0' }), pack, { prefix: 'ln', ...options });
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected the mount to fail');
}

describe('hidden arguments', () => {
  it('the pack hides a parameter its config makes useless: not listed, refused when sent', async () => {
    await using conn = await connectPack(lines, { prefix: 'ln' });
    const schema = await listedSchema(conn);
    expect(Object.keys(schema.properties)).toEqual(['path', 'tail']);
    expect(schema.required).toEqual(['path']);
    const plain = await conn.callTool('ln_read', { path: 'a' });
    expect(plain.structuredContent).toEqual({ received: { path: 'a', tail: false } });
    const sent = await conn.callTool('ln_read', { path: 'a', limit: 3 });
    expect(sent.isError).toBe(true);
    expect(JSON.stringify(sent.content)).toContain('limit');
    expect(JSON.stringify(sent.content)).toContain('is not available on this server; leave it out');
  });

  it('shows the parameter under a config that allows it', async () => {
    await using conn = await connectPack(lines, { prefix: 'ln', config: { allowLimit: true } });
    expect(Object.keys((await listedSchema(conn)).properties)).toEqual(['path', 'limit', 'tail']);
    const limited = await conn.callTool('ln_read', { path: 'a', limit: 3 });
    expect(limited.structuredContent).toEqual({ received: { path: 'a', limit: 3, tail: false } });
  });

  it("a host hides one too, and the host's transform of a parameter applies over the pack's", async () => {
    await using conn = await connectPack(lines, {
      prefix: 'ln',
      transforms: { read: { args: { tail: { hidden: true }, limit: { default: 5 } } } },
    });
    const schema = await listedSchema(conn);
    expect(Object.keys(schema.properties)).toEqual(['path', 'limit']);
    expect(schema.properties.limit?.default).toBe(5);
    const called = await conn.callTool('ln_read', { path: 'a' });
    expect(called.structuredContent).toEqual({ received: { path: 'a', limit: 5, tail: false } });
    const refused = await conn.callTool('ln_read', { path: 'a', tail: true });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('tail');
  });

  it('refuses hiding a parameter the tool needs, or hidden other than true, by key path', async () => {
    const error = await mountError({
      transforms: { ln_read: { args: { path: { hidden: true }, tail: { hidden: 1 } } } },
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'packs[ln].transforms.ln_read.args.path.hidden',
      'packs[ln].transforms.ln_read.args.tail.hidden',
    ]);
    expect(error.message).toContain('cannot be hidden; fix it to a value instead');
    expect(error.message).toContain('must be true');
  });

  it("names the pack, not the host's config, when the pack's own args are wrong", async () => {
    const broken = definePack({
      name: 'broken',
      description: 'A pack whose own args transform is wrong.',
      args: () => ({ read: { path: { hidden: true } } }),
      tools: { read: readTool },
    });
    const error = await mountError({}, broken);
    expect(error.issues[0]?.path).toBe('pack "broken" args(config).read.args.path.hidden');
  });
});
