import { type AnyPack, createStderrSink, type LogSink, type MountedPack, mountPack } from '@mcp-packs/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from './version.js';

/** One pack to mount, with its mount options. */
export interface PackEntry {
  pack: AnyPack;
  prefix?: string | null;
  config?: unknown;
}

/** A composed server: the SDK server and its mounts. */
export interface ComposedServer {
  server: McpServer;
  mounts: MountedPack[];
  /** Close every mount (running the packs' cleanups), then the server. */
  close(): Promise<void>;
}

/** Mount the given packs on a new `McpServer` with logging enabled. */
export async function createServer(
  entries: readonly PackEntry[],
  options: { name?: string; logSink?: LogSink } = {},
): Promise<ComposedServer> {
  const logSink = options.logSink ?? createStderrSink({ level: 'info' });
  const server = new McpServer(
    { name: options.name ?? 'mcp-packs', version: VERSION },
    { capabilities: { logging: {} } },
  );
  const mounts: MountedPack[] = [];
  for (const entry of entries) {
    mounts.push(
      await mountPack(server, entry.pack, {
        ...(entry.prefix === undefined ? {} : { prefix: entry.prefix }),
        config: entry.config,
        logSink,
      }),
    );
  }
  return {
    server,
    mounts,
    async close() {
      for (const mount of mounts.reverse()) await mount.close();
      await server.close();
    },
  };
}
