/**
 * `writes: "ask"` on an SDK v1 `McpServer` (what core's v1 adapter serves, and what the composer mounts on today):
 * there the question is a real `elicitation/create` request and the tool waits for the answer inside the call, so
 * the files can change while the user reads. A yes must then not apply a change the user did not see.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ERROR_META_KEY } from '@mcp-packs/core';
import { mountPack } from '@mcp-packs/core/host';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type CallToolResult, CallToolResultSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { filesystemPack } from '../pack.js';

type Answer = { action: 'accept' | 'decline' | 'cancel' };

async function connectV1(root: string, elicit?: (message: string) => Promise<Answer> | Answer) {
  const server = new McpServer({ name: 'v1', version: '0' }, { capabilities: { logging: {} } });
  const mounted = await mountPack(server, filesystemPack, {
    config: { roots: [root], writes: 'ask', allowDelete: true },
    logSink: () => {},
  });
  const client = new Client({ name: 'v1-client', version: '0' }, { capabilities: elicit ? { elicitation: {} } : {} });
  const messages: string[] = [];
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      messages.push(request.params.message);
      return elicit(request.params.message);
    });
  }
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  await client.connect(a);
  return {
    messages,
    call: async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name: `fs_${name}`, arguments: args }, CallToolResultSchema)) as CallToolResult,
    async [Symbol.asyncDispose]() {
      await client.close();
      await mounted.close();
      await server.close();
    },
  };
}

const code = (result: CallToolResult) => (result._meta?.[ERROR_META_KEY] as { code?: string } | undefined)?.code;

describe('writes: "ask" on a v1 server (the answer arrives inside the call)', () => {
  it('applies an approved edit, and refuses a declined one', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a.txt': 'one\ntwo\n' });
    let answer: Answer = { action: 'accept' };
    await using conn = await connectV1(dir.path, () => answer);
    const edit = { path: 'a.txt', edits: [{ oldText: 'two', newText: 'three' }] };
    expect((await conn.call('edit_file', edit)).isError).toBeFalsy();
    expect(conn.messages[0]).toContain('-two\n+three');
    expect(await readFile(dir.join('a.txt'), 'utf8')).toBe('one\nthree\n');
    answer = { action: 'decline' };
    expect(code(await conn.call('edit_file', { path: 'a.txt', edits: [{ oldText: 'one', newText: '1' }] }))).toBe(
      'write_declined',
    );
    expect(await readFile(dir.join('a.txt'), 'utf8')).toBe('one\nthree\n');
  });

  it('refuses (changed_during_approval) when the file changed while the user was deciding', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a.txt': 'one\ntwo\n', 'd/x.txt': 'x' });
    const theirs = 'one\ntwo\nthree (theirs)\n';
    await using conn = await connectV1(dir.path, async (message) => {
      if (message.startsWith('Overwrite')) await writeFile(dir.join('a.txt'), theirs);
      if (message.startsWith('Delete')) await writeFile(dir.join('d/new.txt'), 'new');
      if (message.startsWith('Edit')) await writeFile(dir.join('a.txt'), 'one\ntwo\n// theirs\n');
      return { action: 'accept' };
    });
    const overwrite = await conn.call('write_file', { path: 'a.txt', content: 'mine\n', mode: 'overwrite' });
    expect(code(overwrite)).toBe('changed_during_approval');
    expect(await readFile(dir.join('a.txt'), 'utf8')).toBe(theirs);

    const edit = await conn.call('edit_file', { path: 'a.txt', edits: [{ oldText: 'one', newText: '1' }] });
    expect(code(edit)).toBe('changed_during_approval');
    expect(await readFile(dir.join('a.txt'), 'utf8')).toBe('one\ntwo\n// theirs\n');

    const remove = await conn.call('delete', { path: 'd', recursive: true });
    expect(code(remove)).toBe('changed_during_approval');
    expect(await readFile(dir.join('d/new.txt'), 'utf8')).toBe('new');
    expect(conn.messages).toHaveLength(3);
  });

  it('refuses with approval_unavailable when the client cannot ask', async () => {
    await using dir = await tempDir();
    await using conn = await connectV1(dir.path);
    const result = await conn.call('write_file', { path: 'n.txt', content: 'x' });
    expect(code(result)).toBe('approval_unavailable');
    await expect(readFile(dir.join('n.txt'))).rejects.toThrow(/ENOENT/);
  });
});
