import { connectPack, ERROR_META_KEY, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';

const quiet = { logSink: () => {} };
const EXPONENTIAL = 'f(x) = x > 0 ? f(x - 1) + f(x - 1) : 1; f(60)';

describe('math_evaluate', () => {
  it('is listed read-only and closed-world, with input and output schemas', async () => {
    await using conn = await connectPack(mathPack, quiet);
    const { tools } = await conn.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'math_convert_units',
      'math_derivative',
      'math_evaluate',
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
    await using conn = await connectPack(mathPack, quiet);
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
    await using conn = await connectPack(mathPack, quiet);
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
    await using conn = await connectPack(mathPack, quiet);
    const result = await conn.callTool('evaluate', { expression: 'log(0)' });
    expect(structured(result)).toMatchObject({ value: '-Infinity', type: 'number' });
    expect(resultText(result)).toMatch(/-Infinity \(warning: The result is not finite/);
  });

  it('explains mistakes with a hint', async () => {
    await using conn = await connectPack(mathPack, quiet);
    const result = await conn.callTool('evaluate', { expression: '2 ** 8' });
    expect(errorCode(result)).toBe('syntax_error');
    expect(resultText(result)).toMatch(/Hint: Use \^ for powers/);
    const invalid = await conn.callTool('evaluate', { expression: 1 });
    expect(invalid.isError).toBe(true);
    expect(resultText(invalid)).toMatch(/expression/);
  });
});

describe('math_evaluate limits', () => {
  it('expression length', async () => {
    await using conn = await connectPack(mathPack, quiet);
    const result = await conn.callTool('evaluate', { expression: `1${' + 1'.repeat(250)}` });
    expect(errorCode(result)).toBe('expression_too_long');
    expect(resultText(result)).toMatch(/is 1,001 characters long; the limit is 1,000 \(expression length limit\)/);
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({ details: { limit: 'maxExpressionLength', max: 1000 } });
  });

  it('batch size', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { maxBatchSize: 3 } });
    const result = await conn.callTool('evaluate', { expression: ['1', '2', '3', '4'] });
    expect(errorCode(result)).toBe('batch_too_large');
    expect(resultText(result)).toMatch(/4 expressions; the limit is 3 \(batch size limit\)/);
  });

  it('result size', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { maxResultLength: 1000 } });
    const result = await conn.callTool('evaluate', { expression: 'range(1, 500)' });
    expect(errorCode(result)).toBe('result_too_large');
    expect(resultText(result)).toMatch(/the limit is 1,000 \(result size limit\)/);
    expect(resultText(result)).toMatch(/Hint: .*A\[1:10, 1:10\]/);
  });

  it('matrix size', async () => {
    await using conn = await connectPack(mathPack, quiet);
    for (const expression of ['zeros(1e5, 1e5)', 'range(1, 1e9)']) {
      const result = await conn.callTool('evaluate', { expression });
      expect(errorCode(result), expression).toBe('matrix_too_large');
      expect(resultText(result)).toMatch(/the limit is 1,000,000 \(matrix size limit\)/);
    }
  });

  it('time: a hostile call is stopped, and the next call succeeds', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { timeoutMs: 300 } });
    const result = await conn.callTool('evaluate', { expression: EXPONENTIAL });
    expect(errorCode(result)).toBe('time_limit');
    expect(resultText(result)).toBe(
      '[time_limit] The evaluation took longer than 300 ms and was stopped (time limit).\nHint: Make it cheaper: smaller matrices and ranges, fewer or smaller factorials and powers, no deep or exponential recursion; split a large batch into several calls. The server sets the limit with `timeoutMs`.',
    );
    expect(structured(await conn.callTool('evaluate', { expression: '2 + 2' }))).toMatchObject({ number: 4 });
  });

  it('memory: a hostile call is stopped, and the next call succeeds', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { memoryLimitMb: 48, timeoutMs: 20_000 } });
    const hog =
      'a = ones(1000, 1000); b = a + 1; c = b + 1; d = c + 1; g = d + 1; h = g + 1; k = h + 1; l = k + 1; m = l + 1';
    const result = await conn.callTool('evaluate', { expression: hog });
    expect(errorCode(result)).toBe('memory_limit');
    expect(resultText(result)).toMatch(/needed more than 48 MB of memory and was stopped \(memory limit\)/);
    expect(resultText(result)).toMatch(/Hint: Build smaller matrices/);
    expect(structured(await conn.callTool('evaluate', { expression: '2 + 3' }))).toMatchObject({ number: 5 });
  });

  it('BigNumber factorial(1e6): stopped by the time limit, and the next call succeeds', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { timeoutMs: 500 } });
    const result = await conn.callTool('evaluate', { expression: 'factorial(1e6)', numberType: 'BigNumber' });
    expect(errorCode(result)).toBe('time_limit');
    expect(
      structured(await conn.callTool('evaluate', { expression: 'factorial(20)', numberType: 'BigNumber' })),
    ).toMatchObject({
      value: '2432902008176640000',
    });
  });

  it('deep recursion: stopped by the stack limit, and the next call succeeds', async () => {
    await using conn = await connectPack(mathPack, quiet);
    const result = await conn.callTool('evaluate', { expression: 'f(n) = n + f(n - 1); f(1)' });
    expect(errorCode(result)).toBe('recursion_limit');
    expect(structured(await conn.callTool('evaluate', { expression: '3 * 3' }))).toMatchObject({ number: 9 });
  });

  it('concurrent calls run side by side, even while one of them is hostile', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { timeoutMs: 60_000, workers: 2 } });
    await conn.callTool('evaluate', { expression: '1' });
    const controller = new AbortController();
    let hostileSettled = false;
    const hostile = conn
      .callTool('evaluate', { expression: EXPONENTIAL }, { signal: controller.signal })
      .finally(() => {
        hostileSettled = true;
      });
    const normal = await conn.callTool('evaluate', { expression: 'det([1, 2; 3, 4])' });
    expect(structured(normal)).toMatchObject({ number: -2 });
    expect(hostileSettled).toBe(false);
    controller.abort();
    await expect(hostile).rejects.toThrow();
  });
});

describe('math_evaluate cancellation and shutdown', () => {
  it('cancelling a call stops its evaluation at once', async () => {
    await using conn = await connectPack(mathPack, { ...quiet, config: { timeoutMs: 60_000 } });
    await conn.callTool('evaluate', { expression: '1' });
    const pool = conn.mounted.services.pool;
    const controller = new AbortController();
    const call = conn.callTool('evaluate', { expression: EXPONENTIAL }, { signal: controller.signal });
    const deadline = Date.now() + 10_000;
    while (pool.stats().busy === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.stats().busy).toBe(1);
    controller.abort();
    await expect(call).rejects.toThrow();
    while (pool.stats().busy === 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.stats()).toMatchObject({ busy: 0, replaced: 1 });
    expect(structured(await conn.callTool('evaluate', { expression: '7 * 6' }))).toMatchObject({ number: 42 });
  });

  it('closing the mount terminates every worker', async () => {
    const conn = await connectPack(mathPack, { ...quiet, config: { workers: 2 } });
    await Promise.all([conn.callTool('evaluate', { expression: '1' }), conn.callTool('evaluate', { expression: '2' })]);
    const pool = conn.mounted.services.pool;
    expect(pool.stats().workers).toBeGreaterThan(0);
    await conn.close();
    expect(pool.stats().workers).toBe(0);
  });

  it('refuses a config with unknown keys or out-of-range limits at mount', async () => {
    await expect(connectPack(mathPack, { ...quiet, config: { timeout: 5 } as never })).rejects.toThrow(/timeout/);
    await expect(connectPack(mathPack, { ...quiet, config: { timeoutMs: 1 } })).rejects.toThrow(/timeoutMs/);
  });
});
