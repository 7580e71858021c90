// test-era: once (no protocol involved: the backends' contract, on memory and on a real redis-server)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  createMemoryBackend,
  MAX_STREAMS_PER_SESSION,
  type SessionSignal,
} from '../src/backend/backend.ts';
import { connectRedisBackend } from '../src/backend/redis.ts';
import { createServerLog } from '../src/log.ts';
import { tempDir } from './helpers.ts';
import { type Service, startRedis } from './replicas-harness.ts';

const record = (id: string) => ({
  id,
  path: '/mcp',
  initialize: { jsonrpc: '2.0' as const, id: 1, method: 'initialize' },
});
const message = (n: number) => ({ jsonrpc: '2.0' as const, method: 'notifications/message', params: { n } });

const dir = tempDir('mcp-packs-backend-');
let redis: Service & { url: string };
const log = createServerLog({ level: 'error', stderr: process.stderr });

beforeAll(async () => {
  redis = await startRedis(dir.path);
});
afterAll(async () => {
  await redis?.stop();
  dir.cleanup();
});

const backends: Record<string, () => Promise<[Backend, Backend]>> = {
  memory: async () => {
    const one = createMemoryBackend();
    return [one, one];
  },
  redis: async () => {
    // Two connections, as two replicas have: one writes, the other reads.
    const keyPrefix = `test-${Math.random().toString(36).slice(2)}:`;
    return [
      await connectRedisBackend({ url: redis.url, keyPrefix }, log),
      await connectRedisBackend({ url: redis.url, keyPrefix }, log),
    ];
  },
};

for (const [name, make] of Object.entries(backends)) {
  describe(`the ${name} backend`, () => {
    it('keeps a session record for its idle time, renewed by each touch, gone on delete', async () => {
      const [a, b] = await make();
      await a.saveSession(record('s1'), 300);
      expect(await b.touchSession('s1', 300)).toEqual(record('s1'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await b.touchSession('s1', 300)).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await a.touchSession('s1', 300)).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect(await a.touchSession('s1', 300)).toBeUndefined();
      await a.saveSession(record('s2'), 10_000);
      await b.deleteSession('s2');
      expect(await a.touchSession('s2', 10_000)).toBeUndefined();
      await Promise.all([a.close(), b.close()]);
    });

    it("carries a session's signals to every listener, and stops on unlisten", async () => {
      const [a, b] = await make();
      const got: SessionSignal[] = [];
      const stop = await b.listen('s3', (signal) => got.push(signal));
      await a.signal('s3', { kind: 'to-stream', message: message(1) });
      await a.signal('s4', { kind: 'closed' });
      await expect.poll(() => got).toEqual([{ kind: 'to-stream', message: message(1) }]);
      await stop();
      await a.signal('s3', { kind: 'closed' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(got).toHaveLength(1);
      await Promise.all([a.close(), b.close()]);
    });

    it('replays the events of a stream after a given id, on another replica, keeping the newest streams', async () => {
      const [a, b] = await make();
      await a.saveSession(record('s5'), 10_000);
      const writer = a.eventStore('s5', 10_000);
      const ids = [];
      for (let n = 0; n < 4; n++) ids.push(await writer.storeEvent('stream-1', message(n)));
      const replayed: [string, unknown][] = [];
      const reader = b.eventStore('s5', 10_000);
      expect(await reader.getStreamIdForEventId?.(ids[1] as string)).toBe('stream-1');
      const stream = await reader.replayEventsAfter(ids[1] as string, {
        send: async (id, event) => void replayed.push([id, event]),
      });
      expect(stream).toBe('stream-1');
      expect(replayed).toEqual([
        [ids[2], message(2)],
        [ids[3], message(3)],
      ]);
      // Beyond the cap, the oldest stream is forgotten: resuming it replays nothing.
      for (let s = 2; s <= MAX_STREAMS_PER_SESSION + 1; s++) await writer.storeEvent(`stream-${s}`, message(s));
      const late: unknown[] = [];
      await reader.replayEventsAfter(ids[0] as string, { send: async (_id, event) => void late.push(event) });
      expect(late).toEqual([]);
      await expect(reader.replayEventsAfter('not-an-id', { send: async () => {} })).rejects.toThrow(/unknown event id/);
      await Promise.all([a.close(), b.close()]);
    });
  });
}
