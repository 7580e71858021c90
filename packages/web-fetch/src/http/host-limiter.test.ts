import { describe, expect, it } from 'vitest';
import { createHostLimiter } from './host-limiter.js';

describe('createHostLimiter', () => {
  it('admits up to the limit per host, queues the rest in order, and forgets idle hosts', async () => {
    const limiter = createHostLimiter(2);
    const a = await limiter.acquire('a.test');
    const b = await limiter.acquire('a.test');
    const other = await limiter.acquire('b.test');
    const order: number[] = [];
    const third = limiter.acquire('a.test').then((release) => {
      order.push(3);
      return release;
    });
    const fourth = limiter.acquire('a.test').then((release) => {
      order.push(4);
      return release;
    });
    expect(limiter.stats('a.test')).toEqual({ active: 2, waiting: 2 });
    a();
    a(); // releasing twice is harmless
    (await third)();
    b();
    (await fourth)();
    other();
    expect(order).toEqual([3, 4]);
    expect(limiter.stats('a.test')).toEqual({ active: 0, waiting: 0 });
    expect(limiter.stats('b.test')).toEqual({ active: 0, waiting: 0 });
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = createHostLimiter(1);
    const held = await limiter.acquire('a.test');
    const controller = new AbortController();
    const waiting = limiter.acquire('a.test', controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(limiter.stats('a.test')).toEqual({ active: 1, waiting: 0 });
    held();
    expect(limiter.stats('a.test')).toEqual({ active: 0, waiting: 0 });
  });
});
