import { type ErrorMap, ToolError } from '@mcp-packs/core';
import { FetchError } from './policy/fetch-error.js';

/**
 * The web-fetch pack's error map: a domain {@link FetchError} (a policy refusal, a network or HTTP failure, bad input)
 * as the `ToolError` the model sees, with its kind in `details`; anything else is left to core.
 */
export const webFetchErrors: ErrorMap = (error) =>
  error instanceof FetchError
    ? new ToolError(error.message, {
        code: error.code,
        ...(error.hint ? { hint: error.hint } : {}),
        retryable: error.retryable,
        details: { kind: error.kind, ...error.details },
        cause: error,
      })
    : undefined;
