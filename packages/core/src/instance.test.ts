import { Client } from '@modelcontextprotocol/client';
import { McpServer as McpServerV1 } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { kitchenSinkPack } from './fixtures/kitchen-sink.js';
import { createPackInstance, describeMount, mountPack } from './mount.js';
import { definePack, type MountedTools, type PackInstructions } from './pack.js';
import { connectPack } from './testing/index.js';

async function connect(server: McpServer): Promise<Client> {
  const client = new Client({ name: 'c', version: '0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  await client.connect(a);
  return client;
}

describe('createPackInstance', () => {
  it('sets up once and serves many servers that share its services', async () => {
    const events: string[] = [];
    const instance = await createPackInstance(kitchenSinkPack(events), { prefix: 'shared', logSink: () => {} });
    expect(instance.config).toEqual({ greeting: 'hello', limits: { max: 10 }, tags: [] });
    const servers = [new McpServer({ name: 'a', version: '0' }), new McpServer({ name: 'b', version: '0' })];
    for (const server of servers) instance.attach(server);
    const [first, second] = await Promise.all(servers.map(connect));
    await first?.callTool({ name: 'shared_write_note', arguments: { id: 'x1', text: 'from a' } });
    const read = await second?.readResource({ uri: 'sink://shared/notes/x1' });
    expect(read?.contents[0]).toMatchObject({ text: 'from a' });
    expect(events).toEqual(['setup']);

    await instance.close();
    expect(events).toEqual(['setup', 'close:last-registered', 'close:first-registered']);
    expect((await first?.listTools())?.tools).toEqual([]);
    expect((await second?.listTools())?.tools).toEqual([]);
    await first?.close();
    await second?.close();
  });

  it('detach removes one server’s registrations and leaves the others', async () => {
    const instance = await createPackInstance(kitchenSinkPack(), { logSink: () => {} });
    const a = new McpServer({ name: 'a', version: '0' });
    const b = new McpServer({ name: 'b', version: '0' });
    const attachment = instance.attach(a);
    instance.attach(b);
    attachment.detach();
    attachment.detach();
    const [clientA, clientB] = await Promise.all([connect(a), connect(b)]);
    expect((await clientA.listTools()).tools).toEqual([]);
    expect((await clientB.listTools()).tools.length).toBeGreaterThan(0);
    // the freed names can be taken again on that server
    instance.attach(a);
    expect((await clientA.listTools()).tools.length).toBeGreaterThan(0);
    await instance.close();
    await Promise.all([clientA.close(), clientB.close()]);
  });

  it('lets go of a server once it closes, connected or not', async () => {
    const instance = await createPackInstance(kitchenSinkPack(), { logSink: () => {} });
    // Never connected: the SDK's HTTP entry closes instances it turns away before serving them.
    const idle = new McpServer({ name: 'idle', version: '0' });
    instance.attach(idle);
    await idle.close();
    expect(() => instance.attach(idle)).not.toThrow();
    // Connected, and its transport ends.
    const served = new McpServer({ name: 'served', version: '0' });
    instance.attach(served);
    const client = await connect(served);
    await client.close();
    expect(() => instance.attach(served)).not.toThrow();
    await instance.close();
  });

  it('reports a collision per server and refuses to attach once closed', async () => {
    const server = new McpServer({ name: 'a', version: '0' });
    await mountPack(server, kitchenSinkPack(), { logSink: () => {} });
    const instance = await createPackInstance(kitchenSinkPack(), { logSink: () => {} });
    expect(() => instance.attach(server)).toThrow(/already registered by pack "sink"/);
    await instance.close();
    expect(() => instance.attach(new McpServer({ name: 'b', version: '0' }))).toThrow(/closed/);
  });
});

describe('SDK majors', () => {
  it('refuses to attach to a v1 server when only the v2 adapter is loaded, naming the option to pass', async () => {
    // This file never loads the v1 adapter (each test file runs in a fresh worker).
    const instance = await createPackInstance(kitchenSinkPack(), { logSink: () => {} });
    expect(() => instance.attach(new McpServerV1({ name: 'v1', version: '0' }))).toThrow(
      expect.objectContaining({ code: 'sdk_not_loaded', message: expect.stringContaining("sdk: 'v1'") }),
    );
    await instance.close();
  });
});

describe('describeMount', () => {
  it('gives the surface without running setup', () => {
    const events: string[] = [];
    const surface = describeMount(kitchenSinkPack(events), { prefix: 'k', tools: { include: ['greet'] } });
    expect(surface).toMatchObject({
      name: 'sink',
      prefix: 'k',
      tools: ['k_greet'],
      prompts: ['k_summarize'],
      resources: ['sink://k/about'],
      resourceTemplates: ['sink://k/notes/{id}'],
    });
    expect(events).toEqual([]);
  });
});

describe('disabledTools', () => {
  const filesPack = (instructions?: unknown) =>
    definePack({
      name: 'files',
      ...(instructions === undefined ? {} : { instructions: instructions as PackInstructions }),
      description: 'Reads always, writes when enabled.',
      configSchema: z.object({ allowWrite: z.boolean().default(false) }),
      disabledTools: (config) => (config.allowWrite ? {} : { write: 'writes are off; set allowWrite: true' }),
      tools: ({ defineTool }) => ({
        read: defineTool({
          description: 'Read.',
          inputSchema: z.object({}),
          annotations: { readOnlyHint: true },
          execute: () => 'read',
        }),
        write: defineTool({
          description: 'Write.',
          inputSchema: z.object({}),
          annotations: { readOnlyHint: false, destructiveHint: true },
          execute: () => 'written',
        }),
      }),
    });
  const files = filesPack();

  it('writes instructions that name only the tools a mount offers, by their final names', async () => {
    const guided = filesPack((tools: MountedTools) =>
      [
        `Read with ${tools.name('read')}.`,
        tools.has('write') ? `Change files with ${tools.name('write')}.` : 'This server cannot change files.',
      ].join(' '),
    );
    expect(describeMount(guided, {}).instructions).toBe('Read with files_read. This server cannot change files.');
    expect(describeMount(guided, { prefix: 'f', config: { allowWrite: true } }).instructions).toBe(
      'Read with f_read. Change files with f_write.',
    );
    expect(describeMount(guided, { config: { allowWrite: true }, readOnly: true }).instructions).toBe(
      'Read with files_read. This server cannot change files.',
    );
    await using conn = await connectPack(guided, { prefix: 'g' });
    expect(conn.mounted.instructions).toBe('Read with g_read. This server cannot change files.');
    expect(() => filesPack(42)).toThrow(/instructions must be a string or a function/);
  });

  it('drops the tools the config disables from list and call', async () => {
    await using conn = await connectPack(files);
    expect((await conn.client.listTools()).tools.map((t) => t.name)).toEqual(['files_read']);
    await expect(conn.callTool('files_write')).rejects.toThrow(/files_write not found/);
  });

  it('offers them when the config enables them', async () => {
    await using conn = await connectPack(files, { config: { allowWrite: true } });
    expect((await conn.client.listTools()).tools.map((t) => t.name)).toEqual(['files_read', 'files_write']);
    expect(await conn.callTool('write')).toMatchObject({ content: [{ type: 'text', text: 'written' }] });
  });

  it('an include naming a disabled tool fails at mount with the reason; an exclude is fine', async () => {
    await expect(connectPack(files, { tools: { include: ['write'] } })).rejects.toThrow(
      '"write" is disabled by this config: writes are off; set allowWrite: true',
    );
    await using conn = await connectPack(files, { tools: { exclude: ['write'] } });
    expect(conn.mounted.tools).toEqual(['files_read']);
  });
});

describe('config-dependent annotations', () => {
  const fetcher = definePack({
    name: 'fetcher',
    description: 'GET by default; POST when the config allows it.',
    configSchema: z.object({ allowPost: z.boolean().default(false) }),
    annotations: (config) =>
      config.allowPost ? { fetch: { readOnlyHint: false, destructiveHint: true, idempotentHint: false } } : {},
    tools: ({ defineTool }) => ({
      fetch: defineTool({
        description: 'Fetch a URL.',
        inputSchema: z.object({}),
        annotations: { readOnlyHint: true, openWorldHint: true },
        execute: () => 'fetched',
      }),
    }),
  });

  it('are listed merged over the tool’s own', async () => {
    await using plain = await connectPack(fetcher);
    // Listed without the hints at the spec's defaults (openWorldHint true; below, every hint).
    expect((await plain.client.listTools()).tools[0]?.annotations).toEqual({ readOnlyHint: true });
    await using posting = await connectPack(fetcher, { config: { allowPost: true } });
    // Not read-only, destructive, not idempotent, open world: each the default, so none is listed.
    expect((await posting.client.listTools()).tools[0]?.annotations).toEqual({});
  });

  it('decide what a readOnly mount keeps', async () => {
    expect(describeMount(fetcher, { readOnly: true }).tools).toEqual(['fetcher_fetch']);
    expect(describeMount(fetcher, { readOnly: true, config: { allowPost: true } }).tools).toEqual([]);
  });
});
