import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CallGate, createSlicer } from './time-slice.js';

/** Background work: steps of about `stepMs` of busy time each, calling the slicer between them. */
function background(gate: CallGate, stepMs: number) {
  const state = { steps: 0, stop: false };
  const slice = createSlicer(8, gate);
  const done = (async () => {
    while (!state.stop) {
      const until = performance.now() + stepMs;
      while (performance.now() < until) {}
      state.steps++;
      await (slice() ?? undefined);
    }
  })();
  return Object.assign(state, { done });
}

describe('background work gives way to calls', () => {
  it('does not run while a call is served, and goes on once it is done', async () => {
    const gate = new CallGate();
    const work = background(gate, 0.5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    let release = () => {};
    const call = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    // The slice running when the call came may finish; after that, nothing until the call is done.
    for (let i = 0; i < 3; i++) await yieldToLoop();
    const during = work.steps;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(work.steps).toBe(during);
    release();
    await call;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(work.steps).toBeGreaterThan(during);
    work.stop = true;
    await work.done;
  });

  it('runs at full pace when a call waits for it (urgent), so a call never waits on itself', async () => {
    const gate = new CallGate();
    const result = await gate.run(() =>
      gate.urgent(async () => {
        const slice = createSlicer(1, gate);
        let steps = 0;
        const until = performance.now() + 20;
        while (performance.now() < until) {
          steps++;
          await (slice() ?? undefined);
        }
        return steps;
      }),
    );
    expect(result).toBeGreaterThan(0);
  });

  it('takes short slices between back-to-back calls', () => {
    const gate = new CallGate();
    expect(gate.budget(8)).toBe(8);
    void gate.run(async () => {});
    expect(gate.budget(8)).toBe(1);
    expect(gate.wait()).toBeInstanceOf(Promise);
  });
});
