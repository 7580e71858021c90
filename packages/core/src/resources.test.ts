import { describe, expect, it } from 'vitest';
import { kitchenSinkPack } from './fixtures/kitchen-sink.js';
import { connectPack } from './testing/index.js';

describe('resources', () => {
  it('reads a fixed resource with its mime type', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { config: { greeting: 'hey' } });
    const result = await conn.client.readResource({ uri: 'sink://sink/about' });
    expect(result.contents).toEqual([{ uri: 'sink://sink/about', mimeType: 'text/plain', text: 'greeting=hey' }]);
  });

  it('reads through a template, lists its resources and completes its variable', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { prefix: 'w' });
    const read = await conn.client.readResource({ uri: 'sink://w/notes/b2' });
    expect(read.contents).toEqual([{ uri: 'sink://w/notes/b2', mimeType: 'text/markdown', text: 'Beta' }]);
    const { resources } = await conn.client.listResources();
    expect(resources).toEqual(
      expect.arrayContaining([expect.objectContaining({ uri: 'sink://w/notes/a1', name: 'a1' })]),
    );
    const completion = await conn.client.complete({
      ref: { type: 'ref/resource', uri: 'sink://w/notes/{id}' },
      argument: { name: 'id', value: 'b' },
    });
    expect(completion.completion.values).toEqual(['b2']);
  });

  it('a missing resource is a protocol error (invalid params, as MCP 2026-07-28 asks in every era) with a clear message', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    await expect(conn.client.readResource({ uri: 'sink://sink/notes/zz' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('No note "zz"'),
    });
  });
});

describe('prompts', () => {
  it('gets a prompt with validated arguments and completes them', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    const prompt = await conn.client.getPrompt({ name: 'sink_summarize', arguments: { id: 'a1' } });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Summarise this note: Alpha' } }]);
    const { prompts } = await conn.client.listPrompts();
    expect(prompts[0]?.arguments).toEqual([{ name: 'id', description: 'The note id', required: true }]);
    const completion = await conn.client.complete({
      ref: { type: 'ref/prompt', name: 'sink_summarize' },
      argument: { name: 'id', value: 'a' },
    });
    expect(completion.completion.values).toEqual(['a1']);
  });

  it('two mounts of one pack keep separate prompt completions', async () => {
    const first = await connectPack(kitchenSinkPack(), { prefix: 'one' });
    const second = await connectPack(kitchenSinkPack(), { prefix: 'two' });
    second.mounted.services.notes.set('a9', 'Other');
    const values = async (conn: typeof first, name: string) =>
      (await conn.client.complete({ ref: { type: 'ref/prompt', name }, argument: { name: 'id', value: 'a' } }))
        .completion.values;
    expect(await values(first, 'one_summarize')).toEqual(['a1']);
    expect(await values(second, 'two_summarize')).toEqual(['a1', 'a9']);
    await first.close();
    await second.close();
  });
});
