/** The one bridge from the store's errors to the MCP error model. */
import { ToolError } from '@mcp-packs/core';
import { isNoteStoreError } from '../store/errors.js';

/** Run a store call; its expected failures become `ToolError`s with the same code, hint and details. */
export async function callStore<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isNoteStoreError(error)) {
      throw new ToolError(error.message, {
        code: error.code,
        retryable: error.retryable,
        cause: error,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        ...(error.details === undefined ? {} : { details: error.details }),
      });
    }
    throw error;
  }
}
