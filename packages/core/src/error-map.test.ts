import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPackError, ToolError } from './errors.js';
import type { LogEntry } from './log.js';
import { definePack, definersFor } from './pack.js';
import { connectPack, ERROR_META_KEY, errorCode, resultText } from './testing/index.js';

/** A domain error, as a pack's plain TypeScript code throws it: no MCP in sight. */
class ShelfError extends Error {
  constructor(
    readonly reason: 'missing' | 'full',
    message: string,
  ) {
    super(message);
  }
}

class Shelf {
  readonly books = new Map([['b1', 'Dune']]);
  get(id: string): string {
    const title = this.books.get(id);
    if (title === undefined) throw new ShelfError('missing', `No book "${id}" on the shelf.`);
    return title;
  }
}

const { defineTool, defineResourceTemplate, definePrompt } = definersFor<{ shelf: Shelf }>();

function shelfPack(map?: (error: unknown) => ToolError | undefined) {
  return definePack({
    name: 'shelf',
    description: 'Books on a shelf.',
    setup: () => ({ shelf: new Shelf() }),
    errors:
      map ??
      ((error) =>
        error instanceof ShelfError && error.reason === 'missing'
          ? new ToolError(error.message, { code: 'not_found', hint: 'Call shelf_list for the ids.', cause: error })
          : undefined),
    tools: {
      get: defineTool({
        description: 'The title of a book by id.',
        inputSchema: () => z.object({ id: z.string() }),
        annotations: { readOnlyHint: true },
        execute: ({ id }, { services }) => ({ title: services.shelf.get(id) }),
      }),
      add: defineTool({
        description: 'Add a book (the shelf is always full).',
        inputSchema: () => z.object({ title: z.string() }),
        annotations: { readOnlyHint: false, destructiveHint: false },
        execute: () => {
          throw new ShelfError('full', 'The shelf is full.');
        },
      }),
      own: defineTool({
        description: 'Fails with a ToolError of its own.',
        inputSchema: () => z.object({}),
        annotations: { readOnlyHint: true },
        execute: () => {
          throw new ToolError('Nope.', { code: 'own_code' });
        },
      }),
    },
    resourceTemplates: {
      book: defineResourceTemplate({
        uriTemplate: 'shelf://books/{id}',
        description: 'A book by id.',
        read: (_url, { id }, { services }) => services.shelf.get(id ?? ''),
      }),
    },
    prompts: {
      review: definePrompt({
        description: 'Review a book.',
        argsSchema: z.object({ id: z.string() }),
        get: ({ id }, { services }) => `Review ${services.shelf.get(id)}.`,
      }),
    },
  });
}

describe('a pack error map', () => {
  it('turns a domain error thrown by execute into an isError result with its code and hint', async () => {
    await using conn = await connectPack(shelfPack());
    const result = await conn.callTool('get', { id: 'zz' });
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('not_found');
    expect(resultText(result)).toContain('No book "zz" on the shelf.');
    expect(resultText(result)).toContain('Call shelf_list for the ids.');
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'not_found', retryable: false });
    expect(await conn.callTool('get', { id: 'b1' })).toMatchObject({ structuredContent: { title: 'Dune' } });
  });

  it('leaves an error it does not map to the generic handling: a short message with an error id, logged', async () => {
    const entries: LogEntry[] = [];
    await using conn = await connectPack(shelfPack(), { logSink: (entry) => entries.push(entry) });
    const result = await conn.callTool('add', { title: 'Emma' });
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('internal_error');
    expect(resultText(result)).not.toContain('The shelf is full');
    expect(entries.some((entry) => entry.level === 'error' && entry.error instanceof ShelfError)).toBe(true);
  });

  it('passes a ToolError thrown by the tool itself through unmapped', async () => {
    let seen = 0;
    const pack = shelfPack(() => {
      seen++;
      return new ToolError('mapped', { code: 'mapped' });
    });
    await using conn = await connectPack(pack);
    expect(errorCode(await conn.callTool('own'))).toBe('own_code');
    expect(seen).toBe(0);
  });

  it('applies to resource template reads and prompts, as protocol errors with the mapped message', async () => {
    await using conn = await connectPack(shelfPack());
    await expect(conn.client.readResource({ uri: 'shelf://shelf/books/zz' })).rejects.toMatchObject({
      message: expect.stringContaining('No book "zz" on the shelf. Hint: Call shelf_list for the ids.'),
    });
    await expect(conn.client.getPrompt({ name: 'shelf_review', arguments: { id: 'zz' } })).rejects.toMatchObject({
      message: expect.stringContaining('No book "zz" on the shelf.'),
    });
    const read = await conn.client.readResource({ uri: 'shelf://shelf/books/b1' });
    expect(read.contents[0]).toMatchObject({ text: 'Dune' });
  });

  it('an error map that throws is logged and leaves the error generic; the server keeps serving', async () => {
    const entries: LogEntry[] = [];
    const pack = shelfPack(() => {
      throw new Error('map bug');
    });
    await using conn = await connectPack(pack, { logSink: (entry) => entries.push(entry) });
    expect(errorCode(await conn.callTool('get', { id: 'zz' }))).toBe('internal_error');
    expect(entries.some((entry) => entry.message === "the pack's error map failed")).toBe(true);
    expect(await conn.callTool('get', { id: 'b1' })).toMatchObject({ structuredContent: { title: 'Dune' } });
  });

  it('definePack refuses an error map that is not a function', () => {
    let error: unknown;
    try {
      definePack({ name: 'bad', description: 'Bad.', errors: 'nope' as never });
    } catch (caught) {
      error = caught;
    }
    expect(isPackError(error)).toBe(true);
    expect((error as Error).message).toContain('errors must be a function');
  });
});
