import { type ErrorMap, ToolError } from '@mcp-packs/core';
import { SysinfoInputError } from './input-error.js';

/**
 * The sysinfo pack's error map: a {@link SysinfoInputError} of the domain code (an unknown zone, an unreadable time, a
 * path that cannot be measured) as the `ToolError` the model can act on; anything else is left to core.
 */
export const sysinfoErrors: ErrorMap = (error) =>
  error instanceof SysinfoInputError
    ? new ToolError(error.message, {
        code: error.code,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        ...(error.details === undefined ? {} : { details: error.details }),
        retryable: error.retryable,
        cause: error,
      })
    : undefined;
