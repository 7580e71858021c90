/**
 * Your own MCP server with three packs, in code: files (read-only, confined to one directory), system facts and
 * time, and safe web fetches, on the SDK v2 (`@modelcontextprotocol/server`), both protocol eras. Run it with
 * `pnpm start` (stdio), or point a client at it.
 *
 * Each pack is set up once (`createPackInstance`); the SDK asks the factory for a server per connection (stdio) or
 * per request (HTTP, 2026-07-28), and each new server gets the packs attached, cheaply.
 */
import { createPackInstance, verifyInputState } from '@mcp-packs/core/host';
import { filesystemPack } from '@mcp-packs/filesystem';
import { sysinfoPack } from '@mcp-packs/sysinfo';
import { webFetchPack } from '@mcp-packs/web-fetch';
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const root = process.env.EXAMPLE_ROOT ?? process.cwd();

const packs = [
  await createPackInstance(filesystemPack, { config: { roots: [root] } }),
  await createPackInstance(sysinfoPack, { config: { timeZone: 'UTC' } }),
  await createPackInstance(webFetchPack, { prefix: 'web', config: { maxBytes: 2_000_000 } }),
];

const connection = serveStdio(() => {
  const server = new McpServer(
    { name: 'my-assistant-tools', version: '1.0.0' },
    // verifyInputState: refuse request state no pack here sealed (questions to the user, 2026-07-28).
    { capabilities: { logging: {} }, requestState: { verify: verifyInputState } },
  );
  for (const pack of packs) pack.attach(server);
  return server;
});

const shutdown = async () => {
  await Promise.all(packs.map((pack) => pack.close()));
  await connection.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.stdin.on('end', shutdown);

console.error(`serving ${packs.flatMap((pack) => pack.tools).length} tools on stdio`);
