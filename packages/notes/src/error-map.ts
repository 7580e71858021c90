/** The one bridge from the store's errors to the MCP error model. */
import { type ErrorMap, ToolError } from '@mcp-packs/core';
import { isNoteStoreError } from './store/errors.js';

/**
 * The notes pack's error map: a store's expected failure (a missing note, a version conflict, a busy lock) as a
 * `ToolError` with the same code, hint and details, for every tool, the note template and the prompt.
 */
export const notesErrors: ErrorMap = (error) =>
  isNoteStoreError(error)
    ? new ToolError(error.message, {
        code: error.code,
        retryable: error.retryable,
        cause: error,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        ...(error.details === undefined ? {} : { details: error.details }),
      })
    : undefined;
