/**
 * The composer, `mcp-packs` (apps/server, built), measured through a real SDK v2 client in each protocol era,
 * side by side in one run with:
 *
 * - the floor: a raw SDK v2 server with one tool (`echo`), written in server-sources.ts: `serveStdio` on stdio (both
 *   eras), and on Streamable HTTP `createMcpHandler` for 2026-07-28 next to a session per client for 2025-11-25,
 *   routed with the SDK's own `isLegacyRequest` (the wiring the SDK documents, and the composer's);
 * - the reference: `@modelcontextprotocol/server-filesystem` from npm (stdio). It is built on SDK v1 and speaks the
 *   2025 era only: its 2026 figures are absent, and the results say why (with the error a pinned client gets).
 *
 * Eras: 2026-07-28 is a client pinned to it (`server/discover`, then requests that each carry the `_meta`
 * envelope); 2025-11-25 is the default `legacy` client (`initialize`). The client's stdio transport is a subclass
 * of the SDK's, so its version probe runs on the connection itself, not on a sibling process it would spawn.
 *
 * Figures, every variant and era interleaved within each phase:
 * - cold start: spawn → connected → tools/list answered (median of 10 per server and era), as the client sees it
 *   (`listTools()` resolved), with the moment the response reached the transport beside it (the rest is the
 *   client's own work on the list);
 * - per-call: sequential calls of a cheap tool through the client, each era, each server (median of batch means,
 *   p50/p99 of single calls, paired ratios): `echo` on the floor and on mcp-packs serving the same tool as a pack,
 *   `fs_list_allowed_directories` on the default config next to the reference's `list_allowed_directories`;
 * - idle RSS: the server's process tree 2 s after tools/list (median of 3), and again after the per-call phase;
 * - tools/list size (bytes, per tool, per era);
 * - HTTP under load, each era: 50 concurrent clients of a cheap tool, zero errors, throughput vs the raw v2 server,
 *   p50/p99 latency and server CPU per call. 2026-07-28: every request stands alone (a fresh protocol server per
 *   request, on both servers); 2025-11-25: a session per client.
 *
 * `mcp-packs` runs with the built-in default config (whichever of our packs are installed), with a config mounting
 * the test fixture pack (apps/server/test/fixtures/local-pack.mjs), with a pack of the floor's one tool (same name,
 * input and text result, so the two do the same work), and with each of our packs alone.
 *
 * The parts: server-common.ts (paths, eras, run sizes), server-sources.ts (the floor), server-setup.ts (the servers
 * under test), server-clients.ts (starting them and their clients), server-stdio.ts and server-http.ts (the
 * figures), server-load.ts (the HTTP load generator), server-results.ts (summary, ratios, targets).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StdioServer, tryModern } from './server-clients.ts';
import { repo } from './server-common.ts';
import { measureHttpLoad, measureHttpPerCall } from './server-http.ts';
import { writeServerResults } from './server-results.ts';
import { prepareServers } from './server-setup.ts';
import { measureColdStart, measureIdleRss, measurePerCall } from './server-stdio.ts';

export default async function run(): Promise<void> {
  console.log('building @mcp-packs/server and its workspace dependencies');
  execFileSync(
    join(repo, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--filter=@mcp-packs/server...', '--output-logs=errors-only'],
    { cwd: repo, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );

  const work = mkdtempSync(join(tmpdir(), 'mcp-packs-bench-'));
  try {
    const prepared = prepareServers(work);
    const { servers, entries, keys } = prepared;

    // --- cold start -------------------------------------------------------------------------------------------
    const coldStart = await measureColdStart(entries, keys);

    // --- idle RSS -----------------------------------------------------------------------------------------------
    const idleRss = await measureIdleRss(entries, keys);

    // --- per-call ----------------------------------------------------------------------------------------------
    const calls = await measurePerCall(entries);

    const referenceModern = await tryModern(servers.reference as StdioServer);
    console.log(`reference with a client pinned to 2026-07-28: ${referenceModern}`);

    // --- HTTP under load ---------------------------------------------------------------------------------------
    const { rawServer, ourServer, ...load } = await measureHttpLoad(prepared);

    const httpCalls = await measureHttpPerCall({
      rawServer,
      ourServer,
      userDirs: prepared.userDirs,
      work,
      echo: prepared.echo,
      warmupBatches: calls.warmupBatches,
    });

    // --- results -----------------------------------------------------------------------------------------------
    await writeServerResults({
      ...prepared,
      ...coldStart,
      ...idleRss,
      ...calls,
      ...load,
      ...httpCalls,
      referenceModern,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
