import { ToolError } from '@mcp-packs/core';
import { SysinfoInputError } from '../input-error.js';

/** Run domain code, turning its `SysinfoInputError`s into `ToolError`s the model can act on. */
export async function withToolErrors<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SysinfoInputError) {
      throw new ToolError(error.message, {
        code: error.code,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        ...(error.details === undefined ? {} : { details: error.details }),
        retryable: error.retryable,
        cause: error,
      });
    }
    throw error;
  }
}
