import { type ConnectedPack, connectPack } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let conn: ConnectedPack<MathServices>;
beforeAll(async () => {
  conn = await connectPack(mathPack, { prefix: 'calc', logSink: () => {} });
});
afterAll(() => conn.close());

function text(contents: readonly object[]): string {
  const [first] = contents as { text?: string }[];
  return first?.text ?? '';
}

describe('math functions resources', () => {
  it('lists the functions resource and the per-function template under the mount prefix', async () => {
    const { resources } = await conn.client.listResources();
    expect(resources).toEqual([
      expect.objectContaining({ uri: 'math://calc/functions', mimeType: 'text/markdown' }),
      expect.objectContaining({ uri: 'ui://calc/plot', mimeType: 'text/html;profile=mcp-app' }),
    ]);
    const { resourceTemplates } = await conn.client.listResourceTemplates();
    expect(resourceTemplates).toEqual([expect.objectContaining({ uriTemplate: 'math://calc/functions/{name}' })]);
  });

  it('lists every reachable function and constant by category, and what is disabled', async () => {
    const { contents } = await conn.client.readResource({ uri: 'math://calc/functions' });
    const markdown = text(contents);
    expect(markdown).toMatch(/^# Functions and constants for math expressions/);
    expect(markdown).toMatch(/\n## Algebra\n/);
    expect(markdown).toMatch(/\n- `sqrt\(x\)`: Compute the square root value\./);
    expect(markdown).toMatch(/\n- `pi`: /);
    expect(markdown).toMatch(/Disabled inside expressions: import, createUnit, evaluate, parse, compile/);
    expect(markdown).toContain('math://calc/functions/{name}');
    expect(markdown).not.toMatch(/\n- `evaluate\(/);
    expect(markdown).not.toMatch(/\n- `import\(/);
  });

  it('reads one function with its syntax and examples', async () => {
    const { contents } = await conn.client.readResource({ uri: 'math://calc/functions/lusolve' });
    const markdown = text(contents);
    expect(markdown).toMatch(/^# lusolve\n\nCategory: Algebra\n/);
    expect(markdown).toContain('    x=lusolve(A, b)');
    expect(markdown).toMatch(/See also: .*lup/);
  });

  it('refuses unknown and disabled names', async () => {
    await expect(conn.client.readResource({ uri: 'math://calc/functions/nope' })).rejects.toThrow(
      /No function or constant named "nope"/,
    );
    await expect(conn.client.readResource({ uri: 'math://calc/functions/evaluate' })).rejects.toThrow(
      /evaluate is disabled/,
    );
  });

  it('completes function names', async () => {
    const { completion } = await conn.client.complete({
      ref: { type: 'ref/resource', uri: 'math://calc/functions/{name}' },
      argument: { name: 'name', value: 'sq' },
    });
    expect(completion.values).toEqual(['sqrt', 'sqrtm', 'square', 'squeeze', 'SQRT1_2', 'SQRT2']);
  });
});
