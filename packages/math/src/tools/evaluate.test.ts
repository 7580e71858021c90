import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

const quiet = { logSink: () => {} };

describe('math_evaluate', () => {
  // One mount (and so one worker) for the calls that need no config of their own: a worker takes most of a
  // second to start, and these tests are about results, not about workers.
  let conn: ConnectedPack<MathServices>;
  beforeAll(async () => {
    conn = await connectPack(mathPack, quiet);
  });
  afterAll(async () => {
    await conn.close();
  });

  it('is listed read-only and closed-world, with input and output schemas', async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'math_convert_units',
      'math_derivative',
      'math_evaluate',
      'math_plot',
      'math_simplify',
      'math_solve_linear',
      'math_statistics',
    ]);
    for (const tool of tools) {
      expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      expect(tool.outputSchema, tool.name).toMatchObject({ type: 'object' });
      expect(tool.description?.length, tool.name).toBeGreaterThan(80);
    }
    const evaluate = tools.find((tool) => tool.name === 'math_evaluate');
    expect(evaluate?.description).toMatch(/\^ not \*\*/);
    expect(evaluate?.inputSchema.properties).toHaveProperty('scope');
  });

  it('returns a structured value and a short text', async () => {
    const result = await conn.callTool('evaluate', { expression: '5 inch to cm' });
    expect(structured(result)).toEqual({
      expression: '5 inch to cm',
      value: '12.7 cm',
      type: 'Unit',
      unit: 'cm',
      number: 12.7,
      latex: '12.7~\\mathrm{cm}',
    });
    expect(resultText(result)).toBe('12.7 cm');
  });

  it('handles every number type', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { bigNumberPrecision: 40 } });
    expect(structured(await conn.callTool('evaluate', { expression: '1/3', numberType: 'BigNumber' }))).toMatchObject({
      value: `0.${'3'.repeat(40)}`,
      type: 'BigNumber',
    });
    expect(
      structured(await conn.callTool('evaluate', { expression: '1/3 + 1/6', numberType: 'Fraction' })),
    ).toMatchObject({
      value: '1/2',
      type: 'Fraction',
    });
    expect(structured(await conn.callTool('evaluate', { expression: 'pi', precision: 3 }))).toMatchObject({
      value: '3.14',
    });
    expect(structured(await conn.callTool('evaluate', { expression: '[1, 2; 3, 4]^2' }))).toMatchObject({
      type: 'Matrix',
      array: [
        [7, 10],
        [15, 22],
      ],
      size: [2, 2],
    });
    expect(structured(await conn.callTool('evaluate', { expression: 'sqrt(-1)' }))).toMatchObject({
      value: 'i',
      type: 'Complex',
    });
  });

  it('evaluates a batch in order with a shared scope', async () => {
    const result = await conn.callTool('evaluate', {
      expression: ['v = d / t', 'f(x) = v * x', 'f(60 s) to km', 'oops +'],
      scope: { d: '100 m', t: '9.58 s' },
      precision: 4,
    });
    const { results } = structured<{ results: Record<string, unknown>[] }>(result);
    expect(results).toHaveLength(4);
    expect(results[0]).toMatchObject({ value: '10.44 m / s', unit: 'm / s' });
    expect(results[1]).toMatchObject({ value: 'f(x)', type: 'function' });
    expect(results[2]).toMatchObject({ value: '0.6263 km', unit: 'km' });
    expect(results[3]).toMatchObject({ code: 'syntax_error' });
    const text = resultText(result);
    expect(text).toMatch(/^1\. v = d \/ t = 10\.44 m \/ s\n2\. f\(x\) = v \* x = defined f\(x\)\n3\. /);
    expect(text).toMatch(/4\. oops \+ → error \[syntax_error\]/);
  });

  it('reports non-finite results plainly', async () => {
    const result = await conn.callTool('evaluate', { expression: 'log(0)' });
    expect(structured(result)).toMatchObject({ value: '-Infinity', type: 'number' });
    expect(resultText(result)).toMatch(/-Infinity \(warning: The result is not finite/);
  });

  it('explains mistakes with a hint', async () => {
    const result = await conn.callTool('evaluate', { expression: '2 ** 8' });
    expect(errorCode(result)).toBe('syntax_error');
    expect(resultText(result)).toMatch(/Hint: Use \^ for powers/);
    const invalid = await conn.callTool('evaluate', { expression: 1 });
    expect(invalid.isError).toBe(true);
    expect(resultText(invalid)).toMatch(/expression/);
  });
});
