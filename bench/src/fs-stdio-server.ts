/**
 * @mcp-packs/filesystem alone, served over stdio on SDK v2 (both eras), for benchmarks that spawn it next to the
 * reference server: `node --import tsx --conditions=@mcp-packs/source fs-stdio-server.ts <root>...`. Read-only,
 * default config otherwise; pack logs go to stderr.
 */
import { createPackInstance } from '@mcp-packs/core/host';
import { filesystemPack } from '@mcp-packs/filesystem';
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const instance = await createPackInstance(filesystemPack, { config: { roots: process.argv.slice(2) }, sdk: 'v2' });
serveStdio(() => {
  const server = new McpServer({ name: 'mcp-packs-filesystem', version: '0.0.0' }, { capabilities: { logging: {} } });
  instance.attach(server);
  return server;
});
