/**
 * One evaluation worker process of the pool: how it is started (its entry, flags, environment and pipes), the state
 * the pool keeps for it and for each call, and how its failures read. The scheduling is pool.ts.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OperationName } from './engine.js';
import { MathError } from './math-error.js';
import type { WorkerSetup } from './protocol.js';

/** A call, from `run()` until it settles. */
export interface Task {
  readonly id: number;
  readonly op: OperationName;
  readonly input: unknown;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: MathError) => void;
  readonly signal: AbortSignal | undefined;
  onAbort?: () => void;
  timer?: NodeJS.Timeout;
  spareTimer?: NodeJS.Timeout;
  /** When the call's clock started (or, after a warm-up, would have started to leave the time it had). */
  startedAt?: number;
  /** While its worker warms a sandbox: when the warm-up began. */
  warmingSince?: number;
  slot?: Slot;
  settled?: boolean;
}

export interface Slot {
  readonly child: ChildProcess;
  /** The end of the worker's stderr, to tell a heap overflow from another crash. */
  stderr: string;
  ready: boolean;
  /** Between `warming` and `warmed`: making a sandbox, not evaluating. */
  warming: boolean;
  dead: boolean;
  task: Task | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  /** While warming: replaces the worker if the warm-up stalls. */
  warmTimer?: NodeJS.Timeout | undefined;
}

/**
 * The worker entry: `worker.ts` beside this module when running from the sources; built, the bundle's worker entry
 * `dist/engine/worker.js`, and this code sits in `dist/` itself (scripts/build-package.mjs).
 */
export function defaultWorkerUrl(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./engine/worker.js', import.meta.url);
  // Node strips types only outside node_modules: an installed package run through its sources (the
  // @mcp-packs/source condition) uses the built worker it ships beside them.
  if (import.meta.url.includes('/node_modules/')) return new URL('../../dist/engine/worker.js', import.meta.url);
  return new URL('./worker.ts', import.meta.url);
}

/** The longest a worker may take to warm a sandbox for a call before it counts as stalled. */
export const WARM_UP_LIMIT_MS = 10_000;

/** What V8 prints when a process outgrows its heap limit. */
export const HEAP_EXHAUSTED = /heap out of memory|Reached heap limit|Allocation failed/;

/** The environment of a worker: the server's, without NODE_OPTIONS (which could override the heap limit). */
function workerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

export function cancelled(): MathError {
  return new MathError('cancelled', 'The evaluation was cancelled.', { retryable: true });
}

export function closedError(): MathError {
  return new MathError('closed', 'The math evaluator is shut down.', { hint: 'The pack was unmounted; reconnect.' });
}

/** Start a worker process: its heap limited to `memoryLimitMb`, never writing to stdout (the protocol channel). */
export function forkWorker(workerUrl: URL, setup: WorkerSetup, memoryLimitMb: number): ChildProcess {
  return fork(fileURLToPath(workerUrl), [JSON.stringify(setup)], {
    // Only the heap limit: the server's own flags (--inspect, -e, --input-type, --max-old-space-size) would break
    // or override a worker. NODE_OPTIONS is dropped for the same reason.
    execArgv: [`--max-old-space-size=${memoryLimitMb}`],
    env: workerEnv(),
    // Never let a worker write to stdout: on stdio it is the protocol channel.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
}

/** Pass a worker's stdout on to stderr, keep the end of its stderr, and let neither keep the server alive. */
export function keepStderrTail(slot: Slot): void {
  const { child } = slot;
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    slot.stderr = (slot.stderr + chunk.toString()).slice(-4096);
  });
  // An idle pool must not keep the server alive.
  child.unref();
  child.channel?.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
}

/** Why a worker exited, as the pool reports it: the exit code or signal, and the last line it wrote to stderr. */
export function exitReason(slot: Slot, code: number | null, signal: NodeJS.Signals | null): string {
  const how = signal ? `signal ${signal}` : `code ${code}`;
  const last = slot.stderr.trim().split('\n').at(-1) ?? '';
  return `exited with ${how}${last ? `: ${last}` : ''}`;
}

/** Kill a worker for good (its timers cleared) and resolve once it has exited. */
export async function stopWorker(slot: Slot): Promise<void> {
  slot.dead = true;
  if (slot.idleTimer) clearTimeout(slot.idleTimer);
  clearTimeout(slot.warmTimer);
  if (slot.child.exitCode !== null || slot.child.signalCode !== null) return;
  const exited = new Promise((resolve) => slot.child.once('exit', resolve));
  slot.child.ref(); // so that awaiting close keeps the process alive until the worker is gone
  slot.child.kill('SIGKILL');
  await exited;
}

/** A call refused because every worker is busy and the queue is full. */
export function busyError(waiting: number): MathError {
  return new MathError('busy', `Every math worker is busy and ${waiting} calls are waiting.`, {
    retryable: true,
    hint: 'Try again in a moment, or send fewer calls at once (a batch of expressions counts as one call).',
  });
}

/** A call lost because its worker failed or stopped; trying again gets a fresh worker. */
export function crashed(message: string): MathError {
  return new MathError('worker_crashed', message, { retryable: true });
}
