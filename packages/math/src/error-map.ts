import { type ErrorMap, ToolError } from '@mcp-packs/core';
import { isMathError } from './engine/math-error.js';

/**
 * The math pack's error map: a {@link MathError} (a refused expression, a limit hit in a worker, a busy pool) as the
 * `ToolError` the client sees, with its code, hint and details; anything else is left to core's generic handling.
 */
export const mathErrors: ErrorMap = (error) =>
  isMathError(error)
    ? new ToolError(error.message, {
        code: error.code,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        retryable: error.retryable,
        ...(error.details === undefined ? {} : { details: error.details }),
        cause: error,
      })
    : undefined;
