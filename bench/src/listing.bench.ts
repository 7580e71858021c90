/**
 * listing: what the default config's tools/list costs a model's context, as the built `mcp-packs` CLI sends it over
 * stdio to a real SDK v2 client, in each protocol era (2026-07-28 pinned; 2025-11-25 `initialize`).
 *
 * Reported per era: bytes of the listed tools (the `tools` array of the tools/list result, as JSON), per tool on
 * average, per pack, an estimated token count (bytes / 4, as `mcp-packs list` estimates), and where the bytes go
 * (descriptions, input schemas, parameter descriptions, output schemas, annotations, `_meta`). Target: at most 600 B
 * per tool on average (issue #17).
 *
 * Side by side in the same run: `full` is the same CLI with `"listing": { "outputSchemas": true }` (what the listing
 * was before output schemas left it by default), and, when `LISTING_BASELINE_CLI` names another build's
 * `apps/server/dist/cli.js` (a checkout of main, say), `baseline` is that build with its own default config.
 * `LISTING_DUMP=<dir>` writes each listing there as JSON, to read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '@mcp-packs/server';
import { Client, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { writeResult } from './harness.ts';
import { bytesOf, type ListedToolJson, PARTS, type PartBytes, shares, sumParts } from './listing-parts.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const CLI = join(repo, 'apps', 'server', 'dist', 'cli.js');
const ERAS = ['2026-07-28', '2025-11-25'] as const;
type Era = (typeof ERAS)[number];
const TARGET_BYTES_PER_TOOL = 600;

/** The SDK's stdio transport, probing in place (on the base class a pinned client probes on a sibling process). */
class InPlaceStdioClientTransport extends StdioClientTransport {}

interface Variant {
  cli: string;
  args: string[];
}

function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('MCP_PACKS_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** The `tools` array of the raw tools/list result, exactly as it reached the client's transport. */
async function listRaw(variant: Variant, era: Era, cwd: string, env: Record<string, string>) {
  const transport = new InPlaceStdioClientTransport({
    command: process.execPath,
    args: [variant.cli, ...variant.args],
    cwd,
    env: childEnv(env),
    stderr: 'ignore',
  });
  const client = new Client(
    { name: 'bench-listing', version: '0' },
    { versionNegotiation: { mode: era === '2025-11-25' ? 'legacy' : { pin: era } } },
  );
  await client.connect(transport);
  const tools: ListedToolJson[] = [];
  let responseBytes = 0;
  const deliver = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    const result = 'result' in message ? (message.result as { tools?: ListedToolJson[] }) : undefined;
    if (Array.isArray(result?.tools)) {
      tools.push(...result.tools);
      responseBytes += bytesOf(message);
    }
    deliver?.(message);
  };
  let cursor: string | undefined;
  do {
    cursor = (await client.listTools(cursor ? { cursor } : {})).nextCursor;
  } while (cursor);
  transport.onmessage = deliver;
  const protocol = client.getNegotiatedProtocolVersion();
  await client.close();
  return { tools, responseBytes, protocol };
}

/** Which pack each tool of a build's default config comes from, by `mcp-packs list --json`. */
function packOf(cli: string, cwd: string, env: Record<string, string>, args: string[]): Map<string, string> {
  const out = execFileSync(process.execPath, [cli, 'list', '--json', ...args], {
    cwd,
    env: childEnv(env),
    encoding: 'utf8',
  });
  const surface = JSON.parse(out) as { tools: { name: string; pack: string }[] };
  return new Map(surface.tools.map((tool) => [tool.name, tool.pack]));
}

const round = (value: number) => Math.round(value * 10) / 10;

function summarize(tools: readonly ListedToolJson[], packs: Map<string, string>) {
  const bytes = bytesOf(tools);
  const byPack: Record<string, { tools: number; bytes: number; bytesPerTool: number; tokens: number }> = {};
  for (const tool of tools) {
    const pack = packs.get(tool.name) ?? 'server';
    byPack[pack] ??= { tools: 0, bytes: 0, bytesPerTool: 0, tokens: 0 };
    const entry = byPack[pack];
    entry.tools++;
    entry.bytes += bytesOf(tool);
  }
  for (const entry of Object.values(byPack)) {
    entry.bytesPerTool = round(entry.bytes / entry.tools);
    entry.tokens = Math.ceil(entry.bytes / 4);
  }
  const parts: PartBytes = sumParts(tools);
  const byPackParts = Object.fromEntries(
    Object.keys(byPack).map((pack) => [
      pack,
      sumParts(tools.filter((tool) => (packs.get(tool.name) ?? 'server') === pack)),
    ]),
  );
  return {
    tools: tools.length,
    bytes,
    bytesPerTool: tools.length ? round(bytes / tools.length) : null,
    tokens: Math.ceil(bytes / 4),
    byPack,
    parts,
    partShares: shares(parts),
    byPackParts,
  };
}

export default async function run(): Promise<void> {
  console.log('building @mcp-packs/server and its workspace dependencies');
  execFileSync(
    join(repo, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--filter=@mcp-packs/server...', '--output-logs=errors-only'],
    { cwd: repo, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  const work = mkdtempSync(join(tmpdir(), 'mcp-packs-bench-listing-'));
  try {
    const env = { XDG_DATA_HOME: join(work, 'data'), XDG_CACHE_HOME: join(work, 'cache') };
    const fullConfig = join(work, 'full.config.json');
    // The built-in default's packs, as a config file, with output schemas listed.
    const { packs } = defaultConfig({ cwd: work, env: { ...process.env, ...env } });
    writeFileSync(fullConfig, JSON.stringify({ packs, listing: { outputSchemas: true } }));
    const variants: Record<string, Variant> = {
      lean: { cli: CLI, args: [] },
      full: { cli: CLI, args: ['--config', fullConfig] },
    };
    const baseline = process.env.LISTING_BASELINE_CLI;
    if (baseline) variants.baseline = { cli: baseline, args: [] };

    const results: Record<string, Record<string, unknown>> = {};
    for (const [name, variant] of Object.entries(variants)) {
      const packs = packOf(variant.cli, work, env, variant.args);
      results[name] = {};
      for (const era of ERAS) {
        const { tools, responseBytes, protocol } = await listRaw(variant, era, work, env);
        const summary = summarize(tools, packs);
        const dump = process.env.LISTING_DUMP;
        if (dump) writeFileSync(join(dump, `${name}@${era}.json`), `${JSON.stringify(tools, null, 2)}\n`);
        (results[name] as Record<string, unknown>)[era] = { protocol, responseBytes, ...summary };
        console.log(
          `${name}@${era}: ${summary.tools} tools, ${summary.bytes} B (${summary.bytesPerTool} B/tool, ~${summary.tokens} tokens)`,
        );
        console.log(
          `  parts: ${PARTS.map((part) => `${part} ${summary.parts[part]} (${summary.partShares[part]}%)`).join(', ')}`,
        );
        for (const [pack, entry] of Object.entries(summary.byPack)) {
          console.log(`  ${pack}: ${entry.tools} tools, ${entry.bytes} B, ${entry.bytesPerTool} B/tool`);
        }
      }
    }
    const lean = results.lean?.['2025-11-25'] as { bytesPerTool: number } | undefined;
    const leanModern = results.lean?.['2026-07-28'] as { bytesPerTool: number } | undefined;
    const worst = Math.max(lean?.bytesPerTool ?? Number.POSITIVE_INFINITY, leanModern?.bytesPerTool ?? 0);
    const met = worst <= TARGET_BYTES_PER_TOOL;
    const ratio = (a: string, era: Era) => {
      const x = results[a]?.[era] as { bytes: number } | undefined;
      const y = results.lean?.[era] as { bytes: number } | undefined;
      return x && y ? Math.round((y.bytes / x.bytes) * 1000) / 1000 : null;
    };
    writeResult({
      name: 'listing',
      description:
        'Bytes of the tools array of tools/list (JSON, UTF-8) for the built-in default config, as the built CLI sends it over stdio to a real SDK v2 client, per era, per pack and per part. lean = default; full = the same build listing output schemas; baseline = LISTING_BASELINE_CLI (another build, e.g. main), when set. Tokens = ceil(bytes / 4).',
      targets: [
        {
          description: `default config at most ${TARGET_BYTES_PER_TOOL} B per listed tool on average, both eras (${worst} B)`,
          met,
        },
      ],
      results: {
        variants: results,
        leanVsFull: Object.fromEntries(ERAS.map((era) => [era, ratio('full', era)])),
        ...(baseline ? { leanVsBaseline: Object.fromEntries(ERAS.map((era) => [era, ratio('baseline', era)])) } : {}),
      },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
