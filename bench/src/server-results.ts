/** The results of server.bench.ts: the summary per server and era, the ratios, and the targets, written out. */
import { pairedRatio, type VariantStats, writeResult } from './harness.ts';
import { type StdioServer, start } from './server-clients.ts';
import {
  CALL_BATCH,
  CALL_BATCHES,
  COLD_RUNS,
  ERAS,
  type Era,
  HTTP_CALLS,
  HTTP_CLIENTS,
  HTTP_ROUNDS,
  key,
  RSS_RUNS,
  round,
} from './server-common.ts';
import type { measureHttpLoad, measureHttpPerCall } from './server-http.ts';
import type { Prepared } from './server-setup.ts';
import type { measureColdStart, measureIdleRss, measurePerCall } from './server-stdio.ts';

/** Every figure the run measured, and what it measured them on. */
export type Figures = Prepared &
  Awaited<ReturnType<typeof measureColdStart>> &
  Awaited<ReturnType<typeof measureIdleRss>> &
  Awaited<ReturnType<typeof measurePerCall>> &
  Omit<Awaited<ReturnType<typeof measureHttpLoad>>, 'rawServer' | 'ourServer'> &
  Awaited<ReturnType<typeof measureHttpPerCall>> & { referenceModern: string };

/** Assemble the summary, the ratios and the targets from `figures`, and write bench/results/server.json. */
export async function writeServerResults(figures: Figures): Promise<void> {
  const {
    servers,
    keys,
    referenceVersion,
    cold,
    sizes,
    negotiated,
    coldMedian,
    coldRatio,
    rss,
    processCount,
    perCall,
    requestsPerCall,
    rssAfterCalls,
    referenceModern,
    http,
    httpRatio,
    httpErrors,
    httpTargets,
    httpPerCall,
    httpCallBatches,
    httpRequestsPerCall,
    httpRss,
  } = figures;
  const callStat = (k: string): VariantStats | undefined => perCall[k];
  const summary: Record<string, Record<string, unknown>> = {};
  for (const [name, server] of Object.entries(servers)) {
    const byEra: Record<string, unknown> = {};
    summary[name] = byEra;
    for (const era of ERAS) {
      const k = key(name, era);
      if (!server.eras.includes(era)) {
        byEra[era] = { served: false, why: `speaks the 2025 era only (SDK v1); a pinned client: ${referenceModern}` };
        continue;
      }
      const stat = callStat(k);
      byEra[era] = {
        coldStartMs: round(coldMedian(k, 'listed')),
        coldStartAnsweredMs: round(coldMedian(k, 'answered')),
        connectedMs: round(coldMedian(k, 'connected')),
        idleRssMiB: rss[k],
        ...(stat
          ? {
              perCall: {
                tool: server.cheapCall?.name,
                medianMs: round(stat.medianMs, 4),
                p50Ms: round(stat.operationP50Ms ?? Number.NaN, 4),
                p99Ms: round(stat.operationP99Ms ?? Number.NaN, 4),
                rssAfterCallsMiB: rssAfterCalls[k],
              },
            }
          : {}),
        ...(httpPerCall[k]
          ? {
              httpPerCall: {
                tool: httpTargets[name]?.call.name,
                medianMs: round(httpPerCall[k]?.medianMs ?? Number.NaN, 4),
                p50Ms: round(httpPerCall[k]?.operationP50Ms ?? Number.NaN, 4),
                p99Ms: round(httpPerCall[k]?.operationP99Ms ?? Number.NaN, 4),
              },
            }
          : {}),
        tools: sizes[k]?.tools,
        protocol: negotiated[k],
      };
    }
  }

  const M = '2026-07-28';
  const L = '2025-11-25';
  const ratio = (a: number | undefined, b: number | undefined) => round((a ?? Number.NaN) / (b ?? Number.NaN), 3);
  const eraRatios = (era: Era) => ({
    coldStart: {
      defaultVsRawV2: round(coldRatio(key('mcpPacksDefault', era), key('rawV2', era)), 3),
      fixtureVsRawV2: round(coldRatio(key('mcpPacksFixture', era), key('rawV2', era)), 3),
      oneToolVsRawV2: round(coldRatio(key('mcpPacksOneTool', era), key('rawV2', era)), 3),
      // The reference speaks 2025 only: in the 2026 era, it is the reference's 2025 start a client would get.
      defaultVsReference: round(coldRatio(key('mcpPacksDefault', era), key('reference', L)), 3),
      fixtureVsReference: round(coldRatio(key('mcpPacksFixture', era), key('reference', L)), 3),
    },
    perCall: {
      oneToolVsRawV2: round(pairedRatio(perCall, key('mcpPacksOneTool', era), key('rawV2', era)), 3),
      fixtureVsRawV2: round(pairedRatio(perCall, key('mcpPacksFixture', era), key('rawV2', era)), 3),
      ...(era === L
        ? { defaultVsReference: round(pairedRatio(perCall, key('mcpPacksDefault', era), key('reference', era)), 3) }
        : {}),
    },
    httpPerCall: {
      oneToolVsRawV2: round(pairedRatio(httpPerCall, key('mcpPacksOneTool', era), key('rawV2', era)), 3),
      defaultVsOneTool: round(pairedRatio(httpPerCall, key('mcpPacksDefault', era), key('mcpPacksOneTool', era)), 3),
    },
    idleRss: {
      defaultVsRawV2: ratio(rss[key('mcpPacksDefault', era)], rss[key('rawV2', era)]),
      defaultVsReference: ratio(rss[key('mcpPacksDefault', era)], rss[key('reference', L)]),
    },
  });
  const ratios = {
    [M]: eraRatios(M),
    [L]: eraRatios(L),
    modernVsLegacy: Object.fromEntries(
      Object.keys(servers)
        .filter((name) => servers[name]?.eras.includes(M) && servers[name]?.eras.includes(L))
        .map((name) => [
          name,
          {
            coldStart: ratio(coldMedian(key(name, M), 'listed'), coldMedian(key(name, L), 'listed')),
            ...(perCall[key(name, M)] ? { perCall: round(pairedRatio(perCall, key(name, M), key(name, L)), 3) } : {}),
            ...(httpPerCall[key(name, M)]
              ? { httpPerCall: round(pairedRatio(httpPerCall, key(name, M), key(name, L)), 3) }
              : {}),
          },
        ]),
    ),
  };
  console.log('ratios', JSON.stringify(ratios));

  const defaultTools = sizes[key('mcpPacksDefault', L)]?.tools ?? 0;
  const listSize = Object.fromEntries(
    keys.map((k) => {
      const size = sizes[k] ?? { tools: 0, toolsBytes: 0, responseBytes: 0 };
      return [k, { ...size, bytesPerTool: size.tools ? round(size.toolsBytes / size.tools) : null }];
    }),
  );
  const toolsByPrefix: Record<string, number> = {};
  {
    const { client } = await start(servers.mcpPacksDefault as StdioServer, L);
    for (const tool of (await client.listTools()).tools) {
      const prefix = tool.name.split('_')[0] as string;
      toolsByPrefix[prefix] = (toolsByPrefix[prefix] ?? 0) + 1;
    }
    await client.close();
  }

  const coldL = ratios[L].coldStart;
  const rssVsReference = ratios[L].idleRss.defaultVsReference;
  writeResult({
    name: 'server',
    description:
      "mcp-packs (built CLI) vs a raw SDK v2 one-tool server (rawV2, the floor) and @modelcontextprotocol/server-filesystem (reference, SDK v1, 2025 era only), through a real SDK v2 client in each era (2026-07-28 pinned, 2025-11-25 legacy), same run. mcpPacksDefault = built-in default config; mcpPacksFixture = the test fixture pack; mcpPacksOneTool = the floor's one tool as a pack; pack:<name> = one of our packs alone. Keys are <server>@<era>. Times in ms, memory in MiB (the server's process tree).",
    results: {
      reference: `@modelcontextprotocol/server-filesystem@${referenceVersion}`,
      referenceIn2026Era: referenceModern,
      eras: {
        [M]: 'Client pinned to 2026-07-28: server/discover, then every request carries the _meta envelope',
        [L]: 'Client in legacy mode: initialize, then requests in the session',
      },
      defaultConfigToolsByPrefix: toolsByPrefix,
      summary,
      ratios,
      coldStartMs: {
        runs: COLD_RUNS,
        measures:
          'spawn → connect() → listTools() resolved (listed); answered = the tools/list response reached the transport; connected = connect() resolved',
        median: Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'listed'))])),
        answeredMedian: Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'answered'))])),
        connectedMedian: Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'connected'))])),
        samples: Object.fromEntries(keys.map((k) => [k, (cold[k]?.listed ?? []).map((ms) => round(ms))])),
      },
      perCall: {
        measures: `client.callTool of a cheap tool, ${CALL_BATCHES} batches of ${CALL_BATCH} sequential calls per server and era, interleaved; medianMs = median of batch means, operationP50Ms/operationP99Ms = over single calls`,
        tools: Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, s.cheapCall?.name ?? null])),
        stats: perCall,
        requestsOnTheWirePerCall: requestsPerCall,
        rssAfterCallsMiB: rssAfterCalls,
      },
      idleRssMiB: {
        runs: RSS_RUNS,
        measures: "VmRSS of the server process and its descendants, 2 s after tools/list (after the server's settle)",
        median: rss,
        processes: processCount,
      },
      toolsList: listSize,
      httpPerCall: {
        measures: `client.callTool over Streamable HTTP (SDK v2 client, keep-alive fetch), ${httpCallBatches} batches of ${CALL_BATCH} sequential calls per server and era, interleaved; 2026-07-28 builds a protocol server per request, 2025-11-25 reuses the session's`,
        tools: Object.fromEntries(Object.entries(httpTargets).map(([name, target]) => [name, target.call.name])),
        stats: httpPerCall,
        requestsOnTheWirePerCall: httpRequestsPerCall,
        serverRssAfterAllMiB: httpRss,
      },
      http: { clients: HTTP_CLIENTS, callsPerRound: HTTP_CALLS, rounds: HTTP_ROUNDS, tool: 'echo', ...http },
    },
    targets: [
      {
        description: `cold start, default config (${defaultTools} tools), 2025 era, vs reference ${coldL.defaultVsReference} <= 1.0 (vs raw v2 ${coldL.defaultVsRawV2}; 2026 era vs the reference's 2025 start ${ratios[M].coldStart.defaultVsReference})`,
        met: coldL.defaultVsReference <= 1.0,
      },
      {
        description: `cold start, fixture config, 2025 era, vs reference ${coldL.fixtureVsReference} <= 1.0`,
        met: coldL.fixtureVsReference <= 1.0,
      },
      {
        description: `idle RSS, default config, 2025 era, vs reference ${rssVsReference} <= 1.15`,
        met: rssVsReference <= 1.15,
      },
      ...ERAS.flatMap((era) => [
        {
          description: `HTTP ${era}: ${HTTP_CALLS * HTTP_ROUNDS} calls by ${HTTP_CLIENTS} clients with ${httpErrors[era]} errors (0 wanted)`,
          met: httpErrors[era] === 0,
        },
        {
          description: `HTTP ${era} throughput vs raw v2 ${round(httpRatio[era], 3)} >= 0.8 (median over order-balanced pairs of rounds)`,
          met: httpRatio[era] >= 0.8,
        },
      ]),
    ],
  });
}
