/**
 * The v1 adapter, driven through SDK v1's own real `Client` (`@modelcontextprotocol/sdk` ^1.32) over its in-memory
 * transport: the same pack definitions mount and behave as on v2, in the 2025 era v1 speaks.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { askPack } from '../fixtures/ask.js';
import { kitchenSinkPack } from '../fixtures/kitchen-sink.js';
import { leanJsonSchema } from '../listing.js';
import { createPackInstance, mountPack } from '../mount.js';
import type { AnyPack } from '../pack.js';
import { ERROR_META_KEY } from '../results.js';

interface V1Options {
  elicit?: (message: string) => { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> };
  roots?: { uri: string }[];
}

async function connectV1(pack: AnyPack, options: V1Options = {}) {
  const server = new McpServer({ name: 'v1', version: '0' }, { capabilities: { logging: {} } });
  const mounted = await mountPack(server, pack, { logSink: () => {} });
  const client = new Client(
    { name: 'v1-client', version: '0' },
    {
      capabilities: {
        ...(options.elicit ? { elicitation: {} } : {}),
        ...(options.roots ? { roots: { listChanged: true } } : {}),
      },
    },
  );
  const logs: unknown[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    logs.push(notification.params);
  });
  const elicit = options.elicit;
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params.message));
  if (options.roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: options.roots ?? [] }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  await client.connect(a);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args }, CallToolResultSchema)) as CallToolResult;
  return {
    server,
    client,
    mounted,
    logs,
    call,
    async [Symbol.asyncDispose]() {
      await client.close();
      await mounted.close();
      await server.close();
    },
  };
}

describe('mountPack on a v1 McpServer', () => {
  it('lists 2020-12 schemas (no draft-07 $schema) and answers calls, errors and bad input in core’s model', async () => {
    await using conn = await connectV1(kitchenSinkPack());
    const { tools } = await conn.client.listTools();
    const greet = tools.find((tool) => tool.name === 'sink_greet');
    const { $schema: _dialect, ...expected } = z.toJSONSchema(
      z.object({ name: z.string().min(1).describe('Who to greet'), times: z.number().int().min(1).max(3).default(1) }),
      { target: 'draft-2020-12', io: 'input' },
    );
    // zod's own conversion, through core's lean pass (listing.ts: no minLength 1, no safe-integer bounds).
    expect(greet?.inputSchema).toEqual(leanJsonSchema(expected));
    for (const tool of tools) {
      expect(tool.inputSchema.$schema).toBeUndefined();
      expect(tool.outputSchema?.$schema).toBeUndefined();
    }

    expect((await conn.call('sink_greet', { name: 'Ada' })).structuredContent).toEqual({ message: 'hello, Ada' });
    const failed = await conn.call('sink_fail_expected', { id: 'x' });
    expect(failed.isError).toBe(true);
    expect(failed._meta?.[ERROR_META_KEY]).toMatchObject({ code: expect.any(String) });
    const bad = await conn.call('sink_greet', { name: '' });
    expect(bad.isError).toBe(true);
    expect(bad._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'invalid_input' });
  });

  it('reads resources and templates, completes, and gets prompts', async () => {
    await using conn = await connectV1(kitchenSinkPack());
    expect((await conn.client.readResource({ uri: 'sink://sink/about' })).contents[0]).toMatchObject({
      text: 'greeting=hello',
    });
    expect((await conn.client.readResource({ uri: 'sink://sink/notes/a1' })).contents[0]).toMatchObject({
      text: 'Alpha',
    });
    await expect(conn.client.readResource({ uri: 'sink://sink/notes/zz' })).rejects.toMatchObject({ code: -32002 });
    const completion = await conn.client.complete({
      ref: { type: 'ref/resource', uri: 'sink://sink/notes/{id}' },
      argument: { name: 'id', value: 'b' },
    });
    expect(completion.completion.values).toEqual(['b2']);
    const prompt = await conn.client.getPrompt({ name: 'sink_summarize', arguments: { id: 'a1' } });
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Summarise this note: Alpha' });
    const argCompletion = await conn.client.complete({
      ref: { type: 'ref/prompt', name: 'sink_summarize' },
      argument: { name: 'id', value: 'a' },
    });
    expect(argCompletion.completion.values).toEqual(['a1']);
  });

  it('sends logs honouring logging/setLevel, and progress', async () => {
    await using conn = await connectV1(kitchenSinkPack());
    await conn.client.setLoggingLevel('warning');
    await conn.call('sink_chatty');
    await expect.poll(() => conn.logs.length).toBe(2);
    const progress: number[] = [];
    await conn.client.callTool({ name: 'sink_slow', arguments: { steps: 3 } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress.length).toBeGreaterThan(0);
  });

  it('asks the user with a real elicitation/create request, and refuses when the client cannot ask', async () => {
    await using conn = await connectV1(askPack(), {
      elicit: (message) =>
        message.startsWith('Why') ? { action: 'accept', content: { reason: 'gone' } } : { action: 'accept' },
    });
    expect((await conn.call('ask_delete_thing', { name: 'f' })).structuredContent).toEqual({
      deleted: true,
      reason: 'gone',
    });
    // Push: one run of the tool, both questions answered within it.
    expect(conn.mounted.services.runs).toBe(1);

    await using mute = await connectV1(askPack());
    expect((await mute.call('ask_delete_thing', { name: 'f' }))._meta?.[ERROR_META_KEY]).toMatchObject({
      code: 'input_unavailable',
    });
  });

  it('asks for the client roots', async () => {
    await using conn = await connectV1(kitchenSinkPack(), { roots: [{ uri: 'file:///tmp/r' }] });
    expect((await conn.call('sink_list_roots')).structuredContent).toEqual({ roots: [{ uri: 'file:///tmp/r' }] });
  });

  it('serves from an instance made for v1 (createPackInstance with sdk: "v1"), on several servers', async () => {
    const instance = await createPackInstance(kitchenSinkPack(), { logSink: () => {}, sdk: 'v1' });
    const servers = [new McpServer({ name: 'a', version: '0' }), new McpServer({ name: 'b', version: '0' })];
    for (const server of servers) instance.attach(server);
    for (const server of servers) {
      const client = new Client({ name: 'c', version: '0' });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(b);
      await client.connect(a);
      const result = (await client.callTool({ name: 'sink_greet', arguments: { name: 'v1' } })) as CallToolResult;
      expect(result.structuredContent).toEqual({ message: 'hello, v1' });
      await client.close();
    }
    await instance.close();
  });

  it('lets go of a server once it closes, connected or not', async () => {
    const instance = await createPackInstance(kitchenSinkPack(), { logSink: () => {}, sdk: 'v1' });
    const idle = new McpServer({ name: 'idle', version: '0' });
    instance.attach(idle);
    await idle.close();
    expect(() => instance.attach(idle)).not.toThrow();
    await instance.close();
  });
});
