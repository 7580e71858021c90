/**
 * The same packs on an existing server built with the SDK v1 (`@modelcontextprotocol/sdk` ^1.32, protocol
 * 2025-11-25 only): `mountPack` sees which SDK the server is from and mounts the same pack definitions on it.
 */
import { mountPack } from '@mcp-packs/core/host';
import { filesystemPack } from '@mcp-packs/filesystem';
import { sysinfoPack } from '@mcp-packs/sysinfo';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const root = process.env.EXAMPLE_ROOT ?? process.cwd();

const server = new McpServer({ name: 'my-v1-server', version: '1.0.0' }, { capabilities: { logging: {} } });
const mounts = [
  await mountPack(server, filesystemPack, { config: { roots: [root] } }),
  await mountPack(server, sysinfoPack, { config: { timeZone: 'UTC' } }),
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
console.error(`serving ${mounts.flatMap((mount) => mount.tools).length} tools on stdio (SDK v1)`);
