import { type Agent, request as httpRequest } from 'node:http';
import { type Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { LOCAL_PACK, newClient, type Protocol, writeConfig } from './helpers.ts';

export const TOKEN = 'test-token-0123456789abcdef';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request with full control of the headers (Host included), and the body sent in one piece or chunked. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; chunked?: boolean; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const init = {
      method: options.method ?? 'POST',
      headers: options.headers ?? {},
      ...(options.agent ? { agent: options.agent } : {}),
    };
    const req = httpRequest(url, init, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      // No Content-Length: the limit must hold while streaming too.
      for (let i = 0; i < options.body.length; i += 1024) req.write(options.body.slice(i, i + 1024));
      req.end();
    } else req.end(options.body);
  });
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});
export const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

/** A 2026-07-28 request as a client sends it: the `_meta` envelope in the body, the method in `Mcp-Method`. */
export function modernRequest(method: string, params: Record<string, unknown> = {}, id = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method,
    params: {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '0' },
      },
    },
  });
}
export const MODERN_HEADERS = { ...MCP_HEADERS, 'mcp-protocol-version': '2026-07-28' };

export async function connect(
  url: string,
  token = TOKEN,
  protocol: Protocol = '2025-11-25',
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = newClient(protocol, 'http-test');
  await client.connect(transport);
  return { client, transport };
}

export function config(
  dir: string,
  transport: Record<string, unknown> = {},
  packConfig: Record<string, unknown> = {},
): string {
  return writeConfig(dir, {
    transport: { type: 'http', maxBodyBytes: 4096, ...transport },
    packs: [{ use: LOCAL_PACK, prefix: 'fx', config: packConfig }],
  });
}
