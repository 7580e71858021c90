import { describe, expect, it } from 'vitest';
import { kitchenSinkPack } from '../fixtures/kitchen-sink.js';
import { connectPack, defaultTestProtocol, TEST_PROTOCOLS } from './index.js';

describe('connectPack', () => {
  it('speaks the era MCP_PACKS_TEST_PROTOCOL names (the root config runs kit tests once per era), else 2026-07-28', async () => {
    const expected = process.env.MCP_PACKS_TEST_PROTOCOL || '2026-07-28';
    expect(defaultTestProtocol()).toBe(expected);
    await using conn = await connectPack(kitchenSinkPack());
    expect(conn.protocol).toBe(expected);
    expect(conn.client.getNegotiatedProtocolVersion()).toBe(expected);
  });

  it.each(TEST_PROTOCOLS)('speaks %s when asked, whatever the environment', async (protocol) => {
    await using conn = await connectPack(kitchenSinkPack(), { protocol });
    expect(conn.client.getNegotiatedProtocolVersion()).toBe(protocol);
    expect((await conn.callTool('greet', { name: 'era' })).structuredContent).toEqual({ message: 'hello, era' });
  });
});
