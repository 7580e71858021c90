/** @mcp-packs/server: compose packs into one MCP server. */
export { type ComposedServer, createServer, type PackEntry } from './create-server.js';
