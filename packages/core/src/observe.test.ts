import { describe, expect, it } from 'vitest';
import { kitchenSinkPack } from './fixtures/kitchen-sink.js';
import type { LogEntry } from './log.js';
import type { CallObserver, ToolCallEnd, ToolCallStart } from './observe.js';
import { connectPack, errorCode, TEST_PROTOCOLS } from './testing/index.js';

/** An observer that records what it hears. */
function recorder() {
  const calls: { start: ToolCallStart; end?: ToolCallEnd }[] = [];
  const observer: CallObserver = {
    toolCall(start) {
      const entry: { start: ToolCallStart; end?: ToolCallEnd } = { start };
      calls.push(entry);
      return (end) => {
        entry.end = end;
      };
    },
  };
  return { calls, observer };
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe.each(TEST_PROTOCOLS)('call observer (%s)', (protocol) => {
  it('hears each tool call start and end with names, _meta and outcome, never the arguments', async () => {
    const { calls, observer } = recorder();
    await using conn = await connectPack(kitchenSinkPack(), {
      protocol,
      observer,
      config: { greeting: 'hi' },
      logSink: () => {},
    });
    await conn.client.callTool({
      name: 'sink_greet',
      arguments: { name: 'Ada-secret-argument' },
      _meta: { traceparent: TRACEPARENT, tracestate: 'vendor=1' },
    });
    expect(errorCode(await conn.callTool('fail_expected', { id: 'n9' }))).toBe('not_found');
    expect(errorCode(await conn.callTool('greet', { name: 42 }))).toBe('invalid_input');
    expect(errorCode(await conn.callTool('fail_unexpected'))).toBe('internal_error');

    expect(calls.map(({ start, end }) => [start.pack, start.tool, start.name, end])).toEqual([
      ['sink', 'greet', 'sink_greet', { outcome: 'ok' }],
      ['sink', 'fail_expected', 'sink_fail_expected', { outcome: 'error', errorCode: 'not_found' }],
      ['sink', 'greet', 'sink_greet', { outcome: 'error', errorCode: 'invalid_input' }],
      ['sink', 'fail_unexpected', 'sink_fail_unexpected', { outcome: 'error', errorCode: 'internal_error' }],
    ]);
    expect(calls[0]?.start.meta).toMatchObject({ traceparent: TRACEPARENT, tracestate: 'vendor=1' });
    expect(JSON.stringify(calls)).not.toContain('Ada-secret-argument');
  });

  it('a cancelled call ends as cancelled', async () => {
    const { calls, observer } = recorder();
    await using conn = await connectPack(kitchenSinkPack(), { protocol, observer });
    const controller = new AbortController();
    const pending = conn.callTool('slow', { steps: 1000 }, { signal: controller.signal }).catch(() => undefined);
    await expect.poll(() => calls.length).toBe(1);
    controller.abort();
    await pending;
    await expect.poll(() => calls[0]?.end).toEqual({ outcome: 'error', errorCode: 'cancelled' });
  });

  it('an observer that throws is logged and the call still answers', async () => {
    const logs: LogEntry[] = [];
    const observer: CallObserver = {
      toolCall() {
        throw new Error('observer bug');
      },
    };
    await using conn = await connectPack(kitchenSinkPack(), {
      protocol,
      observer,
      config: { greeting: 'hi' },
      logSink: (entry) => logs.push(entry),
    });
    const result = await conn.callTool('greet', { name: 'Ada' });
    expect(result.isError).toBeFalsy();
    expect(logs.some((entry) => entry.message === 'the call observer failed')).toBe(true);
  });
});
