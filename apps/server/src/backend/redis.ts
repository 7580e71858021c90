/**
 * The {@link Backend} of N replicas: Redis. Keys, all under the configured prefix (default `mcp-packs:`):
 * - `session:<id>`: the session's record (JSON), expiring after the idle time, renewed by every request;
 * - `events:<id>:<stream>`: a Redis stream per SSE stream of the session (the last {@link MAX_EVENTS_PER_STREAM}
 *   events), listed oldest first in the list `streams:<id>` (the last {@link MAX_STREAMS_PER_SESSION} kept), both
 *   expiring with the session;
 * - channel `session:<id>`: the session's signals (pub/sub), on a second connection, as Redis requires.
 *
 * Client library: `redis` (node-redis), the client Redis itself maintains: promises and TypeScript types built in,
 * streams and pub/sub as typed commands, and no native code. (ioredis is in maintenance mode.) Commands fail at once
 * while Redis is unreachable (no offline queue: a request should get an error, not hang), and the client reconnects
 * on its own.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { createClient } from 'redis';
import type { ServerLog } from '../log.js';
import {
  type Backend,
  eventId,
  MAX_EVENTS_PER_STREAM,
  MAX_STREAMS_PER_SESSION,
  parseEventId,
  type SessionRecord,
  type SessionSignal,
} from './backend.js';

/** Options of {@link connectRedisBackend}. */
export interface RedisBackendOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Prefix of every key and channel. Default `mcp-packs:`. */
  keyPrefix?: string;
  /** How long the first connection may take. Default 10 s. */
  connectTimeoutMs?: number;
}

/** The URL with any password hidden, for messages. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'the configured Redis URL';
  }
}

/** Connect to Redis; rejects with an actionable message when it cannot within the timeout. */
export async function connectRedisBackend(options: RedisBackendOptions, log: ServerLog): Promise<Backend> {
  const prefix = options.keyPrefix ?? 'mcp-packs:';
  const timeout = options.connectTimeoutMs ?? 10_000;
  let lastError = '';
  let reported = 0;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: timeout, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  client.on('error', (error: Error) => {
    lastError = error.message || String(error);
    // Once a minute at most: a Redis that is down would otherwise fill the log.
    if (Date.now() - reported > 60_000) {
      reported = Date.now();
      log.warning(`Redis (${shown(options.url)}): ${lastError}`);
    }
  });
  const subscriber = client.duplicate();
  subscriber.on('error', () => {});
  const connect = Promise.all([client.connect(), subscriber.connect()]);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      connect,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(lastError || 'timed out')), timeout);
      }),
    ]);
  } catch (error) {
    connect.catch(() => {});
    await Promise.allSettled([client.destroy(), subscriber.destroy()]);
    throw new Error(
      `cannot reach Redis at ${shown(options.url)} (transport.backend.redis): ${(error as Error).message}. Start Redis or fix the URL.`,
    );
  } finally {
    clearTimeout(timer);
  }

  const sessionKey = (id: string) => `${prefix}session:${id}`;
  const streamsKey = (id: string) => `${prefix}streams:${id}`;
  const eventsKey = (id: string, streamId: string) =>
    `${prefix}events:${id}:${Buffer.from(streamId).toString('base64url')}`;
  const channel = (id: string) => `${prefix}session:${id}`;

  return {
    shared: true,
    async saveSession(record: SessionRecord, ttlMs: number) {
      await client.set(sessionKey(record.id), JSON.stringify(record), { expiration: { type: 'PX', value: ttlMs } });
    },
    async touchSession(id, ttlMs) {
      const text = await client.getEx(sessionKey(id), { type: 'PX', value: ttlMs });
      if (text === null) return undefined;
      await client.pExpire(streamsKey(id), ttlMs);
      return JSON.parse(text) as SessionRecord;
    },
    async deleteSession(id) {
      const streams = await client.lRange(streamsKey(id), 0, -1);
      await client.del([sessionKey(id), streamsKey(id), ...streams]);
    },
    async signal(id, signal) {
      await client.publish(channel(id), JSON.stringify(signal));
    },
    async listen(id, listener) {
      const onMessage = (text: string) => {
        let signal: SessionSignal;
        try {
          signal = JSON.parse(text) as SessionSignal;
        } catch {
          return;
        }
        listener(signal);
      };
      await subscriber.subscribe(channel(id), onMessage);
      return async () => {
        await subscriber.unsubscribe(channel(id), onMessage).catch(() => {});
      };
    },
    eventStore(id, ttlMs) {
      /** Streams this replica has listed already (a stream is written by the replica that serves its request). */
      const listed = new Set<string>();
      return {
        async storeEvent(streamId: string, message: JSONRPCMessage) {
          const key = eventsKey(id, streamId);
          const fresh = !listed.has(key);
          if (fresh) {
            listed.add(key);
            // Only the newest streams get events still: forget the oldest names.
            if (listed.size > MAX_STREAMS_PER_SESSION * 4) listed.delete(listed.values().next().value as string);
          }
          const batch = client
            .multi()
            .xAdd(
              key,
              '*',
              { m: JSON.stringify(message) },
              { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: MAX_EVENTS_PER_STREAM } },
            )
            .pExpire(key, ttlMs);
          if (fresh) batch.rPush(streamsKey(id), key).pExpire(streamsKey(id), ttlMs);
          const replies = await batch.exec();
          const length = fresh ? Number(replies[2]) : 0;
          // Beyond the cap, the oldest streams of the session go.
          if (length > MAX_STREAMS_PER_SESSION) {
            const old = await client.lPopCount(streamsKey(id), length - MAX_STREAMS_PER_SESSION);
            if (old && old.length > 0) await client.del(old);
          }
          return eventId(streamId, String(replies[0]));
        },
        async getStreamIdForEventId(lastEventId: string) {
          return parseEventId(lastEventId)?.streamId;
        },
        async replayEventsAfter(lastEventId, { send }) {
          const parsed = parseEventId(lastEventId);
          if (!parsed || !/^\d+-\d+$/.test(parsed.position)) {
            throw new Error(`unknown event id ${JSON.stringify(lastEventId)}`);
          }
          const entries = await client.xRange(eventsKey(id, parsed.streamId), `(${parsed.position}`, '+');
          for (const entry of entries ?? []) {
            const text = entry.message.m;
            if (typeof text !== 'string') continue;
            await send(eventId(parsed.streamId, entry.id), JSON.parse(text) as JSONRPCMessage);
          }
          return parsed.streamId;
        },
      };
    },
    async close() {
      await Promise.allSettled([subscriber.close(), client.close()]);
    },
  };
}
