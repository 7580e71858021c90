import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';

/** The `limit` and `cursor` inputs of a listing tool. */
export function pagingInput(defaultLimit: number, maxLimit: number) {
  return {
    limit: z.number().int().min(1).max(maxLimit).default(defaultLimit).describe('Per page.'),
    cursor: z.string().optional().describe('nextCursor.'),
  };
}

const CURSOR = /^o(\d{1,9})$/;

/** One page of `items` from an opaque cursor; throws `ToolError` (`invalid_cursor`) for a cursor it did not issue. */
export function page<T>(
  items: readonly T[],
  limit: number,
  cursor: string | undefined,
): { items: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    const decoded = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
    if (!decoded) {
      throw new ToolError('The cursor is not one this tool issued.', {
        code: 'invalid_cursor',
        hint: 'Pass the nextCursor value of the previous result unchanged, or omit cursor to start over.',
      });
    }
    offset = Number(decoded[1]);
  }
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit;
  return next < items.length
    ? { items: slice, nextCursor: Buffer.from(`o${next}`, 'latin1').toString('base64url') }
    : { items: slice };
}
