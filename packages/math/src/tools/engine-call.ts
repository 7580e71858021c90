import { type ToolCall, ToolError } from '@mcp-packs/core';
import type { OperationName, Operations } from '../engine/engine.js';
import { isMathError } from '../engine/math-error.js';
import type { MathServices } from '../services.js';

/** A {@link MathError} as the `ToolError` the client sees; anything else unchanged. */
export function toToolError(error: unknown): unknown {
  if (!isMathError(error)) return error;
  return new ToolError(error.message, {
    code: error.code,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    retryable: error.retryable,
    ...(error.details === undefined ? {} : { details: error.details }),
    cause: error,
  });
}

/** Run an engine operation on the pool for a tool call (cancelled with the call), with errors as `ToolError`s. */
export async function callEngine<K extends OperationName>(
  call: ToolCall<MathServices>,
  op: K,
  input: Operations[K][0],
): Promise<Operations[K][1]> {
  try {
    return await call.services.pool.run(op, input, call.signal);
  } catch (error) {
    throw toToolError(error);
  }
}

/** Run a check in the server process (before a worker is involved), with its errors as `ToolError`s. */
export function checkInput(check: () => void): void {
  try {
    check();
  } catch (error) {
    throw toToolError(error);
  }
}
