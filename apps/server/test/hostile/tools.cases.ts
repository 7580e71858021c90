/**
 * Hostile input, area `tools`: argument fuzzing of every tool of every pack (issue #18, part 4), through the real
 * `mcp-packs` server as a child process over stdio, all five packs mounted with every tool on (filesystem writes
 * and deletes on, in a temp root with a few files; notes in a temp folder; web-fetch as it comes; math; sysinfo with
 * top_processes allowed).
 *
 * A real SDK v2 client opens the connection (2026-07-28) and lists the tools; the fuzz requests are JSON text the
 * fuzzer writes itself on the same stdin (tool-fuzz.ts), so own `__proto__` keys, `-0`, `1e400` and bytes that are
 * not UTF-8 arrive as written. One case per tool and family of variants; a few cases about the call's shape and
 * the stdio line limit; and, last, every tool called again with valid arguments (nothing the fuzz sent broke a
 * store). The same cases run in process in tools.test.ts, where the prototypes are checked too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import filesystemPack from '@mcp-packs/filesystem';
import mathPack from '@mcp-packs/math';
import notesPack from '@mcp-packs/notes';
import sysinfoPack from '@mcp-packs/sysinfo';
import webFetchPack from '@mcp-packs/web-fetch';
import { type Client, type JSONRPCMessage, serializeMessage, type Transport } from '@modelcontextprotocol/client';
import { CLI, childEnv, newClient, ROOT, tempDir, writeConfig } from '../helpers.js';
import type { Answer, HostileCase, HostileSuite } from './harness.js';
import { expectAnswer } from './harness.js';
import {
  encode,
  FAMILIES,
  type FamilyFigures,
  type FuzzTarget,
  type FuzzTool,
  judge,
  Literal,
  own,
  type Reply,
  replyAnswer,
  sampleOf,
  type ToolsContext,
  toolCases,
  Unsendable,
} from './tool-fuzz.js';

/** The prefix each pack is mounted under, as in the built-in default config. */
const MOUNTS = [
  ['math', mathPack],
  ['fs', filesystemPack],
  ['sys', sysinfoPack],
  ['web', webFetchPack],
  ['notes', notesPack],
] as const;

/** Every tool of every pack, by its final name: what the server must list (the first case checks it does). */
export const TOOL_NAMES: readonly string[] = MOUNTS.flatMap(([prefix, pack]) =>
  Object.keys(pack.tools).map((key) => `${prefix}_${key}`),
);

/** The temp folders of a run: the filesystem root (with a few files), the notes folder, the config. */
export interface ToolsFixture {
  dir: string;
  root: string;
  notes: string;
  configFile: string;
  cleanup(): void;
}

/** A 1×1 transparent PNG. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABh6FO1AAAAABJRU5ErkJggg==',
  'base64',
);

/** Make the temp folders and the config that mounts every pack with every tool on. */
export function createFixture(): ToolsFixture {
  const temp = tempDir('mcp-packs-tool-fuzz-');
  const root = join(temp.path, 'root');
  const notes = join(temp.path, 'notes');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(root, 'out'));
  writeFileSync(join(root, 'a.txt'), 'hello fuzz\nline two\n');
  writeFileSync(join(root, 'sub', 'b.md'), '# hello\n\nfuzz\n');
  writeFileSync(join(root, 'edit.txt'), 'alpha beta\n');
  writeFileSync(join(root, 'pixel.png'), PIXEL_PNG);
  writeFileSync(join(root, 'move-src.txt'), 'move me\n');
  writeFileSync(join(root, 'out', 'doomed.txt'), 'delete me\n');
  const configFile = writeConfig(temp.path, {
    server: { name: 'tool-fuzz' },
    packs: [
      { use: '@mcp-packs/math', prefix: 'math' },
      { use: '@mcp-packs/filesystem', prefix: 'fs', config: { roots: [root], writes: 'on', allowDelete: true } },
      { use: '@mcp-packs/sysinfo', prefix: 'sys', config: { topProcesses: true } },
      { use: '@mcp-packs/web-fetch', prefix: 'web' },
      {
        use: '@mcp-packs/notes',
        prefix: 'notes',
        config: { directory: notes, indexCacheDir: join(temp.path, 'notes-cache') },
      },
    ],
  });
  return { dir: temp.path, root, notes, configFile, cleanup: temp.cleanup };
}

/** The notes every run starts with: one to read and update, one to delete and restore. */
export interface FuzzNotes {
  noteId: string;
  doomedId: string;
}

/**
 * Valid arguments for each tool, which the variants change one thing of. The web tools aim at a loopback address,
 * which the default policy refuses before any connection: the fuzz never leaves the machine.
 */
export function baseArguments(notes: FuzzNotes): Record<string, Record<string, unknown>> {
  const url = 'http://127.0.0.1:9/fuzz';
  return {
    math_evaluate: { expression: '1 + 2' },
    math_simplify: { expression: '2x + x' },
    math_derivative: { expression: 'x^2', variable: 'x' },
    math_plot: { expression: 'x^2', from: -1, to: 1, points: 5 },
    math_convert_units: { value: '1 km', to: 'm' },
    math_statistics: { values: [1, 2, 3] },
    math_solve_linear: {
      A: [
        [2, 0],
        [0, 4],
      ],
      b: [2, 4],
    },
    fs_read_text_file: { path: 'a.txt' },
    fs_read_media_file: { path: 'pixel.png' },
    fs_read_multiple_files: { paths: ['a.txt', 'sub/b.md'] },
    fs_list_directory: { path: '.' },
    fs_directory_tree: { path: '.' },
    fs_search_files: { pattern: '*.txt' },
    fs_search_content: { query: 'hello' },
    fs_get_file_info: { path: 'a.txt' },
    fs_list_allowed_directories: {},
    fs_write_file: { path: 'out/written.txt', content: 'x', mode: 'overwrite' },
    fs_edit_file: { path: 'edit.txt', edits: [{ oldText: 'alpha', newText: 'omega' }], dryRun: true },
    fs_create_directory: { path: 'out/made' },
    fs_move_file: { source: 'move-src.txt', destination: 'out/moved.txt' },
    fs_copy_file: { source: 'a.txt', destination: 'out/copy.txt', overwrite: true },
    fs_delete: { path: 'out/doomed.txt' },
    sys_current_time: {},
    sys_convert_time: { time: '2024-01-01T12:00:00Z', toTimeZone: 'UTC' },
    sys_system_summary: {},
    sys_cpu_usage: { windowMs: 100 },
    sys_memory_usage: {},
    sys_disk_usage: {},
    sys_network_interfaces: {},
    sys_top_processes: { windowMs: 0 },
    web_fetch: { url },
    web_extract_links: { url },
    notes_create: { title: 'fuzz note', body: 'hello fuzz' },
    notes_read: { id: notes.noteId },
    notes_update: { id: notes.noteId, append: '\nmore' },
    notes_delete: { id: notes.doomedId, expectedVersion: 1 },
    notes_restore: { id: notes.doomedId },
    notes_list: {},
    notes_search: { query: 'fuzz' },
    notes_tags: {},
  };
}

/** The tools as listed, each with its base arguments (a tool without an entry gets a sample of its schema). */
export function fuzzTools(
  listed: readonly { name: string; inputSchema: unknown }[],
  notes: FuzzNotes,
): Map<string, FuzzTool> {
  const bases = baseArguments(notes);
  return new Map(
    listed.map((tool) => {
      const schema = tool.inputSchema as Record<string, unknown>;
      const base = bases[tool.name] ?? (sampleOf({ ...schema, type: 'object' }, 'object') as Record<string, unknown>);
      return [tool.name, { name: tool.name, inputSchema: schema, base }];
    }),
  );
}

/** Create the two notes of a run through the client. */
export async function createNotes(client: Client): Promise<FuzzNotes> {
  const create = async (title: string) => {
    const result = await client.callTool({
      name: 'notes_create',
      arguments: { title, body: 'hello fuzz', tags: ['fuzz'] },
    });
    const id = (result.structuredContent as { id?: unknown } | undefined)?.id;
    if (result.isError || typeof id !== 'string') throw new Error(`notes_create failed: ${JSON.stringify(result)}`);
    return id;
  };
  return { noteId: await create('fuzz base'), doomedId: await create('fuzz doomed') };
}

// ---------------------------------------------------------------------------------------------------------------
// The server as a child process

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
  readonly #pending = new Map<string, (reply: Reply) => void>();
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
        for (const [id, settle] of this.#pending)
          settle({ kind: 'closed', text: `the server closed before answering ${id}` });
        this.#pending.clear();
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
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ kind: 'timeout', text: `no reply to ${id} within ${timeoutMs} ms` });
      }, timeoutMs);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.child.stdin?.write(Buffer.concat([line, Buffer.from('\n')]));
    });
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
      const settle = this.#pending.get(id);
      this.#pending.delete(id);
      settle?.({ kind: 'response', message: message as never, text, bytes: bytes.length });
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

async function startStdio(): Promise<StdioToolsContext> {
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

// ---------------------------------------------------------------------------------------------------------------
// Cases beyond the per-tool families

/** The first case: the server lists exactly the tools the fuzz covers. */
export function coverageCase<C extends ToolsContext>(): HostileCase<C> {
  let problems: string[] = [];
  return {
    name: 'every listed tool is fuzzed',
    async run(context) {
      const listed = [...context.tools.keys()];
      problems = [
        ...listed.filter((name) => !TOOL_NAMES.includes(name)).map((name) => `${name} is listed but not fuzzed`),
        ...TOOL_NAMES.filter((name) => !context.tools.has(name)).map((name) => `${name} is not listed`),
      ];
      const bases = baseArguments({ noteId: '', doomedId: '' });
      problems.push(...TOOL_NAMES.filter((name) => !(name in bases)).map((name) => `${name} has no base arguments`));
      return { kind: 'result', text: `${listed.length} tools listed, ${TOOL_NAMES.length} fuzzed` };
    },
    check: () => (problems.length ? problems.join('\n') : undefined),
  };
}

/**
 * Hostile shapes of the call itself: the name, params and `_meta`, whatever the tool. `stdio`: the shapes our stdio
 * transport answers on its own are sent too: a message that is not a valid request (params null or an array, `_meta`
 * an array, a progress token that is an object) gets `-32600` there, where the SDK's protocol layer, behind a
 * transport that passes everything on (the in-memory one), drops it without a reply; and a 5 MiB tool name, whose
 * "Tool <name> not found" the SDK writes whole, is cut by the transport's bound on error messages.
 */
export function callShapeCases<C extends ToolsContext>(options: { stdio: boolean }): HostileCase<C>[] {
  const manyKeys = Array.from({ length: 100_000 }, (_, i) => `"fuzz${i}":${i}`).join(',');
  const shapes: readonly (readonly [string, (context: C) => Record<string, unknown>])[] = [
    ['an unknown tool', (c) => ({ params: withMeta(c, { name: 'fuzz_no_such_tool', arguments: {} }) })],
    [
      'a tool name with a NUL byte',
      (c) => ({ params: withMeta(c, { name: 'fs_read_text_file\u0000', arguments: {} }) }),
    ],

    [
      '100,000 unknown arguments to a tool that takes none',
      (c) => ({
        params: withMeta(c, {
          name: 'fs_list_allowed_directories',
          arguments: new Literal(`{${manyKeys}}`, () => JSON.parse(`{${manyKeys}}`)),
        }),
      }),
    ],
    ['the tool name __proto__', (c) => ({ params: withMeta(c, { name: '__proto__', arguments: {} }) })],
    ['the tool name constructor', (c) => ({ params: withMeta(c, { name: 'constructor', arguments: {} }) })],
    ['the tool name toString', (c) => ({ params: withMeta(c, { name: 'toString', arguments: {} }) })],
    ['the tool name hasOwnProperty', (c) => ({ params: withMeta(c, { name: 'hasOwnProperty', arguments: {} }) })],
    ['the tool name as a number', (c) => ({ params: withMeta(c, { name: 42, arguments: {} }) })],
    ['the tool name null', (c) => ({ params: withMeta(c, { name: null, arguments: {} }) })],
    [
      'the tool name as an object',
      (c) => ({ params: withMeta(c, { name: { name: 'fs_read_text_file' }, arguments: {} }) }),
    ],
    ['no tool name', (c) => ({ params: withMeta(c, { arguments: {} }) })],
    ['no params', () => ({})],
    [
      'params with own __proto__',
      (c) => ({ params: withMeta(c, own([['__proto__', { name: 'fs_list_allowed_directories' }]])) }),
    ],
    ...(options.stdio
      ? ([
          [
            'a 5 MiB tool name',
            (c: C) => ({ params: withMeta(c, { name: 'a'.repeat(5 * 1024 * 1024), arguments: {} }) }),
          ],
          ['params null', () => ({ params: null })],
          ['params an array', () => ({ params: ['fs_list_allowed_directories'] })],
          [
            '_meta as an array',
            () => ({ params: { name: 'fs_list_allowed_directories', arguments: {}, _meta: ['fuzz'] } }),
          ],
          [
            '_meta with a progress token object',
            (c: C) => ({
              params: {
                name: 'fs_list_allowed_directories',
                arguments: {},
                _meta: { ...c.envelope, progressToken: { a: 1 } },
              },
            }),
          ],
        ] as const)
      : []),
  ];
  let problems: string[] = [];
  return [
    {
      name: 'call shape: name, params and _meta',
      async run(context) {
        problems = [];
        let refused = 0;
        for (const [label, build] of shapes) {
          const reply = await context.target.request({ method: 'tools/call', ...build(context) }, 20_000);
          const answer = replyAnswer(reply);
          problems.push(...judge({ label, args: undefined, expect: 'handle' }, reply, answer, context));
          if (answer.kind === 'isError' || answer.kind === 'protocolError') refused++;
          if (!context.alive()) {
            problems.push(`${label}: the server died`);
            break;
          }
        }
        return { kind: 'protocolError', text: `${shapes.length} shapes, ${refused} refused` };
      },
      check: () => (problems.length ? problems.join('\n') : undefined),
    },
  ];
}

function withMeta(context: ToolsContext, params: Record<string, unknown>): Record<string, unknown> {
  return context.envelope ? own([...Object.entries(params), ['_meta', context.envelope]]) : params;
}

/** The last case: every tool called with valid arguments once more, after everything the fuzz sent. */
export function afterwardsCase<C extends ToolsContext>(): HostileCase<C> {
  let problems: string[] = [];
  return {
    name: 'after the fuzz: every tool still works',
    async run(context) {
      problems = [];
      for (const tool of context.tools.values()) {
        const reply = await context.target.request(
          { method: 'tools/call', params: withMeta(context, { name: tool.name, arguments: tool.base }) },
          20_000,
        );
        const answer = replyAnswer(reply);
        problems.push(...judge({ label: tool.name, args: tool.base, expect: 'valid' }, reply, answer, context));
      }
      // What the fuzz wrote must still be readable: a listing of every note, a search, the tags, the whole tree.
      for (const [name, args] of [
        ['notes_list', { limit: 200 }],
        ['notes_list', { limit: 200, trash: true }],
        ['notes_search', { query: 'fuzz', limit: 50 }],
        ['notes_tags', {}],
        ['fs_directory_tree', { path: '.', maxEntries: 20000 }],
        ['fs_search_content', { query: 'fuzz', maxResults: 1000 }],
      ] as const) {
        const reply = await context.target.request(
          { method: 'tools/call', params: withMeta(context, { name, arguments: args }) },
          20_000,
        );
        const answer = replyAnswer(reply);
        if (answer.kind !== 'result') problems.push(`${name} ${JSON.stringify(args)}: ${answer.text.slice(0, 300)}`);
      }
      return { kind: 'result', text: `${context.tools.size} tools called, ${problems.length} problems` };
    },
    check: () => (problems.length ? problems.join('\n') : undefined),
  };
}

/** A line longer than the stdio limit (64 MiB) is answered, and the connection goes on. */
function lineLimitCase(): HostileCase<StdioToolsContext> {
  let problems: string[] = [];
  return {
    name: 'stdio: a request over the 64 MiB line limit',
    async run(context) {
      problems = [];
      const id = 'fuzz-line-limit';
      const big = 'a'.repeat(65 * 1024 * 1024);
      const line = Buffer.from(
        `{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"name":"fs_write_file","arguments":{"path":"out/big.txt","content":"${big}"},"_meta":${JSON.stringify(context.envelope)}}}`,
      );
      const before = context.transport.nullIdErrors.length;
      const reply = await context.transport.writeLine(line, id, 15_000);
      const answer: Answer =
        reply.kind === 'response'
          ? replyAnswer(reply)
          : context.transport.nullIdErrors.length > before
            ? {
                kind: 'protocolError',
                code: context.transport.nullIdErrors.at(-1)?.code as number,
                text: `(with "id": null) ${context.transport.nullIdErrors.at(-1)?.message}`,
              }
            : replyAnswer(reply);
      if (reply.kind !== 'response') {
        problems.push(
          `no reply with the request's id (${reply.text})${answer.kind === 'protocolError' ? `; got ${answer.text}` : ''}`,
        );
      }
      const verdict = expectAnswer.refused(answer);
      if (verdict) problems.push(verdict);
      return answer;
    },
    check: () => (problems.length ? problems.join('\n') : undefined),
  };
}

/** Figures of each family across tools, filled in as the cases run (for `pnpm bench hostile`). */
const familyFigures = new Map<string, FamilyFigures>();

/** The suite: the child-process server, every tool × every family, the call shapes, the line limit, the aftermath. */
const suite: HostileSuite<StdioToolsContext> = {
  area: 'tools',
  start: startStdio,
  cases: [
    coverageCase(),
    ...toolCases<StdioToolsContext>(TOOL_NAMES, FAMILIES, familyFigures),
    ...callShapeCases<StdioToolsContext>({ stdio: true }),
    lineLimitCase(),
    afterwardsCase(),
  ],
  async figures() {
    return { families: Object.fromEntries(familyFigures) };
  },
};

export default suite;
