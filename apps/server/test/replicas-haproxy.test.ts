// test-era: once (each scenario runs in both eras below, against one process and against three replicas)
/**
 * N replicas behind a real load balancer: three composer processes (the built CLI, one config, one state secret)
 * behind HAProxy (plain round robin, no stickiness) sharing a real Redis, and the same client suite run against
 * one process on its own. Every request says which replica answered it (`Mcp-Packs-Replica`), so the suite checks
 * that state did cross replicas: an answer to a question, a search page, a session, a resumed stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpChild, PROTOCOLS, writeConfig } from './helpers.ts';
import { type Service, startHaproxy, startRedis, startReplicas } from './replicas-harness.ts';
import { clientSuite, connect, packs, replicaData, SECRET, type Target, TOKEN } from './replicas-suite.ts';

const data = replicaData();

describe('three replicas behind HAProxy, sharing Redis', () => {
  let redis: Service & { url: string };
  let proxy: Service;
  let replicas: HttpChild[] = [];
  let configFile = '';
  beforeAll(async () => {
    data.write();
    redis = await startRedis(data.dir.path);
    configFile = writeConfig(
      data.dir.path,
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the secret comes from the environment, as in production.
        transport: { type: 'http', stateSecret: '${REPLICA_SECRET}', backend: { redis: redis.url } },
        packs: packs(data.dataDir),
      },
      'replicas.config.json',
    );
    replicas = await startReplicas(configFile, 3, { MCP_PACKS_TOKEN: TOKEN, REPLICA_SECRET: SECRET });
    proxy = await startHaproxy(
      data.dir.path,
      replicas.map((replica) => Number(new URL(replica.url).port)),
    );
  });
  afterAll(async () => {
    await Promise.all(replicas.map((child) => child.stop()));
    await proxy?.stop();
    await redis?.stop();
    data.dir.cleanup();
  });
  const target = (): Target => ({ url: `http://127.0.0.1:${proxy.port}/mcp`, replicas, spread: true });
  for (const protocol of PROTOCOLS) {
    describe(protocol, () => {
      clientSuite(target, protocol);
    });
  }

  describe('a replica without the shared secret', () => {
    let stranger: HttpChild;
    beforeAll(async () => {
      const file = writeConfig(
        data.dir.path,
        { transport: { type: 'http', backend: { redis: redis.url } }, packs: packs(data.dataDir) },
        'stranger.config.json',
      );
      [stranger] = (await startReplicas(file, 1, { MCP_PACKS_TOKEN: TOKEN }, 4)) as [HttpChild];
    });
    afterAll(async () => {
      await stranger.stop();
    });

    it('is warned about at start', () => {
      expect(stranger.stderr()).toMatch(/transport\.backend is set .* but no state secret is/);
    });

    for (const protocol of PROTOCOLS) {
      it(`refuses a search cursor made elsewhere with a clear tool error, and goes on serving (${protocol})`, async () => {
        const { client } = await connect(target().url, protocol);
        const first = await client.callTool({
          name: 'fs_search_files',
          arguments: { pattern: '*.txt', maxResults: 10 },
        });
        const cursor = (first.structuredContent as { nextCursor: string }).nextCursor;
        const { client: direct } = await connect(stranger.url, protocol);
        const refused = await direct.callTool({
          name: 'fs_search_files',
          arguments: { pattern: '*.txt', maxResults: 10, cursor },
        });
        expect(refused.isError).toBe(true);
        expect(JSON.stringify(refused.content)).toMatch(/invalid_cursor|not valid/);
        expect(JSON.stringify(refused.content)).toMatch(/state secret/);
        expect((await direct.callTool({ name: 'fx_echo', arguments: { text: 'y' } })).structuredContent).toEqual({
          text: 'hello y',
        });
        await Promise.all([client.close(), direct.close()]);
      });
    }

    it('refuses request state sealed by another replica (2026-07-28) with a protocol error, not a crash', async () => {
      // The call goes to r1, its retry with the answer to the stranger.
      let calls = 0;
      const strangerUrl = new URL(stranger.url);
      const r1 = new URL((replicas[0] as HttpChild).url);
      const { client } = await connect(target().url, '2026-07-28', [], (what, url) => {
        if (what !== 'tools/call') return url;
        calls++;
        return calls === 1 ? r1 : strangerUrl;
      });
      await expect(client.callTool({ name: 'ask_delete_thing', arguments: { name: 'the draft' } })).rejects.toThrow(
        /requestState/i,
      );
      expect(calls).toBe(2);
      const health = await fetch(new URL('/health', stranger.url));
      expect(health.status).toBe(200);
      await client.close();
    });
  });
});
