import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { kitchenSinkPack } from './fixtures/kitchen-sink.js';
import type { LogEntry } from './log.js';
import { definePack } from './pack.js';
import { connectPack, ERROR_META_KEY, errorCode, resultText, structured } from './testing/index.js';
import { defineTool } from './tool.js';

describe('results', () => {
  it('a plain object becomes structuredContent plus its text rendering', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { config: { greeting: 'hi' } });
    const result = await conn.callTool('greet', { name: 'Ada', times: 2 });
    expect(structured(result)).toEqual({ message: 'hi, Ada hi, Ada' });
    expect(resultText(result)).toBe('hi, Ada hi, Ada');
  });

  it('a plain object without outputSchema is sent as JSON text and structured content', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    const result = await conn.callTool('write_note', { id: 'n1', text: 'x' });
    expect(structured(result)).toEqual({ stored: 'n1' });
    expect(JSON.parse(resultText(result))).toEqual({ stored: 'n1' });
  });

  it('content blocks pass through as they are', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { prefix: 'pics' });
    const result = await conn.callTool('picture');
    expect(result.content).toEqual([
      { type: 'image', data: Buffer.from('png').toString('base64'), mimeType: 'image/png' },
      { type: 'resource_link', uri: 'sink://pics/notes/a1', name: 'a1' },
    ]);
  });

  it('lists the output schema and annotations', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    const { tools } = await conn.client.listTools();
    const greet = tools.find((t) => t.name === 'sink_greet');
    expect(greet?.outputSchema).toMatchObject({ type: 'object', properties: { message: { type: 'string' } } });
    expect(greet?.inputSchema).toMatchObject({ properties: { name: { type: 'string', description: 'Who to greet' } } });
    expect(greet?.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
  });
});

describe('errors', () => {
  it('a ToolError becomes an isError result with code, hint and details the model and client can act on', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    const result = await conn.callTool('fail_expected', { id: 'zz' });
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('not_found');
    expect(result._meta?.[ERROR_META_KEY]).toEqual({ code: 'not_found', retryable: false, details: { id: 'zz' } });
    expect(resultText(result)).toBe('[not_found] No note with id "zz".\nHint: Call sink_list to see the ids.');
  });

  it('invalid input is an isError result naming the field and the expectation', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    const result = await conn.callTool('greet', { name: 42, times: 9 });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toMatch(/name/);
    expect(text).toMatch(/expected string/i);
    expect(text).toMatch(/times/);
    expect(errorCode(result)).toBe('invalid_input');
    expect(text).toContain('Hint:');
  });

  it('invalid input to a union says what each accepted form wanted', async () => {
    const pack = definePack({
      name: 'forms',
      description: 'One tool with a union input.',
      tools: {
        run: defineTool({
          description: 'Run one expression or several.',
          inputSchema: z.object({ expression: z.union([z.string(), z.array(z.string())]) }),
          annotations: { readOnlyHint: true },
          execute: () => 'ran',
        }),
      },
    });
    await using conn = await connectPack(pack);
    const result = await conn.callTool('run', { expression: 42 });
    expect(errorCode(result)).toBe('invalid_input');
    expect(resultText(result)).toContain('expression: Invalid input, none of its accepted forms fits');
    expect(resultText(result)).toContain('expected string, received number | Invalid input: expected array');
  });

  it('invalid input lists the first ten issues and counts the rest, each cut short: no answer larger than the call', async () => {
    const pack = definePack({
      name: 'bulk',
      description: 'One tool with an array input and a strict object.',
      tools: {
        sum: defineTool({
          description: 'Add numbers.',
          inputSchema: z.object({ values: z.array(z.number()), options: z.strictObject({}).optional() }),
          annotations: { readOnlyHint: true },
          execute: ({ values }) => String(values.reduce((a, b) => a + b, 0)),
        }),
      },
    });
    await using conn = await connectPack(pack);
    const result = await conn.callTool('sum', { values: Array.from({ length: 20_000 }, () => 'x') });
    expect(errorCode(result)).toBe('invalid_input');
    const text = resultText(result);
    expect(text).toContain('values.0: Invalid input: expected number, received string');
    expect(text).toContain('values.9: ');
    expect(text).not.toContain('values.10: ');
    expect(text).toContain('; and 19990 more issues\nHint:');
    const meta = result._meta?.[ERROR_META_KEY] as { details?: { issues: unknown[]; moreIssues?: number } } | undefined;
    const details = meta?.details;
    expect(details?.issues).toHaveLength(10);
    expect(details?.moreIssues).toBe(19_990);
    // A strict object names the keys it does not know: a key of 100,000 characters is not quoted whole.
    const strict = await conn.callTool('sum', { values: [1], options: { ['k'.repeat(100_000)]: 1 } });
    expect(errorCode(strict)).toBe('invalid_input');
    expect(resultText(strict).length).toBeLessThan(1000);
    expect(resultText(strict)).toMatch(/Unrecognized key: "k+… \(\d+ more characters\)/);
  });

  it('a throwing handler gives a short message with an error id, no stack, and the server keeps serving', async () => {
    const entries: LogEntry[] = [];
    await using conn = await connectPack(kitchenSinkPack(), { logSink: (entry) => entries.push(entry) });
    const result = await conn.callTool('fail_unexpected');
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('internal_error');
    const text = resultText(result);
    const id = (result._meta?.[ERROR_META_KEY] as { errorId?: string } | undefined)?.errorId ?? 'missing';
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(text).toContain(id);
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(text).not.toContain('/srv/app');
    const logged = entries.find((entry) => entry.level === 'error');
    expect(logged?.message).toContain(id);
    expect(logged?.error).toBeInstanceOf(Error);
    expect((logged?.error as Error | undefined)?.stack).toContain('kitchen-sink');
    expect(structured(await conn.callTool('greet', { name: 'still here' }))).toEqual({ message: 'hello, still here' });
  });

  it('output that breaks the outputSchema is caught and reported as an internal error', async () => {
    const entries: LogEntry[] = [];
    await using conn = await connectPack(kitchenSinkPack(), { logSink: (entry) => entries.push(entry) });
    const result = await conn.callTool('bad_output');
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('internal_error');
    expect(resultText(result)).toContain('did not match its output schema');
    expect(result.structuredContent).toBeUndefined();
    expect(entries.some((entry) => entry.message.includes('count'))).toBe(true);
  });
});

describe('cancellation', () => {
  it('notifications/cancelled reaches the handler signal', async () => {
    const events: string[] = [];
    await using conn = await connectPack(kitchenSinkPack(events));
    const controller = new AbortController();
    const pending = conn.callTool('slow', { steps: 1000 }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort('user pressed stop');
    await expect(pending).rejects.toThrow();
    await expect.poll(() => events).toContain('slow:aborted');
    expect(structured(await conn.callTool('greet', { name: 'after' }))).toEqual({ message: 'hello, after' });
  });
});

describe('progress', () => {
  it('arrives in order, increasing, only when the client asked for it', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const result = await conn.callTool('slow', { steps: 5 }, { onProgress: (p) => seen.push(p) });
    expect(structured(result)).toEqual({ done: 5 });
    expect(seen).toEqual([1, 2, 3, 4, 5].map((i) => ({ progress: i, total: 5, message: `step ${i}` })));
  });

  it('is a no-op without a progress token', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    const result = await conn.callTool('slow', { steps: 3 });
    expect(structured(result)).toEqual({ done: 3 });
  });
});

describe('logging', () => {
  it('2025 era: sends call logs to the client at or above the level set with logging/setLevel', async () => {
    await using conn = await connectPack(kitchenSinkPack(), { logSink: () => {}, protocol: '2025-11-25' });
    await conn.client.setLoggingLevel('warning');
    await conn.callTool('chatty');
    await expect.poll(() => conn.logs.length).toBe(2);
    expect(conn.logs).toEqual([
      { level: 'warning', logger: 'sink', data: 'warning line' },
      { level: 'error', logger: 'sink', data: 'error line' },
    ]);
    await conn.client.setLoggingLevel('debug');
    conn.logs.length = 0;
    await conn.callTool('chatty');
    await expect.poll(() => conn.logs.map((l) => l.level)).toEqual(['debug', 'info', 'warning', 'error']);
    expect(conn.logs[1]).toEqual({ level: 'info', logger: 'sink', data: { message: 'info line', data: { n: 1 } } });
  });

  it('2026 era: sends call logs at or above the level the request names, and none when it names none', async () => {
    await using warnings = await connectPack(kitchenSinkPack(), {
      logSink: () => {},
      protocol: '2026-07-28',
      logLevel: 'warning',
    });
    await warnings.callTool('chatty');
    await expect.poll(() => warnings.logs.map((l) => l.level)).toEqual(['warning', 'error']);
    expect(warnings.logs[0]).toEqual({ level: 'warning', logger: 'sink', data: 'warning line' });

    await using silent = await connectPack(kitchenSinkPack(), {
      logSink: () => {},
      protocol: '2026-07-28',
      logLevel: null,
    });
    expect((await silent.callTool('chatty')).isError).toBeUndefined();
    expect(silent.logs).toEqual([]);
  });

  it('always writes call logs to the server sink', async () => {
    const entries: LogEntry[] = [];
    await using conn = await connectPack(kitchenSinkPack(), { logSink: (entry) => entries.push(entry), prefix: 'k' });
    await conn.callTool('chatty');
    expect(entries.map((entry) => `${entry.source}:${entry.level}`)).toEqual([
      'k:debug',
      'k:info',
      'k:warning',
      'k:error',
    ]);
  });
});

describe('client roots', () => {
  it('reports undefined when the client has no roots capability', async () => {
    await using conn = await connectPack(kitchenSinkPack());
    expect(structured(await conn.callTool('list_roots'))).toEqual({ roots: null });
  });

  it('2025 era: lists the client roots and refreshes them on roots/list_changed', async () => {
    await using conn = await connectPack(kitchenSinkPack(), {
      roots: [{ uri: 'file:///tmp/a', name: 'a' }],
      protocol: '2025-11-25',
    });
    expect(structured(await conn.callTool('list_roots'))).toEqual({ roots: [{ uri: 'file:///tmp/a', name: 'a' }] });
    await conn.setRoots([{ uri: 'file:///tmp/b' }]);
    await expect
      .poll(async () => structured(await conn.callTool('list_roots')))
      .toEqual({ roots: [{ uri: 'file:///tmp/b' }] });
  });
});

describe('client roots in the 2026 era', () => {
  it('reports undefined: roots are deprecated there, and asking would cost a round trip per call', async () => {
    await using conn = await connectPack(kitchenSinkPack(), {
      roots: [{ uri: 'file:///tmp/a' }],
      protocol: '2026-07-28',
    });
    expect(structured(await conn.callTool('list_roots'))).toEqual({ roots: null });
  });
});

describe('the call context', () => {
  it('can be destructured: progress, roots and resourceUri keep working', async () => {
    const pack = definePack({
      name: 'destructure',
      description: 'Destructures its call context.',
      tools: ({ defineTool }) => ({
        go: defineTool({
          description: 'Use every call helper through destructuring.',
          inputSchema: z.object({}),
          annotations: { readOnlyHint: true },
          execute: async (_input, { progress, roots, resourceUri, log, signal }) => {
            await progress(1, 2, 'half');
            log.info('fine');
            return { roots: (await roots()) ?? null, uri: resourceUri('x://y'), aborted: signal.aborted };
          },
        }),
      }),
    });
    await using conn = await connectPack(pack, {
      roots: [{ uri: 'file:///r' }],
      logSink: () => {},
      protocol: '2025-11-25',
    });
    const seen: number[] = [];
    const result = await conn.callTool('go', {}, { onProgress: (p) => seen.push(p.progress) });
    expect(structured(result)).toEqual({ roots: [{ uri: 'file:///r' }], uri: 'x://destructure/y', aborted: false });
    expect(seen).toEqual([1]);
  });
});
