/** The stdio figures of server.bench.ts: cold start, idle RSS, and sequential calls through an SDK client. */
import type { Client, JSONRPCMessage } from '@modelcontextprotocol/client';
import { compare } from './harness.ts';
import { type Started, start, type ToolCallSpec, treeRss } from './server-clients.ts';
import { CALL_BATCH, CALL_BATCHES, COLD_RUNS, median, RSS_RUNS, round } from './server-common.ts';
import type { Entry } from './server-setup.ts';

/** Cold start: spawn → connected → tools/list answered, every server/era pair interleaved in each round. */
export async function measureColdStart(entries: readonly Entry[], keys: readonly string[]) {
  console.log(`cold start: ${entries.length} server/era pairs, a warm-up round, then ${COLD_RUNS} rounds`);
  const cold: Record<string, { listed: number[]; answered: number[]; connected: number[] }> = Object.fromEntries(
    keys.map((k) => [k, { listed: [], answered: [], connected: [] }]),
  );
  const sizes: Record<string, { tools: number; toolsBytes: number; responseBytes: number }> = {};
  const negotiated: Record<string, string | undefined> = {};
  for (let r = -1; r < COLD_RUNS; r++) {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[(i + Math.max(r, 0)) % entries.length] as (typeof entries)[number];
      const started = await start(entry.server, entry.era);
      await started.client.close();
      if (r < 0) continue;
      const samples = cold[entry.key] as (typeof cold)[string];
      samples.listed.push(started.listedMs);
      samples.answered.push(started.answeredMs);
      samples.connected.push(started.connectedMs);
      sizes[entry.key] = {
        tools: started.tools,
        toolsBytes: started.toolsBytes,
        responseBytes: started.responseBytes,
      };
      negotiated[entry.key] = started.protocol;
    }
  }
  const coldMedian = (k: string, phase: 'listed' | 'answered' | 'connected') => median(cold[k]?.[phase] ?? []);
  /** Median over rounds of a/b, each ratio within one round (the two started a few hundred ms apart). */
  const coldRatio = (a: string, b: string) => {
    const x = cold[a]?.listed ?? [];
    const y = cold[b]?.listed ?? [];
    return median(x.map((value, i) => value / (y[i] ?? Number.NaN)));
  };
  console.log(
    'cold start median ms (listTools resolved)',
    Object.fromEntries(keys.map((k) => [k, round(coldMedian(k, 'listed'))])),
  );
  return { cold, sizes, negotiated, coldMedian, coldRatio };
}

/** Idle RSS: every server/era pair started together, read 2 s after the last tools/list. */
export async function measureIdleRss(entries: readonly Entry[], keys: readonly string[]) {
  console.log(`idle RSS: every server/era pair started together, read 2 s after the last tools/list, ${RSS_RUNS} runs`);
  const rssSamples: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const processCount: Record<string, number> = {};
  for (let r = 0; r < RSS_RUNS; r++) {
    const live: { key: string; started: Started }[] = [];
    for (const entry of entries) live.push({ key: entry.key, started: await start(entry.server, entry.era) });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const { key: k, started } of live) {
      const { rssMiB: rss, processes } = treeRss(started.pid);
      rssSamples[k]?.push(rss);
      processCount[k] = processes;
    }
    await Promise.all(live.map(({ started }) => started.client.close()));
  }
  const rss = Object.fromEntries(keys.map((k) => [k, round(median(rssSamples[k] ?? []))]));
  console.log('idle RSS MiB', rss);
  return { rss, processCount };
}

/** Per-call: sequential calls of a cheap tool through the client, each server/era pair, interleaved. */
export async function measurePerCall(entries: readonly Entry[]) {
  const callEntries = entries.filter((entry) => entry.server.cheapCall);
  console.log(
    `per-call: ${callEntries.length} server/era pairs, ${CALL_BATCHES} batches of ${CALL_BATCH} sequential calls each, interleaved`,
  );
  const connected: Record<string, Started & { requests: number }> = {};
  for (const entry of callEntries) {
    const started = await start(entry.server, entry.era);
    const counted = Object.assign(started, { requests: 0 });
    const send = started.transport.send.bind(started.transport);
    started.transport.send = (message: JSONRPCMessage) => {
      if ('method' in message && 'id' in message) counted.requests++;
      return send(message);
    };
    const call = entry.server.cheapCall as ToolCallSpec;
    const probe = await started.client.callTool(call);
    if (probe.isError) throw new Error(`${entry.key}: ${call.name} failed: ${JSON.stringify(probe.content)}`);
    connected[entry.key] = counted;
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const warmupBatches = 4;
  for (const started of Object.values(connected)) started.requests = 0;
  const perCall = await compare(
    Object.fromEntries(
      callEntries.map((entry) => {
        const client = connected[entry.key]?.client as Client;
        const call = entry.server.cheapCall as ToolCallSpec;
        return [entry.key, () => client.callTool(call)];
      }),
    ),
    { batchSize: CALL_BATCH, batches: CALL_BATCHES, warmupBatches, perOperation: true },
  );
  const callsMade = (warmupBatches + CALL_BATCHES) * CALL_BATCH;
  const requestsPerCall = Object.fromEntries(
    Object.entries(connected).map(([k, started]) => [k, round(started.requests / callsMade, 3)]),
  );
  const rssAfterCalls = Object.fromEntries(
    Object.entries(connected).map(([k, started]) => [k, round(treeRss(started.pid).rssMiB)]),
  );
  await Promise.all(Object.values(connected).map((started) => started.client.close()));
  console.log(
    'per-call ms (median of batch means / p50 / p99)',
    Object.fromEntries(
      Object.entries(perCall).map(([k, s]) => [
        k,
        `${s.medianMs.toFixed(3)} / ${(s.operationP50Ms ?? 0).toFixed(3)} / ${(s.operationP99Ms ?? 0).toFixed(3)}`,
      ]),
    ),
  );
  console.log('requests on the wire per call', requestsPerCall);
  return { perCall, requestsPerCall, rssAfterCalls, warmupBatches };
}
