import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isConfigError, isPackError } from './errors.js';
import { kitchenSinkPack } from './fixtures/kitchen-sink.js';
import type { LogEntry } from './log.js';
import { mountPack } from './mount.js';
import { definePack, PACK_API_VERSION } from './pack.js';
import { connectPack } from './testing/index.js';
import { defineTool } from './tool.js';

const newServer = () => new McpServer({ name: 't', version: '0' }, { capabilities: { logging: {} } });

async function mountError(promise: Promise<unknown>): Promise<Error & { code: string; issues?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error('expected the mount to fail');
}

describe('config validation', () => {
  it('lists every problem with its key path, before setup runs', async () => {
    const events: string[] = [];
    const error = await mountError(
      mountPack(newServer(), kitchenSinkPack(events), {
        prefix: 'fs',
        config: { greeting: 42, limits: { max: -1 }, tags: ['ok', 7] } as never,
      }),
    );
    expect(isConfigError(error)).toBe(true);
    expect(error.code).toBe('invalid_config');
    expect(error.issues).toEqual([
      { path: 'packs[fs].config.greeting', segments: ['greeting'], message: expect.stringMatching(/expected string/i) },
      {
        path: 'packs[fs].config.limits.max',
        segments: ['limits', 'max'],
        message: expect.stringMatching(/>0|positive|too small/i),
      },
      { path: 'packs[fs].config.tags[1]', segments: ['tags', 1], message: expect.stringMatching(/expected string/i) },
    ]);
    expect(error.message).toContain('packs[fs].config.tags[1]: ');
    expect(events).toEqual([]);
  });

  it('applies defaults and honours a custom config path label', async () => {
    const error = await mountError(
      mountPack(newServer(), kitchenSinkPack(), { config: { tags: 'x' } as never, configPath: 'packs[2].config' }),
    );
    expect(error.message).toContain('packs[2].config.tags');
    const mounted = await mountPack(newServer(), kitchenSinkPack(), {});
    expect(mounted.services).toMatchObject({ greeting: 'hello', max: 10 });
  });

  it('refuses config for a pack that takes none', async () => {
    const bare = definePack({ name: 'bare', description: 'No config.' });
    const error = await mountError(mountPack(newServer(), bare, { config: { x: 1 } as never }));
    expect(isConfigError(error)).toBe(true);
    expect(error.message).toContain('takes no config');
  });
});

describe('names', () => {
  it('prefixes tools, prompts and resource URIs', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { prefix: 'work' });
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name)).toContain('work_greet');
    const { prompts } = await conn.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['work_summarize']);
    const { resources } = await conn.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(['sink://work/about', 'sink://work/notes/a1']));
    const { resourceTemplates } = await conn.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['sink://work/notes/{id}']);
  });

  it('uses the pack’s own default prefix when it declares one', async () => {
    const pack = definePack({
      name: 'filesystem-like',
      prefix: 'fsl',
      description: 'A long name with a short prefix.',
      tools: {
        ping: defineTool({
          description: 'Ping.',
          inputSchema: z.object({}),
          annotations: { readOnlyHint: true },
          execute: () => 'pong',
        }),
      },
    });
    const mounted = await mountPack(newServer(), pack, { logSink: () => {} });
    expect(mounted).toMatchObject({ name: 'filesystem-like', prefix: 'fsl', tools: ['fsl_ping'] });
    const renamed = await mountPack(newServer(), pack, { prefix: 'other', logSink: () => {} });
    expect(renamed.tools).toEqual(['other_ping']);
    expect(() => definePack({ name: 'ok', prefix: 'Not OK', description: 'Bad prefix.' })).toThrow(/prefix "Not OK"/);
  });

  it('mounts without a prefix when prefix is null: names and URIs exactly as the pack wrote them', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { prefix: null });
    expect(conn.mounted.tools).toContain('greet');
    expect(conn.mounted.resources).toEqual(['sink://about']);
    expect(conn.mounted.resourceTemplates).toEqual(['sink://notes/{id}']);
    await conn.callTool('write_note', { id: 'n1', text: 'bare' });
    const read = await conn.client.readResource({ uri: 'sink://notes/n1' });
    expect(read.contents[0]).toMatchObject({ text: 'bare' });
  });

  it('rejects a final name over 64 characters with a coded error', async () => {
    const prefix = 'p'.repeat(64 - 'greet'.length); // + "_" makes 65
    const error = await mountError(mountPack(newServer(), kitchenSinkPack(), { prefix }));
    expect(isPackError(error)).toBe(true);
    expect(error.code).toBe('invalid_name');
    expect(error.message).toContain(`${prefix}_greet`);
    expect(error.message).toContain('65 characters');
  });

  it('accepts a final name of exactly 64 characters', async () => {
    const prefix = 'p'.repeat(64 - 'write_note'.length - 1);
    const mounted = await mountPack(newServer(), kitchenSinkPack(), { prefix, tools: { include: ['write_note'] } });
    expect(mounted.tools).toEqual([`${prefix}_write_note`]);
    expect(mounted.tools[0]).toHaveLength(64);
  });

  it('rejects an invalid prefix', async () => {
    const error = await mountError(mountPack(newServer(), kitchenSinkPack(), { prefix: 'Bad Prefix' }));
    expect(error.code).toBe('invalid_prefix');
  });

  it('rejects a collision between two mounts, naming both owners, and leaves the first intact', async () => {
    const server = newServer();
    await mountPack(server, kitchenSinkPack(), {});
    const error = await mountError(mountPack(server, kitchenSinkPack(), {}));
    expect(error.code).toBe('name_collision');
    expect(error.message).toContain('tool "sink_greet" is already registered by pack "sink"');
    expect(error.message).toContain('resource "sink://sink/about"');
    const second = await mountPack(server, kitchenSinkPack(), { prefix: 'other' });
    expect(second.tools).toContain('other_greet');
  });

  it('reports a collision with a tool registered directly on the server, registering nothing', async () => {
    const server = newServer();
    server.registerTool('sink_slow', { description: 'host tool' }, () => ({ content: [] }));
    const events: string[] = [];
    const error = await mountError(mountPack(server, kitchenSinkPack(events), {}));
    expect(error.code).toBe('name_collision');
    expect(events).toEqual(['setup', 'close:last-registered', 'close:first-registered']);
    const again = await mountPack(server, kitchenSinkPack(), { prefix: 'ok', tools: { exclude: ['slow'] } });
    expect(again.tools).not.toContain('ok_slow');
  });
});

describe('tool filters and readOnly', () => {
  it('include mounts only the named tools (by key or final name)', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { tools: { include: ['greet', 'sink_chatty'] } });
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['sink_chatty', 'sink_greet']);
  });

  it('exclude drops the named tools from list and call', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { tools: { exclude: ['write_note'] } });
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('sink_write_note');
    // An unknown tool is a protocol error (-32602), as MCP asks.
    await expect(conn.callTool('sink_write_note', { id: 'x', text: 'y' })).rejects.toThrow(/not found/);
  });

  it('an unknown name in a filter is an error listing the pack tools', async () => {
    const error = await mountError(
      mountPack(newServer(), kitchenSinkPack(), { tools: { exclude: ['nope'], include: ['greet', 'nada'] } }),
    );
    expect(error.code).toBe('unknown_tool');
    expect(error.message).toContain('"nope" is not a tool of pack "sink"');
    expect(error.message).toContain('"nada"');
    expect(error.message).toContain('greet, write_note');
  });

  it('readOnly drops every tool not annotated readOnlyHint: true from tools/list and tools/call', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { readOnly: true });
    const { tools } = await conn.client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name)).not.toContain('sink_write_note');
    await expect(conn.callTool('sink_write_note', { id: 'x', text: 'y' })).rejects.toThrow(/not found/);
    expect(conn.mounted.services.notes.has('x')).toBe(false);
  });

  it('readOnly with a write tool in include is an error, not a silent drop', async () => {
    const error = await mountError(
      mountPack(newServer(), kitchenSinkPack(), { readOnly: true, tools: { include: ['write_note'] } }),
    );
    expect(error.message).toContain('"write_note" is not read-only');
  });
});

describe('api version and pack identity', () => {
  it('refuses a pack built for another API version, saying what to upgrade', async () => {
    const pack = kitchenSinkPack();
    const future = { ...pack, apiVersion: PACK_API_VERSION + 1, [Symbol.for('mcp-packs.pack')]: PACK_API_VERSION + 1 };
    const error = await mountError(mountPack(newServer(), future as typeof pack));
    expect(error.code).toBe('api_version_mismatch');
    expect(error.message).toContain('Upgrade @mcp-packs/core');
  });

  it('refuses something that is not a pack', async () => {
    const error = await mountError(mountPack(newServer(), { name: 'x' } as never));
    expect(error.code).toBe('not_a_pack');
  });
});

describe('setup and close', () => {
  it('runs setup once and every onClose once, last registered first, even if close is called twice', async () => {
    const events: string[] = [];
    const mounted = await mountPack(newServer(), kitchenSinkPack(events));
    await Promise.all([mounted.close(), mounted.close()]);
    await mounted.close();
    expect(events).toEqual(['setup', 'close:last-registered', 'close:first-registered']);
  });

  it('wraps a failing setup in a PackError with the cause, running the cleanups it registered', async () => {
    const events: string[] = [];
    const pack = definePack({
      name: 'broken',
      description: 'Setup fails.',
      setup: ({ onClose }) => {
        onClose(() => {
          events.push('cleaned');
        });
        throw new Error('database is locked');
      },
    });
    const error = await mountError(mountPack(newServer(), pack));
    expect(error.code).toBe('setup_failed');
    expect(error.message).toContain('database is locked');
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(events).toEqual(['cleaned']);
  });

  it('close unregisters the tools and aborts calls in flight before cleanups run', async () => {
    const events: string[] = [];
    const conn = await connectPack(kitchenSinkPack(events));
    const pending = conn.callTool('slow', { steps: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await conn.mounted.close();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(events).toEqual(['setup', 'slow:aborted', 'close:last-registered', 'close:first-registered']);
    const { tools } = await conn.client.listTools();
    expect(tools).toEqual([]);
    await conn.close();
  });

  it('logs setup messages to the sink', async () => {
    const entries: LogEntry[] = [];
    const pack = definePack({
      name: 'loud',
      description: 'Logs in setup.',
      setup: ({ log }) => {
        log.info('ready', { items: 3 });
      },
    });
    await mountPack(newServer(), pack, { logSink: (entry) => entries.push(entry) });
    expect(entries).toEqual([{ level: 'info', source: 'loud', message: 'ready', data: { items: 3 } }]);
  });
});

describe('a tool defined on its own, shared between packs', () => {
  it('mounts in two packs', async () => {
    const ping = defineTool({
      description: 'Answer pong.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
      execute: () => 'pong',
    });
    const a = definePack({ name: 'a', description: 'A.', tools: { ping } });
    const b = definePack({ name: 'b', description: 'B.', tools: { ping } });
    const server = newServer();
    await mountPack(server, a);
    const mounted = await mountPack(server, b);
    expect(mounted.tools).toEqual(['b_ping']);
  });
});
