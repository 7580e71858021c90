/**
 * The time limit of math_plot, waited out in a worker pool of its own (an integration test, as evaluate's limits are).
 *
 * test-era: once. The limit is the engine's, the same in both protocol eras.
 */
import { connectPack, errorCode } from '@mcp-packs/core/testing';
import { expect, it } from 'vitest';
import { mathPack } from '../pack.js';

it('stops a plot past the time limit, as evaluate does', async () => {
  await using slow = await connectPack(mathPack, { logSink: () => {}, config: { timeoutMs: 200 } });
  const result = await slow.callTool('plot', { expression: 'sum(1:200000) * x', points: 1000 });
  expect(errorCode(result)).toBe('time_limit');
});
