/**
 * Test helpers: run the built `mcp-packs` CLI as a real child process, over stdio (with a real SDK client) or
 * Streamable HTTP on 127.0.0.1, in temp dirs that are removed afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Client,
  type JSONRPCMessage,
  ReadBuffer,
  serializeMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawnServing } from './processes.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const LOCAL_PACK = join(FIXTURES, 'local-pack.mjs');
export const OTHER_PACK = join(FIXTURES, 'other-pack.mjs');

/** The protocol revisions the server speaks: tests meant to behave alike run in each. */
export const PROTOCOLS = ['2026-07-28', '2025-11-25'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * A real SDK v2 client speaking `protocol`: pinned to 2026-07-28 (it opens with `server/discover`), or the plain
 * 2025 `initialize` handshake. `auto` negotiates as a client in the field does: probe, then fall back.
 */
export function newClient(
  protocol: Protocol | 'auto',
  name = 'mcp-packs-test',
  options: { elicitation?: boolean } = {},
): Client {
  return new Client(
    { name, version: '0' },
    {
      ...(options.elicitation ? { capabilities: { elicitation: { form: {} } } } : {}),
      versionNegotiation: {
        mode: protocol === 'auto' ? 'auto' : protocol === '2025-11-25' ? 'legacy' : { pin: protocol },
      },
    },
  );
}

/** A temp dir, removed by `cleanup()`. */
export function tempDir(prefix = 'mcp-packs-server-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Write a config file (an object as JSON, or text as is) and return its path. */
export function writeConfig(dir: string, config: unknown, name = 'mcp-packs.config.json'): string {
  const file = join(dir, name);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return file;
}

/** An environment for the child: this one, minus our own variables (so a developer's settings never leak in). */
// The built-in default config keeps notes (and their index) in the user's data and cache folders: give every test
// file folders of its own, so tests never touch the real ones or contend for one lock across files.
const userDirs = mkdtempSync(join(tmpdir(), 'mcp-packs-user-dirs-'));
process.on('exit', () => rmSync(userDirs, { recursive: true, force: true }));

export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('MCP_PACKS_')) env[key] = value;
  }
  return {
    ...env,
    XDG_DATA_HOME: join(userDirs, 'data'),
    XDG_CACHE_HOME: join(userDirs, 'cache'),
    ...extra,
  };
}

/** The outcome of a finished CLI run. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to completion. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: childEnv(options.env),
    cwd: options.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return finished(child, options.timeoutMs ?? 30_000);
}

/** Collect a child's output and wait for it to exit (killing it after `timeoutMs`). */
export function finished(child: ChildProcess, timeoutMs = 30_000): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    // 'close' fires once the process has exited and its pipes are drained.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * The SDK's stdio client transport, probing in place: on the base class exactly, the client's version probe runs
 * on a sibling process spawned just for it, which doubles every start and leaves a second server's traces (its
 * compile cache, its log lines) in tests that count them. A subclass probes on the connection itself.
 */
class InPlaceStdioClientTransport extends StdioClientTransport {}

/** A real SDK client connected to the CLI over stdio. */
export async function connectStdio(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; protocol?: Protocol | 'auto' } = {},
): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const transport = new InPlaceStdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: childEnv(options.env),
    cwd: options.cwd ?? ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = newClient(options.protocol ?? '2026-07-28');
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

/** The CLI serving HTTP: its URL, once it listens. */
export interface HttpChild {
  child: ChildProcess;
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  stderr(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<RunResult>;
}

/** Start the CLI with `--http --port 0` and wait for its "serving ... on http://..." line. */
export async function startHttp(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<HttpChild> {
  let done: Promise<RunResult> | undefined;
  const { child, url, stderr } = await spawnServing(process.execPath, [CLI, '--http', '--port', '0', ...args], {
    env: childEnv(options.env),
    cwd: options.cwd ?? ROOT,
    stdout: 'pipe',
    onSpawn: (spawned) => {
      done = finished(spawned, 120_000);
    },
  });
  return {
    child,
    url,
    origin: new URL(url).origin,
    stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return done as Promise<RunResult>;
    },
  };
}

/**
 * A client transport over a child we spawn ourselves (the SDK's StdioClientTransport hides the process): lets a test
 * signal the child, see its exit code, and check that every byte on its stdout was protocol.
 */
export class ChildTransport implements Transport {
  readonly child: ChildProcess;
  readonly exited: Promise<RunResult>;
  /** Everything the child wrote to stdout, raw. */
  stdout = '';
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #buffer = new ReadBuffer();

  constructor(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      env: childEnv(options.env),
      cwd: options.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = finished(this.child, 60_000);
    this.child.stdout?.on('data', (chunk: string | Buffer) => {
      const text = chunk.toString();
      this.stdout += text;
      this.#buffer.append(Buffer.from(text));
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.#buffer.readMessage();
        } catch {
          // A line the client's schema refuses (an error with "id": null): the test reads it from `stdout`.
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    // 'close', not 'exit': stdout may still hold the last messages when the process has exited.
    this.child.once('close', () => this.onclose?.());
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    this.child.stdin?.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
  }
}
