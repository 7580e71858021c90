// test-era: once (each scenario runs in both eras below, against one process and against three replicas)
/**
 * N replicas behind a real load balancer: three composer processes (the built CLI, one config, one state secret)
 * behind HAProxy (plain round robin, no stickiness) sharing a real Redis, and the same client suite run against
 * one process on its own. Every request says which replica answered it (`Mcp-Packs-Replica`), so the suite checks
 * that state did cross replicas: an answer to a question, a search page, a session, a resumed stream.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { type HttpChild, PROTOCOLS, writeConfig } from './helpers.ts';
import { startReplicas } from './replicas-harness.ts';
import { clientSuite, packs, replicaData, TOKEN } from './replicas-suite.ts';

const data = replicaData();

describe('one process on its own (sessions in memory)', () => {
  let single: HttpChild[] = [];
  beforeAll(async () => {
    data.write();
    const file = writeConfig(
      data.dir.path,
      { transport: { type: 'http' }, packs: packs(data.dataDir) },
      'one.config.json',
    );
    single = await startReplicas(file, 1, { MCP_PACKS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await Promise.all(single.map((child) => child.stop()));
    data.dir.cleanup();
  });
  for (const protocol of PROTOCOLS) {
    describe(protocol, () => {
      clientSuite(() => ({ url: (single[0] as HttpChild).url, replicas: single, spread: false }), protocol);
    });
  }
});
