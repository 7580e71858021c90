/**
 * The stdio line transport on its own, over in-memory streams: lines over the limit are answered with their id
 * (read from their first or last bytes), and error messages are bounded. The CLI-level behaviour (bad JSON, batches)
 * is in cli.test.ts; the 64 MiB line through the real server is a case of hostile/tools.cases.ts.
 */
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { LineTransport, MAX_ERROR_MESSAGE_CHARS, skippedLineId } from '../src/transports/stdio.ts';

function open(maxLineBytes: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const transport = new LineTransport(stdin, stdout, { maxLineBytes });
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (message) => received.push(message);
  let written = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    written += chunk;
  });
  const lines = () =>
    written
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: unknown; error?: { code: number; message: string } });
  return { stdin, transport, received, lines };
}

describe('LineTransport', () => {
  it('answers a line over the limit with the id it ends with (as the SDK client writes it), and reads on', async () => {
    const { stdin, transport, received, lines } = open(1024);
    await transport.start();
    const big = 'a'.repeat(5000);
    // Written in pieces, as a pipe delivers it: the id arrives long after the limit was passed.
    const line = `{"method":"tools/call","params":{"name":"x","arguments":{"text":"${big}","id":"inner"}},"jsonrpc":"2.0","id":41}\n`;
    for (let i = 0; i < line.length; i += 700) stdin.write(line.slice(i, i + 700));
    stdin.write('{"jsonrpc":"2.0","id":42,"method":"tools/list"}\n');
    await expect.poll(() => received.length).toBe(1);
    expect(lines()).toEqual([
      { jsonrpc: '2.0', id: 41, error: { code: -32600, message: expect.stringMatching(/longer than 1024 bytes/) } },
    ]);
    expect(received[0]).toMatchObject({ id: 42, method: 'tools/list' });
  });

  it('reads the id from the start of the line too, and answers null when neither end shows one', async () => {
    const { stdin, transport, lines } = open(1024);
    await transport.start();
    const big = 'b'.repeat(3000);
    stdin.write(`{"jsonrpc":"2.0","id":"first","method":"tools/call","params":{"text":"${big}"}}\n`);
    stdin.write(`{"jsonrpc":"2.0","method":"tools/call","params":{"text":"${big}","id":"nested"}}\n`);
    await expect.poll(() => lines().length).toBe(2);
    expect(lines().map((line) => line.id)).toEqual(['first', null]);
  });

  it('finds ids only where the top-level object has them', () => {
    const at = (text: string) => skippedLineId(Buffer.from(text), Buffer.from(text));
    expect(at('{"jsonrpc":"2.0","id":7,"method":"x","params":{}}')).toBe(7);
    expect(at('{"method":"x","params":{},"jsonrpc":"2.0","id":"abc"}')).toBe('abc');
    expect(at('{"method":"x","params":{"id":5}}')).toBeNull();
    expect(at('{"method":"x","params":{"s":"\\",\\"id\\":5}"}')).toBeNull();
    expect(at('{"method":"x","id":1.5}')).toBeNull();
  });

  it('cuts an error message past the bound, never a result', async () => {
    const { transport, lines } = open(1024);
    await transport.start();
    const long = 'n'.repeat(5 * 1024 * 1024);
    await transport.send({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: `Tool ${long} not found` } });
    await transport.send({ jsonrpc: '2.0', id: 2, result: { text: long } } as JSONRPCMessage);
    await expect.poll(() => lines().length).toBe(2);
    const [error, result] = lines();
    expect(error?.error?.message.length).toBeLessThan(MAX_ERROR_MESSAGE_CHARS + 50);
    expect(error?.error?.message).toMatch(/^Tool n+… \(\d+ more characters\)$/);
    expect((result as { result?: { text: string } }).result?.text).toHaveLength(long.length);
  });
});
