/**
 * Request bodies: read under the size limit (413 at once beyond it, the rest discarded as it comes and the
 * connection closed without losing that answer), and judged from their text before they are parsed: a batch, or
 * nesting deeper than {@link MAX_JSON_DEPTH}, is refused without a parse.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { rpcError } from './respond.js';

/**
 * The deepest nesting of arrays and objects a request body may have. JSON-RPC messages need 3 or 4 levels and tool
 * arguments rarely a dozen; much deeper JSON parses fine but overflows the stack of whatever walks it recursively
 * later (the SDK serializes the body again), which is a 500 at best.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * How long a connection answered before its body was read (413) goes on taking what the client still sends, so
 * that it reads the answer before the connection closes.
 */
const LINGER_MS = 2000;

/**
 * Close `socket` after the answer now being sent, without losing it, though the client may still be sending a body
 * we will not read. Closing a socket with unread input makes the kernel reset the connection, and the reset can
 * discard the answer before the client has read it. So (what nginx calls a lingering close): send the answer,
 * half-close, discard whatever still comes for up to {@link LINGER_MS}, then close. Node closes a `Connection: close`
 * response's socket with `destroySoon()` once the answer is written; this replaces it on this one socket.
 */
function lingerAfterAnswer(socket: Socket): void {
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    // What still arrives goes to the HTTP parser, which drops the rest of the body (`req._dump()`): nothing is kept.
  };
}

/** Answer 413 for a body over `limit` and close the connection (lingering: the client gets the answer). */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  lingerAfterAnswer(req.socket);
  rpcError(res, 413, -32000, `Payload too large: the limit is ${limit} bytes.`, { connection: 'close' });
}

/** Whether the quote at `index` of `text` is escaped (an odd number of backslashes before it). */
function escaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * What a request body is, read from its text before it is parsed: a batch (a JSON array: MCP dropped batching in
 * 2025-06-18, and the 2026 era never had it), nested deeper than `maxDepth`, or fit to parse (which may still find
 * it is not JSON). One pass; strings are skipped with `indexOf`, so a body of long strings costs little.
 */
export function bodyShape(text: string, maxDepth = MAX_JSON_DEPTH): 'batch' | 'too-deep' | 'ok' {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  if (text[i] === '[') return 'batch';
  if (text.length <= maxDepth) return 'ok';
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return 'ok'; // an unterminated string: JSON.parse says what is wrong
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return 'too-deep';
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return 'ok';
}

/**
 * Read a POST body under the limit. `undefined` when it is over (answered 413 at once, the rest is discarded as it
 * comes, never kept) or when the request ended before its body did (the client went away, or Node timed it out).
 */
export const readBody = (req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | undefined> =>
  new Promise((resolve) => {
    if (/^\s*100-continue\s*$/i.test(req.headers.expect ?? '')) res.writeContinue();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Stop collecting; the stream flows on into nothing until the connection closes.
      req.off('data', onData);
      chunks.length = 0;
      refuseTooLarge(req, res, limit);
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    req.once('close', () => resolve(undefined));
    req.once('error', () => resolve(undefined));
  });
