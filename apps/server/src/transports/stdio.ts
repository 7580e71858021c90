/**
 * stdio: the SDK's `serveStdio` entry (it picks the era from the opening message: `server/discover` or any request
 * with the 2026-07-28 envelope, else the 2025 `initialize` handshake, and pins one server of the composition for the
 * connection) over a line transport of our own.
 *
 * Why our own transport: the SDK's skips a line that is not JSON and reports a line that is not a JSON-RPC message
 * only to `onerror`, so a client that sends one waits forever. JSON-RPC asks for an answer: `-32700` (parse error)
 * for a line that is not JSON, `-32600` (invalid request) for one that is JSON but no message, batches included
 * (MCP dropped batching in 2025-06-18). Each gets that answer, with the request's `id` when one can be read, and the
 * connection goes on. A line over {@link MAX_LINE_BYTES} is skipped unread and answered `-32600` once it ends, with
 * the id its first or last bytes show (so the request fails at once instead of waiting forever); error messages are
 * cut to {@link MAX_ERROR_MESSAGE_CHARS}. stdout carries the protocol and nothing else; a client that goes away
 * mid-write (EPIPE) is not an error worth a crash.
 */
import type { Readable, Writable } from 'node:stream';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';
import { serveStdio as serveStdioEntry } from '@modelcontextprotocol/server/stdio';
import type { Composition } from '../compose.js';
import type { ServerLog } from '../log.js';

/** The longest line read as one message; a longer one is answered `-32600` and skipped. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The longest error message sent, in characters. JSON-RPC asks for "a short description"; an SDK message that quotes
 * the request ("Tool <name> not found" with a 5 MB name) would otherwise hand the client megabytes of its own input.
 */
export const MAX_ERROR_MESSAGE_CHARS = 2000;

type Id = string | number | null;

function errorLine(id: Id, code: number, message: string): string {
  return `${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`;
}

/** `message` with its error message cut to {@link MAX_ERROR_MESSAGE_CHARS}, if it is an error response with a longer one. */
function boundedError(message: JSONRPCMessage): JSONRPCMessage {
  if (!isJSONRPCErrorResponse(message) || typeof message.error.message !== 'string') return message;
  const text = message.error.message;
  if (text.length <= MAX_ERROR_MESSAGE_CHARS) return message;
  let end = MAX_ERROR_MESSAGE_CHARS;
  // Never cut a surrogate pair in two.
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return {
    ...message,
    error: { ...message.error, message: `${text.slice(0, end)}… (${text.length - end} more characters)` },
  };
}

/** How many bytes of the start and of the end of a skipped line are kept, to read its id from. */
const ID_WINDOW_BYTES = 4096;
const ID_VALUE = String.raw`(-?\d{1,16}|"(?:[^"\\]|\\.){0,256}")`;
/** `{"id": 5, ...` or `{"jsonrpc": "2.0", "method": "x", "id": 5, ...`: the id among the first members. */
const LEADING_ID = new RegExp(
  String.raw`^\s*\{(?:\s*"(?:jsonrpc|method)"\s*:\s*"(?:[^"\\]|\\.){0,256}"\s*,)*\s*"id"\s*:\s*${ID_VALUE}\s*[,}]`,
);
/**
 * `..., "id": 5}` at the very end: the top-level object's last member (a nested object's would be followed by more
 * than one closing brace). The SDK's clients write the id last.
 */
const TRAILING_ID = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${ID_VALUE}\s*\}\s*$`);

/** The id of a line too long to parse, read from its start or its end; `null` when neither shows one. */
export function skippedLineId(head: Buffer, tail: Buffer): Id {
  const match = LEADING_ID.exec(head.toString('utf8')) ?? TRAILING_ID.exec(tail.toString('utf8'));
  if (!match) return null;
  try {
    const id: unknown = JSON.parse(match[1] as string);
    return typeof id === 'string' || Number.isSafeInteger(id) ? (id as string | number) : null;
  } catch {
    return null;
  }
}

function lastBytes(before: Buffer, after: Buffer): Buffer {
  if (after.length >= ID_WINDOW_BYTES) return after.subarray(after.length - ID_WINDOW_BYTES);
  const joined = Buffer.concat([before, after]);
  return joined.subarray(Math.max(0, joined.length - ID_WINDOW_BYTES));
}

function readableId(value: unknown): Id {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

function isMessage(value: unknown): value is JSONRPCMessage {
  return (
    isJSONRPCRequest(value) ||
    isJSONRPCNotification(value) ||
    isJSONRPCResultResponse(value) ||
    isJSONRPCErrorResponse(value)
  );
}

/** Newline-delimited JSON-RPC on a pair of streams, answering lines that are no message. */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  readonly #maxLineBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Inside a line over the limit: drop bytes until its end. */
  #skipping = false;
  /** The first and the latest bytes of the line being skipped, where its id may show. */
  #skippedHead: Buffer = Buffer.alloc(0);
  #skippedTail: Buffer = Buffer.alloc(0);
  #started = false;
  #closed = false;

  constructor(stdin: Readable, stdout: Writable, options: { maxLineBytes?: number } = {}) {
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error('LineTransport already started');
    this.#started = true;
    this.#stdin.on('data', this.#onData);
    this.#stdin.on('end', this.#onEnd);
    this.#stdin.on('close', this.#onEnd);
    this.#stdin.on('error', this.#onStreamError);
    this.#stdout.on('error', this.#onStreamError);
    if (this.#stdin.readableEnded || this.#stdin.destroyed) setImmediate(this.#onEnd);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await this.#write(`${JSON.stringify(boundedError(message))}\n`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stdin.off('data', this.#onData);
    this.#stdin.off('end', this.#onEnd);
    this.#stdin.off('close', this.#onEnd);
    this.#stdin.off('error', this.#onStreamError);
    // Keep swallowing late EPIPEs: the client may be gone.
    this.#stdin.pause();
    this.#chunks = [];
    this.onclose?.();
  }

  #write(text: string): Promise<void> {
    if (this.#closed || this.#stdout.writableEnded || this.#stdout.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.#stdout.write(text)) resolve();
      else this.#stdout.once('drain', resolve);
    });
  }

  #onStreamError = (error: Error) => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
      void this.close();
      return;
    }
    this.onerror?.(error);
  };

  #onEnd = () => {
    void this.close();
  };

  #onData = (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a)) {
      const tail = data.subarray(0, newline);
      data = data.subarray(newline + 1);
      if (this.#skipping) {
        this.#skipping = false;
        this.#refuseLong(this.#skippedHead, lastBytes(this.#skippedTail, tail));
        continue;
      }
      if (this.#buffered + tail.length > this.#maxLineBytes) {
        this.#refuseLong(this.#headOf([...this.#chunks, tail]), lastBytes(Buffer.alloc(0), tail));
        this.#chunks = [];
        this.#buffered = 0;
        continue;
      }
      const line = this.#chunks.length === 0 ? tail : Buffer.concat([...this.#chunks, tail]);
      this.#chunks = [];
      this.#buffered = 0;
      this.#line(line);
      if (this.#closed) return;
    }
    if (data.length === 0) return;
    if (this.#skipping) {
      this.#skippedTail = lastBytes(this.#skippedTail, data);
      return;
    }
    this.#buffered += data.length;
    if (this.#buffered > this.#maxLineBytes) {
      this.#skippedHead = this.#headOf([...this.#chunks, data]);
      this.#skippedTail = Buffer.from(lastBytes(Buffer.alloc(0), data));
      this.#chunks = [];
      this.#buffered = 0;
      this.#skipping = true;
      return;
    }
    this.#chunks.push(data);
  };

  /** The first bytes of a line in pieces, copied (the pieces are let go). */
  #headOf(pieces: readonly Buffer[]): Buffer {
    const start: Buffer[] = [];
    let kept = 0;
    for (const piece of pieces) {
      if (kept >= ID_WINDOW_BYTES) break;
      const part = piece.subarray(0, ID_WINDOW_BYTES - kept);
      start.push(part);
      kept += part.length;
    }
    return Buffer.concat(start);
  }

  /**
   * Answer a line over the limit, once it has ended, with its id when its start or its end shows it (else the
   * client's request would wait for an answer that never comes).
   */
  #refuseLong(head: Buffer, tail: Buffer): void {
    this.#skippedHead = Buffer.alloc(0);
    this.#skippedTail = Buffer.alloc(0);
    void this.#write(
      errorLine(
        skippedLineId(head, tail),
        -32600,
        `Invalid Request: a message is longer than ${this.#maxLineBytes} bytes; it was skipped.`,
      ),
    );
  }

  #line(bytes: Buffer): void {
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      void this.#write(
        errorLine(null, -32700, 'Parse error: a line is not valid JSON; send one JSON-RPC message per line.'),
      );
      return;
    }
    if (Array.isArray(value)) {
      void this.#write(
        errorLine(null, -32600, 'Invalid Request: JSON-RPC batches are not supported; send one message per line.'),
      );
      return;
    }
    if (!isMessage(value)) {
      void this.#write(
        errorLine(
          readableId(value),
          -32600,
          'Invalid Request: not a JSON-RPC 2.0 message (it needs "jsonrpc": "2.0" and a method, or a result or error with an id).',
        ),
      );
      return;
    }
    try {
      this.onmessage?.(value);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** A running stdio connection. */
export interface StdioConnection {
  /** Close the connection's server (the packs live on: the caller owns them) and the transport. Idempotent. */
  close(): Promise<void>;
  /** Resolves when the client has closed its end (stdin ended) or the transport failed. */
  readonly ended: Promise<void>;
}

/** Serve the composition (or one of its presets) on stdin/stdout (or the given streams), both protocol eras. */
export function serveStdio(
  composition: Composition,
  io: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout },
  log?: ServerLog,
  preset?: string,
): StdioConnection {
  const transport = new LineTransport(io.stdin, io.stdout);
  let ended!: () => void;
  const endedPromise = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const handle = serveStdioEntry(() => composition.createServer(preset).server, {
    transport,
    onerror: (error) => log?.debug(`stdio: ${error.message}`),
  });
  // The entry chains its own close handling onto the transport's: listen for the end on the stream itself.
  io.stdin.once('end', () => ended());
  io.stdin.once('close', () => ended());
  let closing: Promise<void> | undefined;
  return {
    ended: endedPromise,
    close() {
      closing ??= handle.close();
      return closing;
    },
  };
}
