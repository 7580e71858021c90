/**
 * Real infrastructure for the replicas tests: a `redis-server` and an HAProxy (the Debian packages `redis-server`
 * and `haproxy`) on free loopback ports, with configs generated into a temp dir, and composer replicas (the built
 * CLI). Nothing is mocked; a missing binary fails the test with the package to install.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HttpChild, startHttp } from './helpers.ts';
import { freePort, waitForPort } from './processes.ts';

/** A process of ours: its port, its output, and a way to stop it. */
export interface Service {
  readonly port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Spawn `command`; a missing binary rejects with the Debian package that brings it. */
async function startService(command: string, args: string[], port: number, apt: string): Promise<Service> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawned) {
    throw new Error(
      `cannot run ${command} (${spawned.message}): the replicas tests need it. Install it: apt-get install -y ${apt}`,
    );
  }
  await waitForPort(port, child, { output: () => output });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A real redis-server on a free port: no persistence, its files in `dir`. */
export async function startRedis(dir: string): Promise<Service & { url: string }> {
  const port = await freePort();
  const service = await startService(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    port,
    'redis-server',
  );
  return { ...service, url: `redis://127.0.0.1:${port}` };
}

/**
 * A real HAProxy on a free port in front of `backends` (ports): plain round robin, each request on its own (no
 * stickiness: no cookie, no source hashing, no reuse of the last server), SSE passed through unbuffered.
 */
export async function startHaproxy(dir: string, backends: readonly number[]): Promise<Service> {
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(
    file,
    [
      'global',
      '  maxconn 1000',
      'defaults',
      '  mode http',
      '  timeout connect 5s',
      '  timeout client 120s',
      '  timeout server 120s',
      '  timeout http-keep-alive 10s',
      'frontend mcp',
      `  bind 127.0.0.1:${port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      ...backends.map((backend, index) => `  server r${index + 1} 127.0.0.1:${backend}`),
      '',
    ].join('\n'),
  );
  return startService('haproxy', ['-f', file, '-db'], port, 'haproxy');
}

/** Start `count` composer replicas serving `configFile`, each named `r<n>` in its `Mcp-Packs-Replica` header. */
export async function startReplicas(
  configFile: string,
  count: number,
  env: Record<string, string>,
  firstName = 1,
): Promise<HttpChild[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      startHttp(['--config', configFile], { env: { ...env, MCP_PACKS_REPLICA: `r${firstName + index}` } }),
    ),
  );
}
