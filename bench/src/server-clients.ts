/** Starting the servers server.bench.ts measures and the SDK clients that talk to them; their memory and CPU. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Client, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawnServing } from '../../apps/server/test/processes.ts';
import { type Era, hr, msSince } from './server-common.ts';

/** A tool call: which tool, with what. */
export interface ToolCallSpec {
  name: string;
  arguments: Record<string, unknown>;
}

/** A server under test, started as a child process on stdio. */
export interface StdioServer {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** The eras it speaks. */
  eras: readonly Era[];
  /** A cheap tool for the per-call figures (none: cold start and memory only). */
  cheapCall?: ToolCallSpec;
}

export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('MCP_PACKS_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * The SDK's stdio client transport, probing in place: on the base class exactly, a client pinned to 2026-07-28 (or
 * in `auto` mode) runs its version probe on a sibling process spawned just for it, which would double every start.
 */
export class InPlaceStdioClientTransport extends StdioClientTransport {}

/** A real SDK v2 client in `era`: pinned to 2026-07-28, or the default 2025 `initialize` handshake. */
export function newClient(era: Era): Client {
  return new Client(
    { name: 'bench', version: '0' },
    { versionNegotiation: { mode: era === '2025-11-25' ? 'legacy' : { pin: era } } },
  );
}

export function transportFor(server: StdioServer): InPlaceStdioClientTransport {
  return new InPlaceStdioClientTransport({
    command: server.command,
    args: server.args,
    env: childEnv(server.env),
    ...(server.cwd ? { cwd: server.cwd } : {}),
    stderr: 'ignore',
  });
}

export interface Started {
  client: Client;
  transport: InPlaceStdioClientTransport;
  pid: number;
  /** Spawn → `connect()` resolved (2026: `server/discover` answered; 2025: `initialize` done), in ms. */
  connectedMs: number;
  /** Spawn → the tools/list response reached the transport, in ms. */
  answeredMs: number;
  /** Spawn → `listTools()` resolved, the client's own work on the list included, in ms. */
  listedMs: number;
  tools: number;
  /** The listed tools as JSON, in bytes. */
  toolsBytes: number;
  /** The whole tools/list response as JSON, in bytes (the 2026 era adds result metadata). */
  responseBytes: number;
  /** The revision the client and server agreed on. */
  protocol: string | undefined;
}

/** Spawn the server, connect a client in `era`, list its tools; timed from before the spawn. */
export async function start(server: StdioServer, era: Era): Promise<Started> {
  const t0 = hr();
  const transport = transportFor(server);
  const client = newClient(era);
  await client.connect(transport);
  const connectedMs = msSince(t0);
  let answeredAt: bigint | undefined;
  let responseBytes = 0;
  const deliver = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    if (
      answeredAt === undefined &&
      'result' in message &&
      Array.isArray((message.result as { tools?: unknown }).tools)
    ) {
      answeredAt = hr();
      responseBytes = Buffer.byteLength(JSON.stringify(message));
    }
    deliver?.(message);
  };
  const { tools } = await client.listTools();
  const listedAt = hr();
  transport.onmessage = deliver;
  return {
    client,
    transport,
    pid: transport.pid as number,
    connectedMs,
    answeredMs: msSince(t0, answeredAt ?? listedAt),
    listedMs: msSince(t0, listedAt),
    tools: tools.length,
    toolsBytes: Buffer.byteLength(JSON.stringify(tools)),
    responseBytes,
    protocol: client.getNegotiatedProtocolVersion(),
  };
}

/** The process and its descendants (the math pack's evaluation workers are child processes), from /proc. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended meanwhile.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
  }
}

/** RSS of a server with every process it started, in MiB, and how many processes that is. */
export function treeRss(pid: number): { rssMiB: number; processes: number } {
  const tree = process.platform === 'linux' ? processTree(pid) : [pid];
  return { rssMiB: tree.reduce((sum, p) => sum + rssMiB(p), 0), processes: tree.length };
}

/** Spawn a server on HTTP (`env` on top of {@link childEnv}) and wait for the URL it logs on stderr. */
export async function startHttpChild(command: string, args: string[], env: Record<string, string>, cwd?: string) {
  const server = await spawnServing(command, args, { env: childEnv(env), ...(cwd ? { cwd } : {}) });
  return { url: server.url, pid: server.child.pid as number, stop: server.stop };
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); NaN elsewhere. */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; in clock ticks (USER_HZ, 100).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A server started on HTTP by `startHttpChild`. */
export type HttpChild = Awaited<ReturnType<typeof startHttpChild>>;

/** What a client pinned to 2026-07-28 gets from a server that speaks only 2025: the error, as the record of it. */
export async function tryModern(server: StdioServer): Promise<string> {
  const transport = transportFor(server);
  const client = newClient('2026-07-28');
  try {
    const outcome = await Promise.race([
      client.connect(transport).then(() => `connected (${client.getNegotiatedProtocolVersion()})`),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 15 s'), 15_000).unref()),
    ]);
    return outcome;
  } catch (error) {
    return `refused: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
  }
}
