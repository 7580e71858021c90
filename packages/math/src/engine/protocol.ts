/**
 * The messages between the pool (in the server process) and an evaluation worker process.
 */

import type { OperationName, Operations } from './engine.js';
import type { EngineLimits } from './limits.js';
import type { MathErrorData } from './math-error.js';

/** What a worker receives, as JSON in its first argument. */
export interface WorkerSetup {
  limits: EngineLimits;
}

/** Server → worker: run one operation. */
export interface WorkerRequest<K extends OperationName = OperationName> {
  id: number;
  op: K;
  input: Operations[K][0];
}

/** Worker → server. */
export type WorkerMessage =
  /** The worker has loaded mathjs and takes requests. */
  | { type: 'ready' }
  /**
   * The worker is making a sandbox (0.1-0.2 s): for a call that needs a number type not made yet, or, when idle, the
   * ones no call has needed. The pool sends nothing meanwhile and stops the clock of a call it has sent.
   */
  | { type: 'warming' }
  /** The sandbox is made: calls go to the worker again, and their clock runs. */
  | { type: 'warmed' }
  /** The result of request `id`. */
  | { type: 'result'; id: number; output: unknown }
  /**
   * The failure of request `id`. `recycle` asks the pool to replace this worker (after a stack overflow, whose
   * unwinding may have left mathjs's caches half-written).
   */
  | { type: 'error'; id: number; error: MathErrorData; recycle?: boolean };
