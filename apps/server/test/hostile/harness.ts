/**
 * Hostile input, one harness for the tests and the benchmark.
 *
 * A suite starts a real `mcp-packs` child process (with whatever config and fixtures its cases need) and lists its
 * cases. Each case sends one hostile thing and returns the answer it got. `runCase` runs a case with the server's
 * peak RSS reset before and read after, times it, checks the process is still alive, and then makes the suite's
 * cheap "next call", which must be answered. The tests (`*.test.ts` beside this file) assert on what `runCase`
 * returns; `pnpm bench hostile` runs the same suites and records every figure in `bench/results/hostile.json`,
 * with the 1 s target for the next call (tests allow more: they run beside other test files on a shared machine).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { ROOT } from '../helpers.js';

/** What a hostile request got back. */
export interface Answer {
  /**
   * `result`: a successful tool result or response; `isError`: a tool result with `isError: true`;
   * `protocolError`: a JSON-RPC error; `http`: an HTTP-level answer (status in `code`); `closed`: the server closed
   * the connection or stream; `timeout`: nothing came back in the case's own time bound.
   */
  kind: 'result' | 'isError' | 'protocolError' | 'http' | 'closed' | 'timeout';
  /** The error code: our `error.code` for a tool error, the JSON-RPC code, or the HTTP status. */
  code?: string | number;
  /** The answer's text, as the client (or model) would read it; trimmed to 2,000 characters. */
  text: string;
}

/** What a suite's `start` returns: the server under test and what its cases share. */
export interface SuiteContext {
  /** The server process whose memory is measured. */
  readonly pid: number;
  /** A cheap call that must succeed after each case (it throws when it does not). */
  probe(): Promise<void>;
  /** True while the server process runs. */
  alive(): boolean;
  close(): Promise<void>;
}

export interface HostileCase<C extends SuiteContext = SuiteContext> {
  name: string;
  /** Send the hostile thing, return what came back. Cases bound their own waits. */
  run(context: C): Promise<Answer>;
  /** `undefined` when the answer is right, else what is wrong with it. */
  check(answer: Answer): string | undefined;
}

export interface HostileSuite<C extends SuiteContext = SuiteContext> {
  /** `http`, `tools`, `math`, `web-fetch`, ... */
  area: string;
  start(): Promise<C>;
  cases: readonly HostileCase<C>[];
  /** Figures of the area beyond the cases (e.g. memory per idle session), measured after them, for the bench. */
  figures?(context: C): Promise<Record<string, unknown>>;
}

/** The figures of one case. */
export interface CaseFigures {
  area: string;
  name: string;
  answer: Answer;
  /** Time from sending to the answer, ms. */
  ms: number;
  /** The server's peak resident set during the case (VmHWM after a reset), MiB; `undefined` off Linux. */
  peakRssMiB: number | undefined;
  /** RSS before the case, MiB. */
  rssBeforeMiB: number | undefined;
  /** The time the next call took, ms; `undefined` when it failed (see `problems`). */
  nextCallMs: number | undefined;
  alive: boolean;
  /** Everything wrong: the case's own check, leaked internals, a dead server, a failed next call. */
  problems: string[];
}

function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Reset the peak resident set of `pid` to its current size (Linux `clear_refs` 5). */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or not allowed: the peak then covers the process's whole life, which still bounds the case.
  }
}

const mib = (kib: number | undefined) => (kib === undefined ? undefined : Math.round((kib / 1024) * 10) / 10);

/** Machine paths a reply must never show: the repo, the temp folder, the home folder. */
const MACHINE_PATHS = [ROOT.replace(/\/apps\/server$/, ''), tmpdir(), homedir()].filter((p) => p.length > 1);

/**
 * What in a reply gives away internals: a stack trace, a path of this machine, a Node error class by name.
 * `allowed` lists strings the case itself sent (a path the model gave may be echoed back).
 */
export function leaks(text: string, allowed: readonly string[] = []): string[] {
  let scrubbed = text;
  for (const value of allowed) if (value) scrubbed = scrubbed.replaceAll(value, '');
  const found: string[] = [];
  if (/\n\s+at .+[(:]\d+/.test(scrubbed) || /at (?:async )?\S+ \(.*:\d+:\d+\)/.test(scrubbed)) {
    found.push('a stack trace');
  }
  for (const machinePath of MACHINE_PATHS) {
    if (scrubbed.includes(machinePath)) found.push(`the machine path ${machinePath}`);
  }
  if (/node:internal|file:\/\/\//.test(scrubbed)) found.push('a Node internal module or file URL');
  return found;
}

/** Run one case and take its figures. `nextCallLimitMs` is how long the next call may take before it is a problem. */
export async function runCase<C extends SuiteContext>(
  area: string,
  context: C,
  hostile: HostileCase<C>,
  options: { nextCallLimitMs?: number; allowedEchoes?: readonly string[] } = {},
): Promise<CaseFigures> {
  const limit = options.nextCallLimitMs ?? 1000;
  const problems: string[] = [];
  const rssBefore = statusKiB(context.pid, 'VmRSS');
  resetPeak(context.pid);
  const start = process.hrtime.bigint();
  let answer: Answer;
  try {
    answer = await hostile.run(context);
  } catch (error) {
    answer = { kind: 'closed', text: `the case threw: ${error instanceof Error ? error.message : String(error)}` };
    problems.push(answer.text);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peak = statusKiB(context.pid, 'VmHWM');
  answer = { ...answer, text: answer.text.slice(0, 2000) };
  const verdict = hostile.check(answer);
  if (verdict) problems.push(verdict);
  for (const leak of leaks(answer.text, options.allowedEchoes)) problems.push(`the answer shows ${leak}`);
  let alive = context.alive();
  let nextCallMs: number | undefined;
  if (!alive) {
    problems.push('the server process died');
  } else {
    const probeStart = process.hrtime.bigint();
    try {
      await Promise.race([
        context.probe(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${limit} ms`)), limit).unref()),
      ]);
      nextCallMs = Number(process.hrtime.bigint() - probeStart) / 1e6;
    } catch (error) {
      problems.push(`the next call failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    alive = context.alive();
  }
  return {
    area,
    name: hostile.name,
    answer,
    ms: Math.round(ms * 10) / 10,
    peakRssMiB: mib(peak),
    rssBeforeMiB: mib(rssBefore),
    nextCallMs: nextCallMs === undefined ? undefined : Math.round(nextCallMs * 10) / 10,
    alive,
    problems,
  };
}

/** Checks for the common answers. */
export const expectAnswer = {
  /** A tool error (optionally with one of `codes`). */
  toolError:
    (...codes: string[]) =>
    (answer: Answer): string | undefined => {
      if (answer.kind !== 'isError')
        return `expected an isError result, got ${answer.kind}: ${answer.text.slice(0, 200)}`;
      if (codes.length > 0 && !codes.includes(String(answer.code))) {
        return `expected error code ${codes.join(' or ')}, got ${answer.code}: ${answer.text.slice(0, 200)}`;
      }
      return undefined;
    },
  /** A tool error or a JSON-RPC error: the input was refused, one way or the other, and said so. */
  refused: (answer: Answer): string | undefined =>
    answer.kind === 'isError' || answer.kind === 'protocolError'
      ? answer.text.trim() === ''
        ? 'the refusal says nothing'
        : undefined
      : `expected a refusal (isError or a JSON-RPC error), got ${answer.kind}: ${answer.text.slice(0, 200)}`,
  /** A refusal, or a successful result: anything but a crash, a hang or a closed connection. */
  handled: (answer: Answer): string | undefined =>
    answer.kind === 'result' || answer.kind === 'isError' || answer.kind === 'protocolError'
      ? undefined
      : `expected an answer, got ${answer.kind}: ${answer.text.slice(0, 200)}`,
  /** An HTTP answer with one of these statuses. */
  http:
    (...statuses: number[]) =>
    (answer: Answer): string | undefined =>
      answer.kind === 'http' && statuses.includes(Number(answer.code))
        ? undefined
        : `expected HTTP ${statuses.join(' or ')}, got ${answer.kind} ${answer.code ?? ''}: ${answer.text.slice(0, 200)}`,
};

/** A tool call's result as an {@link Answer}. */
export function toolAnswer(result: { isError?: boolean; content?: unknown; _meta?: Record<string, unknown> }): Answer {
  const content = Array.isArray(result.content) ? result.content : [];
  const text = content
    .map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : `[${part.type}]`))
    .join('\n');
  if (!result.isError) return { kind: 'result', text };
  // Our error model puts the code in `_meta["mcp-packs/error"]` (core's ERROR_META_KEY).
  const code = (result._meta?.['mcp-packs/error'] as { code?: string } | undefined)?.code;
  return { kind: 'isError', ...(code ? { code } : {}), text };
}

/** A thrown client error as an {@link Answer}: a JSON-RPC error keeps its code. */
export function errorAnswer(error: unknown): Answer {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number') return { kind: 'protocolError', code, text };
  if (/timed? ?out/i.test(text)) return { kind: 'timeout', text };
  return { kind: 'closed', text };
}
