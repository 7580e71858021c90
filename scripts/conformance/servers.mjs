/** The servers scripts/conformance.mjs runs the suite against: the composer, and the proxy that adds its token. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join, relative } from 'node:path';
import { UsageError } from './options.mjs';
import { exampleDir, root } from './paths.mjs';

/**
 * Start the composer on a free loopback port with the example's config and a token made for this run; resolve
 * once it says where it serves and `/health` answers.
 *
 * @param {string} logFile where the composer's stderr goes
 */
export async function startComposer(logFile) {
  const cli = join(root, 'apps', 'server', 'dist', 'cli.js');
  const config = join(exampleDir, 'mcp-packs.config.json');
  /** @type {[string, string][]} */
  const built = [
    [cli, 'the composer (apps/server/dist)'],
    [join(exampleDir, 'dist', 'index.js'), 'the conformance pack (examples/conformance-pack/dist)'],
  ];
  for (const [file, what] of built) {
    if (!existsSync(file)) throw new UsageError(`${what} is not built; run \`pnpm build\` first.`);
  }
  const token = randomBytes(32).toString('base64url');
  const args = [cli, '--config', config, '--http', '--host', '127.0.0.1', '--port', '0'];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, MCP_PACKS_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  /** @type {string} */
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the composer did not start within 30 s:\n${log}`)), 30_000);
    child.stderr?.on('data', (chunk) => {
      log += chunk;
      writeFileSync(logFile, log);
      const match = / on (http:\/\/\S+\/mcp)\b/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the composer exited (${signal ?? code}) before serving:\n${log}`));
    });
  });
  const health = await fetch(new URL('/health', url));
  if (!health.ok) throw new Error(`the composer serves ${url}, but /health answered ${health.status}`);
  return {
    url,
    token,
    command: [
      'node',
      relative(root, cli),
      ...args.slice(1).map((arg) => (arg === config ? relative(root, config) : arg)),
    ],
    /** Stop it: SIGTERM (a graceful shutdown), SIGKILL after 10 s. */
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolveStop(undefined);
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop(undefined);
        });
        child.kill('SIGTERM');
      }),
    /** Last resort when the runner itself is exiting. */
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * A loopback HTTP proxy to `target` that adds `Authorization: Bearer <token>` to requests that carry none. Methods,
 * paths, bodies, every other header (Host and Origin included) and streamed responses pass through as they are.
 *
 * @param {string} target the composer's MCP URL
 * @param {string} token
 */
export async function startProxy(target, token) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    headers.authorization ??= `Bearer ${token}`;
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`conformance proxy: ${error.message}`);
    });
    // A client that goes away (an SSE stream it closed) takes its upstream request with it.
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}${upstream.pathname}`,
    stop: () =>
      new Promise((resolveStop) => {
        server.close(() => resolveStop(undefined));
        server.closeAllConnections();
      }),
  };
}
