import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_LIMITS } from './limits.js';
import { MathError } from './math-error.js';
import { createEvaluatorPool, type EvaluatorPool, type PoolEvent, type PoolOptions } from './pool.js';

const EXPONENTIAL = 'f(x) = x > 0 ? f(x - 1) + f(x - 1) : 1; f(60)';
const MEMORY_HOG =
  'a = ones(1000, 1000); b = a + 1; c = b + 1; d = c + 1; g = d + 1; h = g + 1; k = h + 1; l = k + 1; m = l + 1; n = m + 1; o = n + 1';

const pools: EvaluatorPool[] = [];
function pool(options: Partial<PoolOptions> = {}): EvaluatorPool {
  const created = createEvaluatorPool({
    limits: DEFAULT_ENGINE_LIMITS,
    timeoutMs: 2000,
    memoryLimitMb: 128,
    ...options,
  });
  pools.push(created);
  return created;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

async function rejection(promise: Promise<unknown>): Promise<MathError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MathError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Wait until `condition` holds (polling), failing after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const evaluate = (p: EvaluatorPool, expression: string, signal?: AbortSignal) =>
  p.run('evaluate', { expressions: [expression], batch: false }, signal);

describe('evaluator pool', () => {
  it('starts a worker on the first call, not at creation, and no other for sequential calls', async () => {
    const p = pool();
    expect(p.stats()).toMatchObject({ workers: 0, started: 0 });
    expect(await evaluate(p, '2 + 2')).toEqual({
      results: [{ expression: '2 + 2', value: '4', type: 'number', number: 4, latex: '4' }],
    });
    expect(await p.run('statistics', { values: [1, 2, 3], measures: ['mean'] })).toEqual({ mean: 2 });
    expect(p.stats()).toMatchObject({ workers: 1, started: 1 });
  });

  it('engine errors arrive as MathErrors and leave the worker in place', async () => {
    const p = pool();
    const error = await rejection(evaluate(p, 'evaluate("1")'));
    expect(error.code).toBe('forbidden');
    expect(p.stats()).toMatchObject({ replaced: 0 });
  });

  it('stops a call at the time limit, replaces the worker, and the next call succeeds', async () => {
    const events: PoolEvent[] = [];
    const p = pool({ timeoutMs: 500, onEvent: (event) => events.push(event) });
    const error = await rejection(evaluate(p, EXPONENTIAL));
    expect(error.code).toBe('time_limit');
    expect(error.message).toBe('The evaluation took longer than 500 ms and was stopped (time limit).');
    expect(error.hint).toMatch(/timeoutMs/);
    expect(error.details).toEqual({ limit: 'timeoutMs', max: 500 });
    expect(events.some((event) => event.type === 'worker_replaced' && event.reason === 'time_limit')).toBe(true);
    expect(await evaluate(p, '6 * 7')).toMatchObject({ results: [{ number: 42 }] });
    expect(p.stats()).toMatchObject({ replaced: 1, busy: 0 });
  });

  it('stops a call at the memory limit, replaces the worker, and the next call succeeds', async () => {
    const p = pool({ memoryLimitMb: 48, timeoutMs: 20_000 });
    const error = await rejection(evaluate(p, MEMORY_HOG));
    expect(error.code).toBe('memory_limit');
    expect(error.message).toBe('The evaluation needed more than 48 MB of memory and was stopped (memory limit).');
    expect(error.hint).toMatch(/memoryLimitMb/);
    expect(await evaluate(p, 'sqrt(16)')).toMatchObject({ results: [{ number: 4 }] });
    expect(p.stats().replaced).toBe(1);
  });

  it('BigNumber work past the limits is stopped too', async () => {
    const p = pool({ timeoutMs: 1000, memoryLimitMb: 64 });
    const error = await rejection(
      p.run('evaluate', { expressions: ['factorial(1e7)'], batch: false, numberType: 'BigNumber' }),
    );
    expect(['time_limit', 'memory_limit']).toContain(error.code);
    expect(await evaluate(p, '1 + 1')).toMatchObject({ results: [{ number: 2 }] });
  });

  it('recycles the worker after a stack overflow', async () => {
    const p = pool();
    const error = await rejection(evaluate(p, 'f(n) = f(n - 1) + 1; f(1)'));
    expect(error.code).toBe('recursion_limit');
    expect(await evaluate(p, '3^2')).toMatchObject({ results: [{ number: 9 }] });
    expect(p.stats().replaced).toBe(1);
  });

  it('a long call warms a spare, so the call after its kill finds a worker ready', async () => {
    const p = pool({ timeoutMs: 1500, maxWorkers: 2, spareAfterMs: 50 });
    await evaluate(p, '1');
    const error = await rejection(evaluate(p, EXPONENTIAL));
    expect(error.code).toBe('time_limit');
    // The spare started while the call ran; the kill started no other.
    expect(p.stats()).toMatchObject({ started: 2, replaced: 1, workers: 1 });
    expect(await evaluate(p, '6 * 7')).toMatchObject({ results: [{ number: 42 }] });
  });

  it('an answer that arrived while this process was busy past the deadline is taken, not killed', async () => {
    const p = pool({ timeoutMs: 200 });
    await evaluate(p, '1');
    const call = evaluate(p, '2 + 2');
    // Block this process's event loop well past the deadline; the worker answers meanwhile.
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      // busy
    }
    expect(await call).toMatchObject({ results: [{ number: 4 }] });
    expect(p.stats().replaced).toBe(0);
  });

  it('the time a fresh worker takes to warm a number type does not count against the call', async () => {
    // Making the BigNumber sandbox takes 0.1-0.2 s, well past this limit: only the evaluation itself is timed.
    const p = pool({ timeoutMs: 40, spareAfterMs: 60_000 });
    await evaluate(p, '1');
    const output = await p.run('evaluate', { expressions: ['1/3'], batch: false, numberType: 'BigNumber' });
    expect(output).toMatchObject({ results: [{ type: 'BigNumber' }] });
  });

  it('cancelling a running call terminates its worker at once', async () => {
    const p = pool({ timeoutMs: 60_000 });
    await evaluate(p, '1');
    const controller = new AbortController();
    const running = rejection(evaluate(p, EXPONENTIAL, controller.signal));
    await until(() => p.stats().busy === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    const error = await running;
    expect(error.code).toBe('cancelled');
    expect(p.stats()).toMatchObject({ busy: 0, replaced: 1 });
    expect(await evaluate(p, '2 * 21')).toMatchObject({ results: [{ number: 42 }] });
  });

  it('an aborted signal fails at once; a queued call can be cancelled without touching workers', async () => {
    const p = pool({ maxWorkers: 1, timeoutMs: 60_000 });
    expect((await rejection(evaluate(p, '1', AbortSignal.abort()))).code).toBe('cancelled');
    await evaluate(p, '1');
    const blocker = new AbortController();
    const blocking = rejection(evaluate(p, EXPONENTIAL, blocker.signal));
    const queued = new AbortController();
    const waiting = rejection(evaluate(p, '1', queued.signal));
    expect(p.stats()).toMatchObject({ busy: 1, queued: 1 });
    queued.abort();
    expect((await waiting).code).toBe('cancelled');
    expect(p.stats()).toMatchObject({ queued: 0, replaced: 0 });
    blocker.abort();
    expect((await blocking).code).toBe('cancelled');
  });

  it('runs calls in parallel up to maxWorkers, queues the rest, and refuses past maxQueue', async () => {
    const p = pool({ maxWorkers: 2, maxQueue: 1, timeoutMs: 60_000 });
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const calls = controllers.map((controller) => rejection(evaluate(p, EXPONENTIAL, controller.signal)));
    await until(() => p.stats().busy === 2);
    expect(p.stats()).toMatchObject({ workers: 2, busy: 2, queued: 1 });
    const busy = await rejection(evaluate(p, '1'));
    expect(busy.code).toBe('busy');
    expect(busy.retryable).toBe(true);
    for (const controller of controllers) controller.abort();
    for (const call of calls) expect((await call).code).toBe('cancelled');
  });

  it('a worker killed from outside fails its call as retryable, and is replaced', async () => {
    const events: PoolEvent[] = [];
    const p = pool({ timeoutMs: 60_000, onEvent: (event) => events.push(event) });
    await evaluate(p, '1');
    const running = rejection(evaluate(p, EXPONENTIAL));
    await until(() => p.stats().busy === 1);
    process.kill(p.stats().pids[0] as number, 'SIGKILL');
    const error = await running;
    expect(error.code).toBe('worker_crashed');
    expect(error.retryable).toBe(true);
    // Not necessarily the last events: a second worker may start meanwhile, when load makes the first look slow.
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'worker_replaced', reason: 'exited with signal SIGKILL' }),
    );
    expect(await evaluate(p, '2 ^ 5')).toMatchObject({ results: [{ number: 32 }] });
  });

  it('retires extra workers once idle', async () => {
    const p = pool({ maxWorkers: 2, idleTimeoutMs: 200 });
    await Promise.all([evaluate(p, 'det([1, 2; 3, 4])'), evaluate(p, 'det([4, 3; 2, 1])'), evaluate(p, '1')]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(p.stats().workers).toBe(1);
  });

  it('close fails pending calls, terminates every worker, and refuses new calls', async () => {
    const p = pool({ timeoutMs: 60_000 });
    const running = rejection(evaluate(p, EXPONENTIAL));
    await until(() => p.stats().busy === 1);
    await p.close();
    expect((await running).code).toBe('closed');
    expect(p.stats()).toMatchObject({ workers: 0, busy: 0 });
    expect((await rejection(evaluate(p, '1'))).code).toBe('closed');
  });

  it('a worker that cannot start fails the waiting calls instead of restarting forever', async () => {
    const events: PoolEvent[] = [];
    const p = pool({ workerUrl: pathToFileURL('/nonexistent/worker.js'), onEvent: (event) => events.push(event) });
    const error = await rejection(evaluate(p, '1'));
    expect(error.code).toBe('worker_crashed');
    expect(error.retryable).toBe(true);
    expect(events.filter((event) => event.type === 'worker_started').length).toBeLessThanOrEqual(2);
  });
});
