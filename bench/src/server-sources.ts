/** The servers server.bench.ts writes for itself: the raw SDK v2 floor (stdio and HTTP) and its one tool as a pack. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repo } from './server-common.ts';

/**
 * The raw SDK v2 floor over stdio: one tool, nothing else, served in both eras by the SDK's `serveStdio`. It turns
 * on Node's compile cache as the `mcp-packs` CLI does, so that start-up ratios compare the servers' work, not
 * whether bytecode was cached.
 */
export function rawStdioSource(): string {
  const server = import.meta.resolve('@modelcontextprotocol/server');
  const stdio = import.meta.resolve('@modelcontextprotocol/server/stdio');
  const zod = import.meta.resolve('zod');
  return `import module from 'node:module';
module.enableCompileCache?.();
const { McpServer } = await import(${JSON.stringify(server)});
const { serveStdio } = await import(${JSON.stringify(stdio)});
const { z } = await import(${JSON.stringify(zod)});
const input = z.object({ text: z.string() });
serveStdio(() => {
  const server = new McpServer({ name: 'raw', version: '0' });
  server.registerTool('echo', { description: 'Echo the text.', inputSchema: input }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
});
`;
}

/** The same one tool as a pack (no output schema, text result). */
export function oneToolPackSource(): string {
  const core = pathToFileURL(join(repo, 'packages', 'core', 'dist', 'index.js')).href;
  const zod = import.meta.resolve('zod');
  return `import { definePack, defineTool } from ${JSON.stringify(core)};
import { z } from ${JSON.stringify(zod)};
export default definePack({
  name: 'bench',
  description: 'One cheap tool.',
  tools: {
    echo: defineTool({
      description: 'Echo the text.',
      inputSchema: z.object({ text: z.string() }),
      annotations: { readOnlyHint: true },
      execute: ({ text }) => text,
    }),
  },
});
`;
}

/**
 * The raw SDK v2 floor over Streamable HTTP, both eras at one endpoint as the SDK documents it: a request with a
 * session id goes to its session; otherwise `isLegacyRequest` decides: 2025 (`initialize`) opens a session with a
 * server of its own, 2026 goes to `createMcpHandler` (a fresh server per request). Every body is read and parsed
 * once, here, and handed on (as the composer does).
 *
 * A floor, so as cheap as the SDK allows: the tool's schema is built once, not in the factory, and every server
 * shares one JSON Schema validator (the composer does both). Written as the SDK's examples write a factory (a fresh
 * `z.object` and a default validator per server), each 2026-era request costs ~2x as much in-process (measured
 * while writing this: ~420 µs vs ~200 µs per tools/call through `createMcpHandler`), which would flatter mcp-packs.
 */
export function rawHttpSource(): string {
  const server = import.meta.resolve('@modelcontextprotocol/server');
  const ajv = import.meta.resolve('@modelcontextprotocol/server/validators/ajv');
  const node = import.meta.resolve('@modelcontextprotocol/node');
  const zod = import.meta.resolve('zod');
  return `import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import module from 'node:module';
module.enableCompileCache?.();
const { McpServer, createMcpHandler, isLegacyRequest } = await import(${JSON.stringify(server)});
const { AjvJsonSchemaValidator } = await import(${JSON.stringify(ajv)});
const { NodeStreamableHTTPServerTransport, toNodeHandler } = await import(${JSON.stringify(node)});
const { z } = await import(${JSON.stringify(zod)});
const input = z.object({ text: z.string() });
const jsonSchemaValidator = new AjvJsonSchemaValidator();
const newServer = () => {
  const server = new McpServer({ name: 'raw', version: '0' }, { jsonSchemaValidator });
  server.registerTool('echo', { description: 'Echo the text.', inputSchema: input }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
};
const modern = toNodeHandler(createMcpHandler(newServer, { legacy: 'reject' }));
const sessions = new Map();
const readBody = async (req) => {
  if (req.method !== 'POST') return undefined;
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};
const httpServer = createServer(async (req, res) => {
  const id = req.headers['mcp-session-id'];
  const body = await readBody(req);
  if (typeof id === 'string') {
    const transport = sessions.get(id);
    if (!transport) { res.writeHead(404).end(); return; }
    await transport.handleRequest(req, res, body);
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  if (!(await isLegacyRequest(new Request('http://localhost' + req.url, { method: req.method, headers }), body))) {
    await modern(req, res, body);
    return;
  }
  const server = newServer();
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: randomUUID,
    onsessioninitialized: (sid) => sessions.set(sid, transport),
  });
  transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
});
httpServer.listen(0, '127.0.0.1', () => process.stderr.write('serving on http://127.0.0.1:' + httpServer.address().port + '/mcp\\n'));
process.on('SIGTERM', () => process.exit(0));
`;
}
