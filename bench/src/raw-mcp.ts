/**
 * One MCP request as a raw HTTP POST over a keep-alive agent, the way the load benches send it (no SDK client in the
 * measured path): the 2026-07-28 envelope in `_meta` and the routing headers, or the 2025-11-25 session header.
 */
import { type Agent, request as httpRequest } from 'node:http';
import type { Era } from './server-common.ts';

/** Where a raw request goes, and as whom. */
export interface RawTarget {
  url: string;
  agent: Agent;
  era: Era;
  token: string | undefined;
  /** The 2025-11-25 session id, once `initialize` gave one. */
  session: string | undefined;
}

export interface RawReply {
  status: number;
  session: string | undefined;
  text: string;
}

/**
 * POST `message` to `target`. With `onStaleRetry`, a request on a reused keep-alive socket that the server closed
 * while idle (ECONNRESET: Node's documented remedy is to retry) is sent once more, and `onStaleRetry` counts it.
 */
export function rawPost(
  target: RawTarget,
  message: { method: string; params?: Record<string, unknown>; id?: number },
  name?: string,
  onStaleRetry?: () => void,
): Promise<RawReply> {
  const modern = target.era === '2026-07-28';
  const meta = {
    'io.modelcontextprotocol/protocolVersion': target.era,
    'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const payload = JSON.stringify({
    jsonrpc: '2.0',
    ...message,
    ...(modern ? { params: { ...message.params, _meta: meta } } : {}),
  });
  const headers: Record<string, string | number> = {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
  };
  if (modern) {
    headers['mcp-protocol-version'] = target.era;
    headers['mcp-method'] = message.method;
    if (name) headers['mcp-name'] = name;
  } else if (target.session) {
    headers['mcp-protocol-version'] = target.era;
    headers['mcp-session-id'] = target.session;
  }
  const send = (retried: boolean): Promise<RawReply> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(target.url, { method: 'POST', agent: target.agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const session = res.headers['mcp-session-id'];
          resolve({ status: res.statusCode ?? 0, session: typeof session === 'string' ? session : undefined, text });
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (onStaleRetry && !retried && req.reusedSocket && error.code === 'ECONNRESET') {
          onStaleRetry();
          resolve(send(true));
        } else reject(error);
      });
      req.end(payload);
    });
  return send(false);
}
