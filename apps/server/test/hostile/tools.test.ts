/**
 * Argument fuzzing of every tool (issue #18, part 4), twice:
 *
 * 1. through the real server as a child process over stdio (tools.cases.ts, the suite `pnpm bench hostile` runs);
 * 2. in process, against the composition the server package builds from the same config (`compose`), with a real
 *    SDK client over the in-memory transport (2025-11-25 this time). The same requests, built from the same JSON
 *    text, so own `__proto__` keys arrive as such, and NaN, which JSON cannot carry, too. Here the fuzz can look at
 *    the server's own globals: the last case proves `Object.prototype` and the other built-in prototypes are as they
 *    were, and that `({}).polluted` is still undefined.
 */
import type { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { type Composition, compose, preparePacks } from '../../src/compose.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { newClient } from '../helpers.ts';
import { describeSuite } from './describe-suite.ts';
import type { HostileCase, HostileSuite } from './harness.ts';
import {
  decode,
  encode,
  FAMILIES,
  type FuzzTarget,
  Literal,
  literal,
  own,
  PendingReplies,
  type Reply,
  type ToolsContext,
  toolCases,
  Unsendable,
} from './tool-fuzz.ts';
import suite, {
  afterwardsCase,
  callShapeCases,
  coverageCase,
  createFixture,
  createNotes,
  fuzzTools,
  TOOL_NAMES,
} from './tools.cases.ts';

describe('the fuzzer', () => {
  it('writes own __proto__ keys, -0, overlong numbers and bytes that are not UTF-8 into the JSON text as they are', () => {
    const text = encode(
      own([
        ['__proto__', { polluted: 1 }],
        ['zero', literal('-0')],
        ['big', literal('1e400')],
        ['bytes', new Literal(Buffer.from([0x22, 0xff, 0x22]), () => '\uFFFD')],
      ]),
    );
    expect(text.toString('latin1')).toBe('{"__proto__":{"polluted":1},"zero":-0,"big":1e400,"bytes":"\xff"}');
    const parsed = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__', 'zero', 'big', 'bytes']);
    expect(Object.is(parsed.zero, -0)).toBe(true);
    expect(parsed.big).toBe(Number.POSITIVE_INFINITY);
    const decoded = decode(own([['__proto__', { polluted: 1 }]])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(() => encode({ nan: Number.NaN })).toThrow(Unsendable);
  });
});

describeSuite(suite, { timeoutMs: 120_000 });

/** The built-in prototypes whose own properties must not change. */
const PROTOTYPES = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
  Number: Number.prototype,
  Boolean: Boolean.prototype,
  RegExp: RegExp.prototype,
  Promise: Promise.prototype,
  Error: Error.prototype,
  Map: Map.prototype,
  Set: Set.prototype,
} as const;

type Snapshot = Record<string, Map<string | symbol, PropertyDescriptor>>;

function snapshotPrototypes(): Snapshot {
  const snapshot: Snapshot = {};
  for (const [name, prototype] of Object.entries(PROTOTYPES)) {
    snapshot[name] = new Map(
      Reflect.ownKeys(prototype).map((key) => [
        key,
        Object.getOwnPropertyDescriptor(prototype, key) as PropertyDescriptor,
      ]),
    );
  }
  return snapshot;
}

/** What differs between two snapshots: added, removed or replaced properties, and prototypes swapped out. */
function prototypeChanges(before: Snapshot): string[] {
  const changes: string[] = [];
  const after = snapshotPrototypes();
  for (const [name, was] of Object.entries(before)) {
    const now = after[name] as Map<string | symbol, PropertyDescriptor>;
    for (const key of now.keys()) if (!was.has(key)) changes.push(`${name}.prototype gained ${String(key)}`);
    for (const [key, descriptor] of was) {
      const current = now.get(key);
      if (!current) changes.push(`${name}.prototype lost ${String(key)}`);
      else if (
        current.value !== descriptor.value ||
        current.get !== descriptor.get ||
        current.set !== descriptor.set ||
        current.writable !== descriptor.writable ||
        current.enumerable !== descriptor.enumerable
      ) {
        changes.push(`${name}.prototype.${String(key)} changed`);
      }
    }
  }
  if (Object.getPrototypeOf(Object.prototype) !== null) changes.push('Object.prototype got a prototype');
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'path', 'url', 'id', 'expression', 'prototype']) {
    if (probe[key] !== undefined) changes.push(`({}).${key} is ${JSON.stringify(probe[key])}`);
  }
  // biome-ignore lint/complexity/useLiteralKeys: reading what a polluted prototype would answer
  if (probe['constructor'] !== Object) changes.push('({}).constructor is not Object');
  if ([].constructor !== Array) changes.push('[].constructor is not Array');
  return changes;
}

/**
 * The client's side of the in-memory pair, with fuzz requests (ids `fuzz-N`) sent as the decoded values of their
 * JSON text and their replies taken before the SDK client sees them.
 */
class InMemoryFuzzTarget implements FuzzTarget {
  readonly #transport: InMemoryTransport;
  readonly #pending = new PendingReplies();
  readonly #warnings: string[] = [];
  #next = 0;
  readonly #onWarning = (warning: Error) => {
    this.#warnings.push(`${warning.name}: ${warning.message}`);
  };

  constructor(transport: InMemoryTransport) {
    this.#transport = transport;
    const deliver = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage, extra?: unknown) => {
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'string' && id.startsWith('fuzz-')) {
        const text = JSON.stringify(message);
        this.#pending.settle(id, { kind: 'response', message: message as never, text, bytes: Buffer.byteLength(text) });
        return;
      }
      (deliver as ((message: JSONRPCMessage, extra?: unknown) => void) | undefined)?.(message, extra);
    };
    process.on('warning', this.#onWarning);
  }

  /** Record a log entry of the composition as a warning (an error the server logged). */
  warn(text: string): void {
    this.#warnings.push(text);
  }

  takeWarnings(): string[] {
    return this.#warnings.splice(0);
  }

  request(message: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    const id = `fuzz-${this.#next++}`;
    const value = decode(own([['jsonrpc', '2.0'], ['id', id], ...Object.entries(message)])) as JSONRPCMessage;
    return this.#pending.wait(id, timeoutMs, () => {
      this.#transport.send(value).catch((error: Error) => {
        this.#pending.settle(id, { kind: 'closed', text: error.message });
      });
    });
  }

  dispose(): void {
    process.off('warning', this.#onWarning);
  }
}

interface InProcessContext extends ToolsContext {
  readonly prototypes: Snapshot;
}

/** The last in-process case: the prototypes are as they were before the fuzz. */
function prototypesCase(): HostileCase<InProcessContext> {
  let changes: string[] = [];
  return {
    name: 'after the fuzz: Object.prototype and the other built-in prototypes are unchanged',
    async run(context) {
      changes = prototypeChanges(context.prototypes);
      return { kind: 'result', text: changes.length ? changes.join('; ') : 'unchanged' };
    },
    check: () => (changes.length ? changes.join('\n') : undefined),
  };
}

const inProcess: HostileSuite<InProcessContext> = {
  area: 'tools in process',
  async start() {
    const prototypes = snapshotPrototypes();
    const fixture = createFixture();
    const loaded = loadConfigFile(fixture.configFile);
    const errors: string[] = [];
    let composition: Composition | undefined;
    try {
      composition = await compose(loaded, await preparePacks(loaded), {
        logSink: (entry) => {
          if (entry.level === 'error') errors.push(`${entry.source}: ${entry.message}`);
        },
      });
      const composed = composition.createServer();
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await composed.server.connect(serverSide);
      const client: Client = newClient('2025-11-25', 'mcp-packs-tool-fuzz');
      await client.connect(clientSide);
      const target = new InMemoryFuzzTarget(clientSide);
      const listed = (await client.listTools()).tools;
      const notes = await createNotes(client);
      const opened = composition;
      return {
        pid: process.pid,
        prototypes,
        target: {
          request: (message, timeoutMs) => target.request(message, timeoutMs),
          takeWarnings: () => [...target.takeWarnings(), ...errors.splice(0).map((error) => `logged: ${error}`)],
        },
        tools: fuzzTools(listed, notes),
        echoes: [fixture.root, fixture.notes, fixture.dir],
        envelope: undefined,
        alive: () => true,
        async probe() {
          const result = await client.callTool({ name: 'fs_list_allowed_directories', arguments: {} });
          if (result.isError) throw new Error(`the probe failed: ${JSON.stringify(result.content)}`);
        },
        async close() {
          target.dispose();
          await client.close().catch(() => {});
          await composed.close();
          await opened.close();
          fixture.cleanup();
        },
      };
    } catch (error) {
      await composition?.close();
      fixture.cleanup();
      throw error;
    }
  },
  cases: [
    coverageCase(),
    // Not the 5 MB strings: what they test is carried through the same tool code here, and their cost (a second or
    // more per tool) is the transport's, which the child-process suite measures.
    ...toolCases<InProcessContext>(
      TOOL_NAMES,
      FAMILIES.filter((family) => family.name !== '5 MB strings'),
    ),
    ...callShapeCases<InProcessContext>({ stdio: false }),
    afterwardsCase(),
    prototypesCase(),
  ],
};

describeSuite(inProcess, { timeoutMs: 120_000 });
