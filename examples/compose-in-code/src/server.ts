/**
 * Your own MCP server with three packs, in code: files (read-only, confined to one directory), system facts and
 * time, and safe web fetches. Run it with `pnpm start` (stdio), or point a client at it.
 */
import { mountPack } from '@mcp-packs/core';
import { filesystemPack } from '@mcp-packs/filesystem';
import { sysinfoPack } from '@mcp-packs/sysinfo';
import { webFetchPack } from '@mcp-packs/web-fetch';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const root = process.env.EXAMPLE_ROOT ?? process.cwd();

const server = new McpServer({ name: 'my-assistant-tools', version: '1.0.0' }, { capabilities: { logging: {} } });
const mounts = [
  await mountPack(server, filesystemPack, { config: { roots: [root] } }),
  await mountPack(server, sysinfoPack, { config: { timeZone: 'UTC' } }),
  await mountPack(server, webFetchPack, { prefix: 'web', config: { maxBytes: 2_000_000 } }),
];

const shutdown = async () => {
  for (const mount of mounts) await mount.close();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.stdin.on('end', shutdown);

await server.connect(new StdioServerTransport());
console.error(`serving ${mounts.flatMap((mount) => mount.tools).length} tools on stdio`);
