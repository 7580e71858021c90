/**
 * What replicas of one server share: the records of 2025-era sessions, a bus that carries a session's messages to
 * the replicas that hold it, and the events of its streams (for `Last-Event-ID`). One small interface, two
 * implementations: {@link createMemoryBackend} (one process; the default) and a Redis one (`redis.ts`, for N
 * replicas behind a load balancer). Request state and cursors need none of this: they travel sealed through the
 * client (the state secret).
 */
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

/** A 2025-era session as every replica can rebuild it: where it was opened and the client's `initialize`. */
export interface SessionRecord {
  readonly id: string;
  /** The endpoint path it was opened at (`/mcp`, `/mcp/<preset>`): it is good there only. */
  readonly path: string;
  /** The client's initialize request, replayed to rebuild the session's server on another replica. */
  readonly initialize: JSONRPCMessage;
}

/** What goes over a session's channel between replicas. */
export type SessionSignal =
  /** A message from the client (a response to a server's request), for the replica that asked. */
  | { readonly kind: 'from-client'; readonly message: JSONRPCMessage }
  /** A server message for the session's standalone stream (GET), for the replica that holds it. */
  | { readonly kind: 'to-stream'; readonly message: JSONRPCMessage }
  /** The session ended (DELETE): every replica drops its copy. */
  | { readonly kind: 'closed' };

/** The shared state of a server's replicas. */
export interface Backend {
  /** `true` when other processes share it (replicas); `false` for the in-process default. */
  readonly shared: boolean;
  /** Keep a session's record for `ttlMs` (renewed by {@link touchSession}). */
  saveSession(record: SessionRecord, ttlMs: number): Promise<void>;
  /** The record of a live session, its time to live renewed to `ttlMs`; `undefined` when it ended or expired. */
  touchSession(id: string, ttlMs: number): Promise<SessionRecord | undefined>;
  /** End a session for every replica: its record and its events are gone. */
  deleteSession(id: string): Promise<void>;
  /** Send a signal to every replica that listens on the session's channel (this one included). */
  signal(id: string, signal: SessionSignal): Promise<void>;
  /** Listen on a session's channel; resolves once listening, with the way to stop. */
  listen(id: string, listener: (signal: SessionSignal) => void): Promise<() => Promise<void>>;
  /** The event store of one session's streams, for resumability (`Last-Event-ID`). */
  eventStore(id: string, ttlMs: number): EventStore;
  close(): Promise<void>;
}

/** The most events kept per stream: a client that reconnects later than this many events misses the oldest. */
export const MAX_EVENTS_PER_STREAM = 1000;

/**
 * The most streams kept per session (each POST answered with SSE is one): the oldest is forgotten beyond, so a
 * long session does not keep every answer it was ever sent. Resuming is for the streams a client just lost.
 */
export const MAX_STREAMS_PER_SESSION = 16;

/** An event id: the stream (base64url, so it cannot contain the separator) and the position in it. */
export function eventId(streamId: string, position: string): string {
  return `${Buffer.from(streamId).toString('base64url')}.${position}`;
}

/** The stream and position of an event id, or `undefined` for one this server did not make. */
export function parseEventId(id: string): { streamId: string; position: string } | undefined {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) return undefined;
  const streamId = Buffer.from(id.slice(0, dot), 'base64url').toString('utf8');
  return streamId === '' ? undefined : { streamId, position: id.slice(dot + 1) };
}

interface MemorySession {
  record: SessionRecord;
  expires: number;
  listeners: Set<(signal: SessionSignal) => void>;
  /** Events by stream, each with its position (a counter). */
  streams: Map<string, { position: number; message: JSONRPCMessage }[]>;
}

/**
 * The backend of one process: sessions, channels and events in memory, with the same semantics as the shared one
 * (records expire, signals are delivered asynchronously, a session keeps its last {@link MAX_STREAMS_PER_SESSION}
 * streams of {@link MAX_EVENTS_PER_STREAM} events at most), so one code path serves both.
 */
export function createMemoryBackend(): Backend {
  const sessions = new Map<string, MemorySession>();
  const listenersOf = new Map<string, Set<(signal: SessionSignal) => void>>();
  let counter = 0;
  const live = (id: string): MemorySession | undefined => {
    const session = sessions.get(id);
    if (session && session.expires <= Date.now()) {
      sessions.delete(id);
      return undefined;
    }
    return session;
  };
  return {
    shared: false,
    async saveSession(record, ttlMs) {
      const listeners = listenersOf.get(record.id) ?? new Set();
      listenersOf.set(record.id, listeners);
      sessions.set(record.id, { record, expires: Date.now() + ttlMs, listeners, streams: new Map() });
    },
    async touchSession(id, ttlMs) {
      const session = live(id);
      if (!session) return undefined;
      session.expires = Date.now() + ttlMs;
      return session.record;
    },
    async deleteSession(id) {
      sessions.delete(id);
    },
    async signal(id, signal) {
      const listeners = listenersOf.get(id);
      if (!listeners) return;
      // Delivered on a later turn, as a shared bus would: no listener runs inside the sender's call.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const listener of [...listeners]) listener(signal);
    },
    async listen(id, listener) {
      let listeners = listenersOf.get(id);
      if (!listeners) {
        listeners = new Set();
        listenersOf.set(id, listeners);
      }
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        if (listeners.size === 0 && !sessions.has(id)) listenersOf.delete(id);
      };
    },
    eventStore(id) {
      const streamsOf = () => live(id)?.streams;
      return {
        async storeEvent(streamId, message) {
          const position = ++counter;
          const streams = streamsOf();
          if (streams) {
            if (!streams.has(streamId) && streams.size >= MAX_STREAMS_PER_SESSION) {
              streams.delete(streams.keys().next().value as string);
            }
            const events = streams.get(streamId) ?? [];
            events.push({ position, message });
            if (events.length > MAX_EVENTS_PER_STREAM) events.shift();
            streams.set(streamId, events);
          }
          return eventId(streamId, String(position));
        },
        async getStreamIdForEventId(lastEventId) {
          return parseEventId(lastEventId)?.streamId;
        },
        async replayEventsAfter(lastEventId, { send }) {
          const parsed = parseEventId(lastEventId);
          if (!parsed) throw new Error(`unknown event id ${JSON.stringify(lastEventId)}`);
          const after = Number(parsed.position);
          for (const event of streamsOf()?.get(parsed.streamId) ?? []) {
            if (event.position > after) await send(eventId(parsed.streamId, String(event.position)), event.message);
          }
          return parsed.streamId;
        },
      };
    },
    async close() {
      sessions.clear();
      listenersOf.clear();
    },
  };
}
