/**
 * The tool fuzz's server as a child process over stdio (tools.cases.ts): a client transport that also writes raw
 * request lines, and the suite's context started on it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type JSONRPCMessage, serializeMessage, type Transport } from '@modelcontextprotocol/client';
import { CLI, childEnv, newClient, ROOT } from '../helpers.js';
import {
  encode,
  type FuzzTarget,
  own,
  PendingReplies,
  type Reply,
  type ToolsContext,
  Unsendable,
} from './tool-fuzz.js';
import { createFixture, createNotes, fuzzTools } from './tools-fixture.js';

/**
 * A client transport over a `mcp-packs` child process that can also write raw request lines: replies to those
 * (ids `fuzz-N`) go to the fuzzer, everything else to the SDK client. Every stdout line must be JSON-RPC; stderr is
 * kept, and Node warnings in it are reported.
 */
class StdioFuzzTarget implements Transport, FuzzTarget {
  readonly child: ChildProcess;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  stderr = '';
  /** Errors with `"id": null` (a line the server could not read as a request). */
  readonly nullIdErrors: { code: number; message: string }[] = [];
  readonly #pending = new PendingReplies();
  #chunks: Buffer[] = [];
  #next = 0;
  #warnings: string[] = [];
  #exited = false;
  readonly exited: Promise<void>;

  constructor(args: readonly string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      env: childEnv(env),
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-1_000_000);
      for (const line of chunk.split('\n')) {
        if (/\(node:\d+\) \[?\w*(Warning|DEP\d+)/.test(line) || /^\w*Warning: /.test(line)) this.#warnings.push(line);
      }
    });
    this.child.stdin?.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.once('close', () => {
        this.#exited = true;
        this.#pending.closeAll();
        this.onclose?.();
        resolve();
      });
    });
  }

  get alive(): boolean {
    return !this.#exited && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    this.child.stdin?.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
  }

  takeWarnings(): string[] {
    const warnings = this.#warnings;
    this.#warnings = [];
    return warnings;
  }

  /** Write `line` (no newline) as is and wait for the reply with `id`. */
  writeLine(line: Buffer, id: string, timeoutMs: number): Promise<Reply> {
    if (!this.alive) return Promise.resolve({ kind: 'closed', text: 'the server is not running' });
    return this.#pending.wait(id, timeoutMs, () => this.child.stdin?.write(Buffer.concat([line, Buffer.from('\n')])));
  }

  request(message: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    const id = `fuzz-${this.#next++}`;
    let line: Buffer;
    try {
      line = encode(
        own([['jsonrpc', '2.0'], ['id', id], ...Object.entries(message).filter(([key]) => key !== 'jsonrpc')]),
      );
    } catch (error) {
      if (error instanceof Unsendable) return Promise.resolve({ kind: 'unsendable', text: error.message });
      throw error;
    }
    return this.writeLine(line, id, timeoutMs);
  }

  #onData(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      const line = this.#chunks.length === 0 ? piece : Buffer.concat([...this.#chunks, piece]);
      this.#chunks = [];
      start = newline + 1;
      this.#line(line);
    }
    if (start < chunk.length) this.#chunks.push(chunk.subarray(start));
  }

  #line(bytes: Buffer): void {
    const text = bytes.toString('utf8');
    let message: { id?: unknown; error?: { code: number; message: string } };
    try {
      message = JSON.parse(text);
    } catch {
      this.#warnings.push(`stdout carried a line that is not JSON: ${text.slice(0, 200)}`);
      return;
    }
    const id = message.id;
    if (typeof id === 'string' && id.startsWith('fuzz-')) {
      this.#pending.settle(id, { kind: 'response', message: message as never, text, bytes: bytes.length });
      return;
    }
    if (id === null && message.error) {
      this.nullIdErrors.push(message.error);
      return;
    }
    this.onmessage?.(message as JSONRPCMessage);
  }
}

/** The context of the child-process suite. */
export interface StdioToolsContext extends ToolsContext {
  readonly transport: StdioFuzzTarget;
}

/** The 2026-07-28 envelope the SDK client puts in each request's `_meta`. */
export const ENVELOPE_2026 = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'mcp-packs-tool-fuzz', version: '0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

export async function startStdio(): Promise<StdioToolsContext> {
  const fixture = createFixture();
  const transport = new StdioFuzzTarget(['--config', fixture.configFile], {});
  const client = newClient('2026-07-28', 'mcp-packs-tool-fuzz');
  try {
    await client.connect(transport);
    const listed = (await client.listTools()).tools;
    const notes = await createNotes(client);
    const tools = fuzzTools(listed, notes);
    return {
      pid: transport.child.pid as number,
      transport,
      target: transport,
      tools,
      echoes: [fixture.root, fixture.notes, fixture.dir],
      envelope: ENVELOPE_2026,
      alive: () => transport.alive,
      async probe() {
        const result = await client.callTool({ name: 'fs_list_allowed_directories', arguments: {} });
        if (result.isError) throw new Error(`the probe failed: ${JSON.stringify(result.content)}`);
      },
      async close() {
        await client.close().catch(() => {});
        const killer = setTimeout(() => transport.child.kill('SIGKILL'), 5000);
        await transport.exited;
        clearTimeout(killer);
        fixture.cleanup();
      },
    };
  } catch (error) {
    transport.child.kill('SIGKILL');
    fixture.cleanup();
    throw new Error(`the server did not start: ${(error as Error).message}\n${transport.stderr}`);
  }
}
