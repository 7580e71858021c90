/** Answers the HTTP transport writes itself, before (or instead of) the SDK: JSON bodies and JSON-RPC errors. */
import type { ServerResponse } from 'node:http';

/** Answer `status` with `body` as JSON (or just end an answer already started). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Answer `status` with a JSON-RPC error that belongs to no request (`id: null`). */
export function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string | number> = {},
): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}
