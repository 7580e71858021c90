/**
 * Argument fuzzing of MCP tools, from their listed input schemas (JSON Schema 2020-12, as `tools/list` shows them).
 *
 * For one tool and one valid set of arguments (its "base"), each family below makes variants that change one thing:
 * a required argument left out, a value of the wrong type, a 5 MB string, NUL and control characters, bidi and
 * zero-width text, lone surrogates and bytes that are not UTF-8, `__proto__` / `constructor` / `prototype` keys (own
 * keys, as JSON.parse makes them: the fuzzer writes the JSON text itself), extreme numbers (written as literals: `-0`,
 * `9007199254740993`, `1e400`), very deep nesting, unknown extra properties. JSON has no NaN or Infinity literal, so
 * neither can be sent as such; but `1e400` is valid JSON that `JSON.parse` makes Infinity of, so a server does meet
 * Infinity (and -Infinity), and NaN is sent in process only, where no JSON is involved.
 * Each variant says what a correct server does with it: refuse it (an `isError` result or a JSON-RPC error that names
 * the argument), or handle it (any answer but a crash, a hang, a closed connection or an internal error).
 *
 * Requests go through a {@link FuzzTarget}: the real server as a child process over stdio (the JSON text written to
 * its stdin as is), or the composed server in process over the SDK's in-memory transport (the same values, built
 * from the same text, so own `__proto__` keys arrive as such).
 *
 * This file holds the targets and the cases; the parts are in tool-fuzz-values.ts (values as sent),
 * tool-fuzz-schemas.ts (reading schemas), tool-fuzz-variants.ts (variants and their verdicts) and
 * tool-fuzz-families.ts (the families). It re-exports what the tests and suites use of them.
 */
import type { Answer, HostileCase, SuiteContext } from './harness.js';
import { leaks, toolAnswer } from './harness.js';
import { FAMILIES } from './tool-fuzz-families.js';
import { own } from './tool-fuzz-values.js';
import { type Family, type FuzzTool, MARK, OMIT, type Variant } from './tool-fuzz-variants.js';

export { FAMILIES } from './tool-fuzz-families.js';
export { type Slot, sampleOf, slotsOf, typesOf, withSlot } from './tool-fuzz-schemas.js';
export { decode, encode, Literal, literal, own, Unsendable } from './tool-fuzz-values.js';
export {
  BIG_STRING_BYTES,
  BOUNDED_BIG_STRING_BYTES,
  type Expect,
  type Family,
  type FuzzTool,
  MARK,
  OMIT,
  type Variant,
} from './tool-fuzz-variants.js';

/** One JSON-RPC reply, as a fuzz request got it. */
export type Reply =
  | {
      kind: 'response';
      message: { result?: Record<string, unknown>; error?: { code: number; message: string } };
      text: string;
      bytes: number;
    }
  | { kind: 'closed' | 'timeout' | 'unsendable'; text: string };

/** Fuzz requests waiting for their replies, by id: each settles once, with its reply, a timeout, or a close. */
export class PendingReplies {
  readonly #waiting = new Map<string, (reply: Reply) => void>();

  /** Send (by `send`) and wait up to `timeoutMs` for the reply to `id`. */
  wait(id: string, timeoutMs: number, send: () => void): Promise<Reply> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve({ kind: 'timeout', text: `no reply to ${id} within ${timeoutMs} ms` });
      }, timeoutMs);
      this.#waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      send();
    });
  }

  /** Settle the request `id` with `reply`; false when none waits for it. */
  settle(id: string, reply: Reply): boolean {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    waiting?.(reply);
    return waiting !== undefined;
  }

  /** Settle every waiting request as closed (the server went away). */
  closeAll(): void {
    for (const id of [...this.#waiting.keys()]) {
      this.settle(id, { kind: 'closed', text: `the server closed before answering ${id}` });
    }
  }
}

/** Where fuzz requests go: a server that answers JSON-RPC requests given as fuzz values. */
export interface FuzzTarget {
  /** Send `message` (a fuzz value; its `id` is set here) and wait up to `timeoutMs` for the reply with that id. */
  request(message: Record<string, unknown>, timeoutMs: number): Promise<Reply>;
  /** Node warnings the server process emitted since the last call (TimeoutOverflowWarning, MaxListeners, ...). */
  takeWarnings(): string[];
}

/** What the tool cases need of a suite's context. */
export interface ToolsContext extends SuiteContext {
  readonly target: FuzzTarget;
  /** The tools as listed, with their base arguments. */
  readonly tools: ReadonlyMap<string, FuzzTool>;
  /** Strings any reply may show: the roots and folders the config names (the fuzzer wrote them). */
  readonly echoes: readonly string[];
  /** `_meta` to put in every request's params (the 2026-07-28 envelope), or undefined (2025-11-25). */
  readonly envelope: Record<string, unknown> | undefined;
}

/** Figures of a family across tools (for the bench). */
export interface FamilyFigures {
  cases: number;
  variants: number;
  refused: number;
  answered: number;
  totalMs: number;
  slowestMs: number;
  slowest: string;
  largestReplyBytes: number;
  largest: string;
}

/** A tools/call request's params with this name and arguments, in the context's era. */
export function callParams(context: ToolsContext, name: unknown, args: unknown): Record<string, unknown> {
  return own([
    ['name', name],
    ...(args === OMIT ? [] : ([['arguments', args]] as const)),
    ...(context.envelope ? ([['_meta', context.envelope]] as const) : []),
  ]);
}

export function replyAnswer(reply: Reply): Answer {
  if (reply.kind !== 'response') return { kind: reply.kind === 'unsendable' ? 'closed' : reply.kind, text: reply.text };
  const { error, result } = reply.message;
  if (error) return { kind: 'protocolError', code: error.code, text: String(error.message ?? '') };
  return toolAnswer((result ?? {}) as Parameters<typeof toolAnswer>[0]);
}

/** Largest refusal a fuzz request may get back: an error message never needs to quote megabytes of input. */
export const MAX_REFUSAL_BYTES = 64 * 1024;

/** What is wrong with one variant's reply, if anything. */
export function judge(variant: Variant, reply: Reply, answer: Answer, context: ToolsContext): string[] {
  const problems: string[] = [];
  const at = `${variant.label}`;
  if (reply.kind !== 'response') return [`${at}: ${answer.kind} (${answer.text.slice(0, 200)})`];
  const refused = answer.kind === 'isError' || answer.kind === 'protocolError';
  if (variant.expect === 'refuse') {
    if (!refused) problems.push(`${at}: expected a refusal, got a result: ${answer.text.slice(0, 200)}`);
    else if (answer.text.trim() === '') problems.push(`${at}: the refusal says nothing`);
    else if (variant.names && !answer.text.includes(variant.names)) {
      problems.push(`${at}: the refusal does not name "${variant.names}": ${answer.text.slice(0, 300)}`);
    }
  }
  if (variant.expect === 'valid' && answer.code === 'invalid_input') {
    problems.push(`${at}: the base arguments were refused: ${answer.text.slice(0, 300)}`);
  }
  if (answer.code === 'internal_error') {
    problems.push(`${at}: an internal error (an exception the tool did not expect): ${answer.text.slice(0, 300)}`);
  }
  if (answer.kind === 'protocolError' && answer.code === -32603) {
    problems.push(`${at}: a JSON-RPC internal error: ${answer.text.slice(0, 300)}`);
  }
  if (refused && reply.bytes > MAX_REFUSAL_BYTES) {
    problems.push(`${at}: a refusal of ${reply.bytes} bytes (it quotes the input back)`);
  }
  if (answer.text.includes('[object Object]')) {
    problems.push(`${at}: the reply renders a value badly: ${answer.text.slice(0, 300)}`);
  }
  if (reply.text.includes(MARK) && answer.kind === 'result') {
    problems.push(`${at}: the result reflects an injected key's value`);
  }
  const allowed = [...context.echoes, ...(variant.echoes ?? [])];
  // The decoded text for stack traces (JSON escapes their newlines), the raw reply for paths anywhere in it.
  for (const leak of new Set([...leaks(answer.text, allowed), ...leaks(reply.text, allowed)])) {
    problems.push(`${at}: the reply shows ${leak}`);
  }
  return problems;
}

const REFUSAL_CODES = (answer: Answer) => String(answer.code ?? answer.kind);

/**
 * One case per tool and family: every variant of the family sent in turn, each judged; the answer sums them up and
 * `check` reports every problem. Between cases the harness measures the server and makes its next call.
 */
export function toolCases<C extends ToolsContext>(
  toolNames: readonly string[],
  families: readonly Family[] = FAMILIES,
  stats: Map<string, FamilyFigures> = new Map(),
): HostileCase<C>[] {
  const cases: HostileCase<C>[] = [];
  for (const name of toolNames) {
    for (const family of families) {
      let problems: string[] = [];
      cases.push({
        name: `${name}: ${family.name}`,
        async run(context) {
          problems = [];
          const tool = context.tools.get(name);
          if (!tool) {
            problems.push(`${name} is not listed`);
            return { kind: 'closed', text: `${name} is not listed` };
          }
          const figures = stats.get(family.name) ?? {
            cases: 0,
            variants: 0,
            refused: 0,
            answered: 0,
            totalMs: 0,
            slowestMs: 0,
            slowest: '',
            largestReplyBytes: 0,
            largest: '',
          };
          stats.set(family.name, figures);
          figures.cases++;
          const codes = new Map<string, number>();
          let refused = 0;
          let answered = 0;
          let sent = 0;
          for (const variant of family.variants(tool)) {
            const start = performance.now();
            const reply = await context.target.request(
              { jsonrpc: '2.0', method: 'tools/call', params: callParams(context, name, variant.args) },
              variant.timeoutMs ?? 20_000,
            );
            const ms = performance.now() - start;
            if (reply.kind === 'unsendable') continue;
            sent++;
            const answer = replyAnswer(reply);
            problems.push(...judge(variant, reply, answer, context));
            for (const warning of context.target.takeWarnings()) problems.push(`${variant.label}: ${warning}`);
            if (answer.kind === 'isError' || answer.kind === 'protocolError') {
              refused++;
              codes.set(REFUSAL_CODES(answer), (codes.get(REFUSAL_CODES(answer)) ?? 0) + 1);
            } else answered++;
            figures.variants++;
            figures.totalMs += ms;
            if (ms > figures.slowestMs) {
              figures.slowestMs = Math.round(ms * 10) / 10;
              figures.slowest = `${name}: ${variant.label}`;
            }
            const bytes = reply.kind === 'response' ? reply.bytes : 0;
            if (bytes > figures.largestReplyBytes) {
              figures.largestReplyBytes = bytes;
              figures.largest = `${name}: ${variant.label}`;
            }
            if (!context.alive()) {
              problems.push(`${variant.label}: the server died`);
              break;
            }
          }
          figures.refused += refused;
          figures.answered += answered;
          figures.totalMs = Math.round(figures.totalMs);
          const byCode = [...codes].map(([code, count]) => `${code} ×${count}`).join(', ');
          const text = `${sent} variants: ${refused} refused${byCode ? ` (${byCode})` : ''}, ${answered} answered${
            problems.length ? `; ${problems.length} problems: ${problems.slice(0, 5).join(' | ')}` : ''
          }`;
          const kind = refused > 0 && answered === 0 ? 'isError' : 'result';
          return { kind, text: text.slice(0, 2000) };
        },
        check: () => (problems.length === 0 ? undefined : problems.join('\n')),
      });
    }
  }
  return cases;
}
