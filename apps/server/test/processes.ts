/**
 * Child processes that serve on loopback, for the tests and the benchmarks alike (bench/src imports this file): a
 * free port, waiting for a port to accept connections, and spawning a server that logs the URL it serves on.
 * Node built-ins only, so that anything may import it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A free TCP port on 127.0.0.1 (free when asked; taken by whoever binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a connection on 127.0.0.1:`port` now. */
function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/**
 * Resolve once something accepts connections on 127.0.0.1:`port`, trying every 50 ms; reject if `child` exits first
 * or after `timeoutMs`. `output`, when given, is appended to the error (what the child printed).
 */
export async function waitForPort(
  port: number,
  child: ChildProcess,
  options: { timeoutMs?: number; output?: () => string } = {},
): Promise<void> {
  const { timeoutMs = 15_000, output } = options;
  const printed = () => (output ? `:\n${output()}` : '');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`exited with ${child.exitCode} before listening on ${port}${printed()}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port} after ${timeoutMs} ms${printed()}`);
}

/** The URL in a server's "serving ... on http://host:port/path" line (the CLI's, and the bench's raw servers'). */
const SERVING_LINE = / on (http:\/\/\S+\/\S*)/;

/** A server spawned by {@link spawnServing}, serving at `url`. */
export interface ServingChild {
  readonly child: ChildProcess;
  readonly url: string;
  /** All it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM (unless it has exited already) and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Spawn `command` with stderr piped and resolve once it logs the URL it serves on; reject if it exits first or logs
 * none within `timeoutMs`. `onSpawn` sees the child before any of its output, to listen to it as well (stdout too,
 * with `stdout: 'pipe'`; it is ignored by default).
 */
export async function spawnServing(
  command: string,
  args: readonly string[],
  options: {
    env: Record<string, string>;
    cwd?: string;
    stdout?: 'pipe' | 'ignore';
    timeoutMs?: number;
    onSpawn?: (child: ChildProcess) => void;
  },
): Promise<ServingChild> {
  const { timeoutMs = 20_000 } = options;
  const child = spawn(command, args, {
    env: options.env,
    stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  options.onSpawn?.(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no serving line within ${timeoutMs / 1000} s; stderr:\n${stderr}`)),
      timeoutMs,
    );
    const onData = () => {
      const match = SERVING_LINE.exec(stderr);
      if (match) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolve(match[1] as string);
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before serving; stderr:\n${stderr}`));
    });
  });
  return {
    child,
    url,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
