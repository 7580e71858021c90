/** The HTTP figures of server.bench.ts: throughput under load, and sequential calls through an SDK client. */
import { type Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { compare } from './harness.ts';
import { cpuMs, type HttpChild, newClient, startHttpChild, type ToolCallSpec, treeRss } from './server-clients.ts';
import {
  CALL_BATCH,
  CALL_BATCHES,
  CLI,
  ERAS,
  type Era,
  HTTP_CALLS,
  HTTP_CLIENTS,
  HTTP_ROUNDS,
  key,
  median,
  round,
  TOKEN,
} from './server-common.ts';
import { connectClients, type LoadResult, load } from './server-load.ts';

/** HTTP under load, each era: the raw v2 server and mcp-packs serving the same tool, rounds alternating. */
export async function measureHttpLoad({
  rawHttp,
  oneToolConfig,
  userDirs,
}: {
  rawHttp: string;
  oneToolConfig: string;
  userDirs: Record<string, string>;
}) {
  console.log(
    `HTTP load: ${HTTP_CLIENTS} clients, ${HTTP_CALLS} calls per round, ${HTTP_ROUNDS} rounds per server and era`,
  );
  const rawServer = await startHttpChild(process.execPath, [rawHttp], {});
  const ourServer = await startHttpChild(process.execPath, [CLI, '--http', '--port', '0', '--config', oneToolConfig], {
    MCP_PACKS_TOKEN: TOKEN,
    ...userDirs,
  });
  const http: Record<string, unknown> = {};
  const httpRatio: Record<Era, number> = { '2026-07-28': Number.NaN, '2025-11-25': Number.NaN };
  const httpErrors: Record<Era, number> = { '2026-07-28': 0, '2025-11-25': 0 };
  const summarize = (rounds: LoadResult[]) => ({
    callsPerSecond: round(median(rounds.map((x) => x.callsPerSecond))),
    serverCpuUsPerCall: round(median(rounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN))),
    p50Ms: round(median(rounds.map((x) => x.p50Ms)), 2),
    p99Ms: round(median(rounds.map((x) => x.p99Ms)), 2),
    errors: rounds.reduce((sum, x) => sum + x.errors, 0),
    staleSocketRetries: rounds.reduce((sum, x) => sum + x.staleSocketRetries, 0),
    errorKinds: rounds.reduce<Record<string, number>>((kinds, x) => {
      for (const [kind, count] of Object.entries(x.errorKinds ?? {})) kinds[kind] = (kinds[kind] ?? 0) + count;
      return kinds;
    }, {}),
    calls: rounds.reduce((sum, x) => sum + x.calls, 0),
  });
  for (const era of ERAS) {
    const rawClients = await connectClients(rawServer.url, era);
    const ourClients = await connectClients(ourServer.url, era, TOKEN);
    await load(rawClients, 'echo', 1000);
    await load(ourClients, 'echo', 1000);
    const rawRounds: LoadResult[] = [];
    const ourRounds: LoadResult[] = [];
    for (let r = 0; r < HTTP_ROUNDS; r++) {
      for (const which of r % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw']) {
        const pid = which === 'raw' ? rawServer.pid : ourServer.pid;
        const cpuBefore = cpuMs(pid);
        const result = await load(which === 'raw' ? rawClients : ourClients, 'echo', HTTP_CALLS);
        result.serverCpuUsPerCall = ((cpuMs(pid) - cpuBefore) * 1000) / result.calls;
        (which === 'raw' ? rawRounds : ourRounds).push(result);
      }
      console.log(
        `${era} round ${r + 1}: raw v2 ${round(rawRounds[r]?.callsPerSecond ?? 0)} calls/s (${round(rawRounds[r]?.serverCpuUsPerCall ?? 0)} µs CPU/call), mcp-packs ${round(ourRounds[r]?.callsPerSecond ?? 0)} calls/s (${round(ourRounds[r]?.serverCpuUsPerCall ?? 0)} µs CPU/call)`,
      );
    }
    for (const client of [...rawClients, ...ourClients]) client.close();
    const ratios = ourRounds.map((ours, i) => ours.callsPerSecond / (rawRounds[i]?.callsPerSecond ?? Number.NaN));
    // Each pair of rounds has each server once first and once second: the geometric mean of its two ratios
    // cancels the position effect; the median over pairs is the figure held to the target.
    const pairRatios: number[] = [];
    for (let i = 0; i + 1 < ratios.length; i += 2) {
      pairRatios.push(Math.sqrt((ratios[i] as number) * (ratios[i + 1] as number)));
    }
    const ours = summarize(ourRounds);
    httpRatio[era] = median(pairRatios);
    httpErrors[era] = ours.errors;
    http[era] = {
      serving: era === '2026-07-28' ? 'a fresh protocol server per request, on both' : 'a session per client, on both',
      rawV2: summarize(rawRounds),
      mcpPacks: ours,
      roundRatios: ratios.map((ratio) => round(ratio, 3)),
      pairRatios: pairRatios.map((ratio) => round(ratio, 3)),
      medianRatio: round(httpRatio[era], 3),
      // Ratio of medians: CPU time is steadier than wall-clock throughput on a shared machine, but not paired.
      serverCpuRatio: round(
        median(ourRounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN)) /
          median(rawRounds.map((x) => x.serverCpuUsPerCall ?? Number.NaN)),
        3,
      ),
    };
    console.log(`HTTP ${era}`, http[era]);
  }
  return { rawServer, ourServer, http, httpRatio, httpErrors };
}

/**
 * Sequential calls through a real SDK v2 client over HTTP, each era; then the servers' RSS, and all three stopped.
 */
export async function measureHttpPerCall({
  rawServer,
  ourServer,
  userDirs,
  work,
  echo,
  warmupBatches,
}: {
  rawServer: HttpChild;
  ourServer: HttpChild;
  userDirs: Record<string, string>;
  work: string;
  echo: ToolCallSpec;
  warmupBatches: number;
}) {
  // Sequential calls through a real SDK v2 client over HTTP: in the 2026 era each is a request of its own, served
  // by a fresh protocol server, so what building one costs (and how it grows with the composition) shows here.
  const defaultServer = await startHttpChild(
    process.execPath,
    [CLI, '--http', '--port', '0'],
    { MCP_PACKS_TOKEN: TOKEN, ...userDirs },
    work,
  );
  const httpTargets: Record<string, { url: string; token?: string; call: ToolCallSpec }> = {
    rawV2: { url: rawServer.url, call: echo },
    mcpPacksOneTool: { url: ourServer.url, token: TOKEN, call: echo },
    mcpPacksDefault: {
      url: defaultServer.url,
      token: TOKEN,
      call: { name: 'fs_list_allowed_directories', arguments: {} },
    },
  };
  const httpClients: Record<string, { client: Client; requests: number }> = {};
  for (const [name, target] of Object.entries(httpTargets)) {
    for (const era of ERAS) {
      const client = newClient(era);
      const counted = { client, requests: 0 };
      await client.connect(
        new StreamableHTTPClientTransport(new URL(target.url), {
          ...(target.token ? { requestInit: { headers: { authorization: `Bearer ${target.token}` } } } : {}),
          fetch: (url, init) => {
            if (init?.method === 'POST') counted.requests++;
            return fetch(url, init);
          },
        }),
      );
      await client.listTools();
      const probe = await client.callTool(target.call);
      if (probe.isError) throw new Error(`HTTP ${name}@${era}: ${target.call.name} failed`);
      httpClients[key(name, era)] = counted;
    }
  }
  for (const counted of Object.values(httpClients)) counted.requests = 0;
  const httpCallBatches = Math.round(CALL_BATCHES / 2);
  console.log(
    `HTTP per-call: ${Object.keys(httpClients).length} server/era pairs, ${httpCallBatches} batches of ${CALL_BATCH} sequential calls each, through the SDK client`,
  );
  const httpPerCall = await compare(
    Object.fromEntries(
      Object.entries(httpClients).map(([k, { client }]) => {
        const call = httpTargets[k.split('@')[0] as string]?.call as ToolCallSpec;
        return [k, () => client.callTool(call)];
      }),
    ),
    { batchSize: CALL_BATCH, batches: httpCallBatches, warmupBatches, perOperation: true },
  );
  const httpCallsMade = (warmupBatches + httpCallBatches) * CALL_BATCH;
  const httpRequestsPerCall = Object.fromEntries(
    Object.entries(httpClients).map(([k, counted]) => [k, round(counted.requests / httpCallsMade, 3)]),
  );
  await Promise.all(Object.values(httpClients).map(({ client }) => client.close()));
  const httpRss = {
    rawV2: round(treeRss(rawServer.pid).rssMiB),
    mcpPacksOneTool: round(treeRss(ourServer.pid).rssMiB),
    mcpPacksDefault: round(treeRss(defaultServer.pid).rssMiB),
  };
  console.log(
    'HTTP per-call ms (median of batch means / p50 / p99)',
    Object.fromEntries(
      Object.entries(httpPerCall).map(([k, s]) => [
        k,
        `${s.medianMs.toFixed(3)} / ${(s.operationP50Ms ?? 0).toFixed(3)} / ${(s.operationP99Ms ?? 0).toFixed(3)}`,
      ]),
    ),
  );
  console.log('HTTP requests per call', httpRequestsPerCall, 'server RSS after it all, MiB', httpRss);
  await rawServer.stop();
  await ourServer.stop();
  await defaultServer.stop();
  return { httpTargets, httpPerCall, httpCallBatches, httpRequestsPerCall, httpRss };
}
