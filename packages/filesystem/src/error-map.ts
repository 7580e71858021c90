import { type ErrorMap, isToolError, ToolError } from '@mcp-packs/core';
import { errnoCode, isFsError } from './fs/errors.js';

/**
 * Turn a domain failure into a `ToolError`. A raw system error that escaped the domain is reported by its errno
 * code only: Node's messages carry absolute paths, which could name a place outside the roots.
 */
export function asToolError(error: unknown): unknown {
  if (isToolError(error)) return error;
  if (isFsError(error)) {
    return new ToolError(error.message, {
      code: error.code,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.details === undefined ? {} : { details: error.details }),
      retryable: error.code === 'io_error' || error.code === 'search_timeout',
      cause: error,
    });
  }
  const code = errnoCode(error);
  if (code !== undefined && /^E[A-Z0-9]+$/.test(code)) {
    return new ToolError(`The file system refused the operation (${code}).`, {
      code: 'io_error',
      hint: 'Check the path and try again.',
      cause: error,
    });
  }
  return error;
}

/** The filesystem pack's error map: {@link asToolError}, for every tool, the file template and the pack's prompts. */
export const fsErrors: ErrorMap = (error) => {
  const mapped = asToolError(error);
  return isToolError(mapped) ? mapped : undefined;
};
