import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isConfigError } from './errors.js';
import { createPackInstance, mountPack } from './mount.js';
import { type AnyPack, definePack } from './pack.js';
import { connectPack } from './testing/index.js';
import { defineTool } from './tool.js';
import { TAGS_META_KEY } from './transform.js';

/** A pack whose tools echo what they were called with, so a test sees what the pack's code received. */
const files = definePack({
  name: 'files',
  description: 'Echo tools for transform tests.',
  tools: {
    read_text: defineTool({
      description: 'Read a text file.',
      inputSchema: z.strictObject({
        path: z.string().describe('The file.'),
        encoding: z.enum(['utf8', 'latin1']).describe('Text encoding.'),
        limit: z.number().int().positive().optional().describe('Most lines.'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
      execute: (input) => ({ received: input }),
    }),
    lazy_read: defineTool({
      description: 'Read lazily.',
      inputSchema: z.lazy(() =>
        z.object({ path: z.string(), mode: z.enum(['head', 'tail']) }).refine((v) => v.path !== '', 'empty path'),
      ),
      annotations: { readOnlyHint: true },
      execute: (input) => ({ received: input }),
    }),
    write_text: defineTool({
      description: 'Write a text file.',
      inputSchema: z.object({ path: z.string(), text: z.string() }),
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
      execute: (input) => ({ received: input }),
    }),
  },
});

const newServer = () => new McpServer({ name: 't', version: '0' }, { capabilities: { logging: {} } });

async function transformError(transforms: unknown, extra: Record<string, unknown> = {}, pack: AnyPack = files) {
  try {
    await mountPack(newServer(), pack, { prefix: 'fs', transforms: transforms as never, ...extra });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    return error;
  }
  throw new Error('expected the mount to fail');
}

// Each protocol era: the suite runs once per era (vitest projects set MCP_PACKS_TEST_PROTOCOL).
describe('tool transforms through a real client', () => {
  it('renames under the prefix, redescribes, retitles and tags', async () => {
    await using conn = await connectPack(files, {
      prefix: 'fs',
      transforms: {
        read_text: {
          name: 'read',
          description: 'Read one file of the project.',
          title: 'Read',
          tags: ['core', 'core'],
        },
      },
    });
    const { tools } = await conn.client.listTools();
    const read = tools.find((tool) => tool.name === 'fs_read');
    expect(tools.map((tool) => tool.name).sort()).toEqual(['fs_lazy_read', 'fs_read', 'fs_write_text']);
    expect(read).toMatchObject({ description: 'Read one file of the project.', title: 'Read' });
    expect(read?._meta?.[TAGS_META_KEY]).toEqual(['core']);
    const result = await conn.callTool('fs_read', { path: 'a', encoding: 'utf8' });
    expect(result.structuredContent).toEqual({ received: { path: 'a', encoding: 'utf8' } });
    await expect(conn.callTool('fs_read_text', { path: 'a', encoding: 'utf8' })).rejects.toThrow(/not found/);
  });

  it('hides a tool: neither listed nor callable', async () => {
    await using conn = await connectPack(files, { prefix: 'fs', transforms: { fs_write_text: { hidden: true } } });
    const { tools } = await conn.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('fs_write_text');
    await expect(conn.callTool('fs_write_text', { path: 'a', text: 'x' })).rejects.toThrow(/not found/);
  });

  it('fixes an argument (gone from the schema, always injected) and defaults another', async () => {
    await using conn = await connectPack(files, {
      prefix: 'fs',
      transforms: { read_text: { args: { encoding: { fixed: 'latin1' }, limit: { default: 20 } } } },
    });
    const { tools } = await conn.client.listTools();
    const schema = tools.find((tool) => tool.name === 'fs_read_text')?.inputSchema as Record<string, unknown>;
    expect(Object.keys(schema.properties as object)).toEqual(['path', 'limit']);
    expect(schema.required).toEqual(['path']);
    expect((schema.properties as Record<string, Record<string, unknown>>).limit?.default).toBe(20);
    const injected = await conn.callTool('fs_read_text', { path: 'a' });
    expect(injected.structuredContent).toEqual({ received: { path: 'a', encoding: 'latin1', limit: 20 } });
    const chosen = await conn.callTool('fs_read_text', { path: 'a', limit: 3 });
    expect(chosen.structuredContent).toEqual({ received: { path: 'a', encoding: 'latin1', limit: 3 } });
    const same = await conn.callTool('fs_read_text', { path: 'a', encoding: 'latin1' });
    expect(same.isError).toBeFalsy();
    const overridden = await conn.callTool('fs_read_text', { path: 'a', encoding: 'utf8' });
    expect(overridden.isError).toBe(true);
    expect(JSON.stringify(overridden.content)).toContain('encoding');
    expect(JSON.stringify(overridden.content)).toContain('is fixed to \\"latin1\\"');
    // The pack's own schema still checks what the model sends.
    const bad = await conn.callTool('fs_read_text', { path: 'a', limit: -1 });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('limit');
  });

  it('transforms a lazy schema and keeps its refinements', async () => {
    await using conn = await connectPack(files, {
      prefix: 'fs',
      transforms: { lazy_read: { args: { mode: { default: 'tail' } } } },
    });
    const ok = await conn.callTool('fs_lazy_read', { path: 'x' });
    expect(ok.structuredContent).toEqual({ received: { path: 'x', mode: 'tail' } });
    const refused = await conn.callTool('fs_lazy_read', { path: '' });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('empty path');
  });

  it('overrides annotations, and readOnly drops a tool made less safe', async () => {
    await using conn = await connectPack(files, {
      prefix: 'fs',
      readOnly: true,
      transforms: {
        read_text: { annotations: { title: 'Reader', openWorldHint: true, idempotentHint: true } },
        lazy_read: { annotations: { readOnlyHint: false } },
      },
    });
    const { tools } = await conn.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['fs_read_text']);
    // Both applied, neither listed: idempotentHint means nothing on a read-only tool, and openWorldHint true is the
    // spec's default (listing.ts). The pack's own openWorldHint: false is gone, so the override took.
    expect(tools[0]?.annotations).toEqual({ title: 'Reader', readOnlyHint: true });
  });
});

describe('transform errors at mount', () => {
  it('names an unknown tool and an unknown parameter by key path', async () => {
    const error = await transformError({
      read_file: { hidden: true },
      read_text: { args: { encodng: { fixed: 'utf8' } } },
    });
    expect(error.code).toBe('invalid_transform');
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'packs[fs].transforms.read_file',
      'packs[fs].transforms.read_text.args.encodng',
    ]);
    expect(error.message).toContain('packs[fs].transforms.read_file: not a tool of pack "files"');
    expect(error.message).toContain('read_text.args.encodng: no such parameter; the parameters of "read_text" are');
  });

  it('refuses a fixed or default value that fails the parameter schema', async () => {
    const error = await transformError({
      read_text: { args: { encoding: { fixed: 'ascii' }, limit: { default: 0 } } },
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'packs[fs].transforms.read_text.args.encoding.fixed',
      'packs[fs].transforms.read_text.args.limit.default',
    ]);
    expect(error.issues[0]?.segments).toEqual(['read_text', 'args', 'encoding', 'fixed']);
    expect(error.message).toContain('"ascii" is not valid here');
  });

  it('refuses a transform that is neither fixed nor default, and unknown fields', async () => {
    const error = await transformError({
      read_text: { args: { limit: { fixed: 1, default: 2 } }, rename: 'x', annotations: { readonly: true } },
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'packs[fs].transforms.read_text.rename',
      'packs[fs].transforms.read_text.annotations.readonly',
      'packs[fs].transforms.read_text.args.limit',
    ]);
  });

  it('refuses a rename that collides on the mount, naming both tools', async () => {
    const error = await transformError({ write_text: { name: 'read_text' } });
    expect(error.issues).toEqual([
      {
        path: 'packs[fs].transforms.write_text.name',
        segments: ['write_text', 'name'],
        message: '"fs_read_text" is also the name of tool "read_text" on this mount; choose another name',
      },
    ]);
    const twice = await transformError({ write_text: { name: 'x' }, lazy_read: { name: 'x' } });
    expect(twice.issues[0]?.path).toBe('packs[fs].transforms.write_text.name');
  });

  it('refuses a bad name and annotations that claim more safety than the pack', async () => {
    const error = await transformError({
      read_text: { name: 'read text' },
      write_text: { annotations: { readOnlyHint: true, destructiveHint: false } },
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'packs[fs].transforms.read_text.name',
      'packs[fs].transforms.write_text.annotations.readOnlyHint',
      'packs[fs].transforms.write_text.annotations.destructiveHint',
    ]);
    expect(error.message).toContain('never safer');
  });

  it('refuses including a hidden tool, and uses the host’s transforms path', async () => {
    await expect(
      mountPack(newServer(), files, { transforms: { read_text: { hidden: true } }, tools: { include: ['read_text'] } }),
    ).rejects.toMatchObject({ code: 'invalid_filter', message: expect.stringContaining('hidden by its transform') });
    const error = await transformError({ nope: {} }, { transformsPath: 'packs[3].transforms' });
    expect(error.issues[0]?.path).toBe('packs[3].transforms.nope');
  });
});

describe('attaching a subset of a mount', () => {
  it('serves only the named tools on one server, with the instance shared', async () => {
    await using instance = await createPackInstance(files, {
      prefix: 'fs',
      transforms: { read_text: { name: 'read', args: { encoding: { fixed: 'utf8' } } } },
    });
    const { Client } = await import('@modelcontextprotocol/client');
    const { InMemoryTransport } = await import('@modelcontextprotocol/server');
    const server = newServer();
    instance.attach(server, { tools: ['fs_read', 'not_here'] });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'c', version: '0' });
    await client.connect(clientSide);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['fs_read']);
    const result = await client.callTool({ name: 'fs_read', arguments: { path: 'p' } });
    expect(result.structuredContent).toEqual({ received: { path: 'p', encoding: 'utf8' } });
    await client.close();
    await server.close();
  });
});

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
    const error = await transformError(
      { ln_read: { args: { path: { hidden: true }, tail: { hidden: 1 } } } },
      { prefix: 'ln' },
      lines,
    );
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
    const error = await transformError(undefined, { prefix: 'ln' }, broken);
    expect(error.issues[0]?.path).toBe('pack "broken" args(config).read.args.path.hidden');
  });
});
