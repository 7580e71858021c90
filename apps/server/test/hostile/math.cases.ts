/**
 * Hostile input, area `math`: expressions that explode in time or memory, and sandbox escapes (issue #18, part 4),
 * through the real `mcp-packs` server as a child process over stdio with only `@mcp-packs/math` mounted.
 *
 * The pack's limits are shortened so the suite stays fast (time 0.5 s, heap 64 MB per worker: a case that hits a limit
 * costs that long plus a worker restart); everything else is the default. Each case sends one expression and
 * checks that it is refused, or stopped, with an `isError` naming the limit (its code and the words of the limit),
 * or, where mathematics has an answer (`1e308!` is Infinity), that the answer is right. The peak RSS is the
 * server's: the evaluation runs in worker processes, each held to the heap limit and killed past it.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { connectStdio, tempDir, writeConfig } from '../helpers.js';
import {
  type Answer,
  errorAnswer,
  expectAnswer,
  type HostileCase,
  type HostileSuite,
  type SuiteContext,
  toolAnswer,
} from './harness.js';

/** The limits of the suite's mount (the pack's defaults are 2000 ms and 256 MB). */
export const MATH_LIMITS = { timeoutMs: 500, memoryLimitMb: 64 } as const;

/** How long a case waits for its answer: the time limit, a worker restart, and slack for a loaded machine. */
const CASE_TIMEOUT_MS = 20_000;

export interface MathContext extends SuiteContext {
  client: Client;
  /** Call a tool with `args`, as an {@link Answer}. */
  call(name: string, args: Record<string, unknown>): Promise<Answer>;
  /** The structured content of the last successful call. */
  lastStructured: Record<string, unknown> | undefined;
}

async function start(): Promise<MathContext> {
  const temp = tempDir('mcp-packs-hostile-math-');
  const configFile = writeConfig(temp.path, {
    server: { name: 'hostile-math' },
    packs: [{ use: '@mcp-packs/math', config: MATH_LIMITS }],
  });
  let connected: { client: Client; transport: StdioClientTransport };
  try {
    connected = await connectStdio(['--config', configFile]);
  } catch (error) {
    temp.cleanup();
    throw error;
  }
  const { client, transport } = connected;
  const pid = transport.pid;
  if (pid === null) throw new Error('the math server has no pid');
  let exited = false;
  transport.onclose = () => {
    exited = true;
  };
  const context: MathContext = {
    client,
    pid,
    lastStructured: undefined,
    async call(name, args) {
      try {
        const result = await client.callTool({ name, arguments: args }, { timeout: CASE_TIMEOUT_MS });
        context.lastStructured = result.structuredContent as Record<string, unknown> | undefined;
        return toolAnswer(result as never);
      } catch (error) {
        return errorAnswer(error);
      }
    },
    async probe() {
      const result = await client.callTool({ name: 'math_evaluate', arguments: { expression: '6 * 7' } });
      if (result.isError || (result.structuredContent as { number?: number } | undefined)?.number !== 42) {
        throw new Error(`2 + 2 went wrong: ${JSON.stringify(result.content).slice(0, 300)}`);
      }
    },
    alive() {
      if (exited) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await client.close().catch(() => {});
      temp.cleanup();
    },
  };
  // The first call starts the first worker (mathjs loads in about 0.1-0.5 s): pay it here, not in a case.
  await context.probe();
  return context;
}

/** A check: a tool error with one of `codes` whose text matches `words` (the limit, named). */
function refusedWith(codes: readonly string[], words: RegExp) {
  const toolError = expectAnswer.toolError(...codes);
  return (answer: Answer): string | undefined =>
    toolError(answer) ?? (words.test(answer.text) ? undefined : `the error does not say ${words}: ${answer.text}`);
}

const TIME = /took longer than 500 ms.*\(time limit\)/;
const MATRIX = /the limit is 1,000,000 \(matrix size limit\)/;
const RESULT = /the limit is 100,000 \(result size limit\)/;
const STACK = /recursed too deeply.*\(stack limit\)/;
const LENGTH = /the limit is 1,000 \(expression length limit\)/;

const timeLimit = refusedWith(['time_limit'], TIME);
const memoryOrTime = refusedWith(['memory_limit', 'time_limit'], /\((memory|time) limit\)/);
const forbidden = refusedWith(
  ['forbidden'],
  /not allowed|disabled in this sandbox|Only named functions|cannot be converted/,
);
const DEEP = /the limit is 100 \(nesting limit\)/;

/** A case that evaluates `expression` (optionally with a number type) and checks the answer. */
function evaluateCase(
  name: string,
  expression: string | string[],
  check: (answer: Answer) => string | undefined,
  extra: Record<string, unknown> = {},
): HostileCase<MathContext> {
  return { name, run: (context) => context.call('math_evaluate', { expression, ...extra }), check };
}

/** A successful answer whose text matches `pattern`. */
function resultMatching(pattern: RegExp) {
  return (answer: Answer): string | undefined =>
    answer.kind !== 'result'
      ? `expected a result, got ${answer.kind} ${answer.code ?? ''}: ${answer.text.slice(0, 200)}`
      : pattern.test(answer.text)
        ? undefined
        : `expected ${pattern}, got ${answer.text.slice(0, 200)}`;
}

const nested = (open: string, close: string, depth: number, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

const cases: HostileCase<MathContext>[] = [
  // Huge numbers: floats overflow to Infinity (an answer, with a warning); exact types must be stopped.
  evaluateCase('1e308! is Infinity, with a warning', '1e308!', resultMatching(/^Infinity \(warning: .*not finite/)),
  evaluateCase('9^9^9 is Infinity as a float', '9^9^9', resultMatching(/^Infinity \(warning/)),
  evaluateCase('factorial(100000) is Infinity as a float', 'factorial(100000)', resultMatching(/^Infinity/)),
  evaluateCase('9^9^9 as an exact Fraction: stopped', '9^9^9', memoryOrTime, { numberType: 'Fraction' }),
  evaluateCase(
    '2^(2^40) as an exact Fraction: past what JavaScript can hold',
    '2^(2^40)',
    // Fraction.js builds the BigInt to find out: on a loaded machine the time limit may come first.
    refusedWith(['memory_limit', 'time_limit'], /larger than JavaScript can hold.*\(memory limit\)|\(time limit\)/),
    { numberType: 'Fraction' },
  ),
  evaluateCase('9^9^9 as a BigNumber: a number in exponent form', '9^9^9', resultMatching(/e\+369693099/), {
    numberType: 'BigNumber',
  }),
  evaluateCase(
    'factorial(100000) as a BigNumber: stopped or answered',
    'factorial(100000)',
    (answer) => (answer.kind === 'result' ? resultMatching(/e\+456573/)(answer) : timeLimit(answer)),
    { numberType: 'BigNumber' },
  ),
  evaluateCase('factorial(1e7) as a BigNumber: stopped by the time limit', 'factorial(1e7)', timeLimit, {
    numberType: 'BigNumber',
  }),
  evaluateCase(
    'a fixed-notation number with a billion digits',
    'format(1, {notation: "fixed", precision: 1e9})',
    expectAnswer.toolError(),
  ),

  // Matrices and ranges: refused before anything is allocated.
  evaluateCase('ones(1e5, 1e5)', 'ones(1e5, 1e5)', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase('zeros(1e9)', 'zeros(1e9)', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase('range(1, 1e10)', 'range(1, 1e10)', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase('1:1e10', '1:1e10', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase('range(0, Infinity)', 'range(0, Infinity)', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase('zeros([1e5, 1e5])', 'zeros([1e5, 1e5])', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase('identity(1e5)', 'identity(1e5)', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase('random([1e5, 1e5])', 'random([1e5, 1e5])', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase(
    'an assignment far past the end of a matrix (A[1e5, 1e5] = 1 resizes)',
    'A = [1]; A[1e5, 1e5] = 1',
    refusedWith(['matrix_too_large'], MATRIX),
  ),
  evaluateCase('resize to 1e10 elements', 'resize([1], [1e5, 1e5])', refusedWith(['matrix_too_large'], MATRIX)),
  evaluateCase(
    'concat doubling a million-element matrix',
    'a = ones(1000, 1000); b = concat(a, a); c = concat(b, b); d = concat(c, c); e = concat(d, d); f = concat(e, e)',
    refusedWith(['matrix_too_large', 'memory_limit', 'time_limit'], /\((matrix size|memory|time) limit\)/),
  ),
  evaluateCase(
    'a dense 1000 × 1000 product (1e9 multiply-adds)',
    'sum(ones(1000, 1000) * ones(1000, 1000))',
    timeLimit,
  ),
  evaluateCase('a 60,000-element result', 'range(1, 60000)', refusedWith(['result_too_large'], RESULT)),
  evaluateCase(
    'the heap filled a megabyte at a time',
    'a = ones(1000, 1000); b = a + 1; c = b + 1; d = c + 1; g = d + 1; h = g + 1; k = h + 1; l = k + 1; m = l + 1; n = m + 1; o = n + 1; p = o + 1',
    memoryOrTime,
  ),

  // Strings.
  evaluateCase(
    'a string doubled thirty times',
    `s = "${'x'.repeat(64)}"; ${Array.from({ length: 30 }, () => 's = concat(s, s)').join('; ')}; size(s)`,
    (answer) => expectAnswer.toolError()(answer),
  ),

  // Recursion and loops.
  evaluateCase('endless recursion', 'f(n) = f(n + 1); f(1)', refusedWith(['recursion_limit'], STACK)),
  evaluateCase('mutual recursion', 'f(n) = g(n + 1); g(n) = f(n + 1); f(1)', refusedWith(['recursion_limit'], STACK)),
  evaluateCase('exponential recursion', 'f(x) = x > 0 ? f(x - 1) + f(x - 1) : 1; f(60)', timeLimit),
  evaluateCase('map over a million elements with an inner sum', 'sum(map(1:1e6, f(x) = sum(1:1000)))', timeLimit),
  evaluateCase(
    'a batch of 100 one-second loops',
    Array.from({ length: 100 }, (_, i) => `s${i} = sum(map(1:1e6, f(x) = x^2))`),
    timeLimit,
  ),

  // Parser stress: long and deep expressions.
  evaluateCase('100,000 nested parentheses', nested('(', ')', 100_000), refusedWith(['expression_too_long'], LENGTH)),
  evaluateCase('a 1 MB expression', `1${'+1'.repeat(500_000)}`, refusedWith(['expression_too_long'], LENGTH)),
  evaluateCase(
    '499 nested parentheses (within the length limit)',
    nested('(', ')', 499),
    refusedWith(['expression_too_deep'], DEEP),
  ),
  evaluateCase('333 nested matrices', nested('[', ']', 333), refusedWith(['expression_too_deep'], DEEP)),
  evaluateCase('100 nested parentheses: at the limit, answered', nested('(', ')', 100), resultMatching(/^1$/)),
  evaluateCase(
    'a chain of 499 powers (nesting without brackets)',
    Array.from({ length: 500 }, () => '1').join('^'),
    (answer) =>
      answer.kind === 'result'
        ? resultMatching(/^1$/)(answer)
        : refusedWith(['expression_too_deep'], /nesting limit/)(answer),
  ),
  evaluateCase('999 unary minus signs', `${'-'.repeat(999)}1`, (answer) =>
    answer.kind === 'result' ? resultMatching(/^-1$/)(answer) : refusedWith(['recursion_limit'], STACK)(answer),
  ),
  evaluateCase('199 nested function calls', nested('abs(', ')', 199), refusedWith(['expression_too_deep'], DEEP)),
  evaluateCase('100 nested function calls: at the limit, answered', nested('abs(', ')', 100), resultMatching(/^1$/)),
  evaluateCase(
    'a batch over the batch limit',
    Array.from({ length: 10_000 }, () => '1'),
    refusedWith(['batch_too_large'], /the limit is 100 \(batch size limit\)/),
  ),

  // Symbolic tools.
  {
    name: 'simplify: rationalize (x + y + 1)^200',
    run: (context) => context.call('math_simplify', { expression: '(x + y + 1)^200', rationalize: true }),
    check: refusedWith(['time_limit', 'memory_limit', 'result_too_large'], /\((time|memory|result size) limit\)/),
  },
  {
    name: 'derivative: order 10 of a tower of powers',
    run: (context) => context.call('math_derivative', { expression: 'x^x^x^x^x * sin(x)^x', variable: 'x', order: 10 }),
    check: refusedWith(['time_limit', 'memory_limit', 'result_too_large'], /\((time|memory|result size) limit\)/),
  },
  {
    name: 'solve_linear: a 1000 × 1000 system',
    run: (context) =>
      context.call('math_solve_linear', {
        A: Array.from({ length: 1000 }, (_, i) =>
          Array.from({ length: 1000 }, (_, j) => (i === j ? 1000 : (i + j) % 7)),
        ),
        b: Array.from({ length: 1000 }, () => 1),
      }),
    check: (answer) =>
      answer.kind === 'result'
        ? undefined
        : refusedWith(['time_limit', 'result_too_large'], /\((time|result size) limit\)/)(answer),
  },
  {
    name: 'statistics: ten thousand quantiles of a million values (the schema caps quantiles)',
    run: (context) =>
      context.call('math_statistics', {
        values: Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1000),
        measures: ['count'],
        quantiles: Array.from({ length: 10_000 }, (_, i) => i / 10_000),
      }),
    check: refusedWith(['invalid_input'], /quantiles: Too big: expected array to have <=100 items/),
  },

  // Sandbox escapes: refused before anything runs.
  evaluateCase('import', 'import({x: 1}, {override: true})', forbidden),
  evaluateCase('createUnit', 'createUnit("lightyear2", "9.46e15 m")', forbidden),
  evaluateCase('evaluate inside an expression', 'evaluate("1 + 1")', forbidden),
  evaluateCase('parse and compile', 'compile("1").evaluate()', forbidden),
  evaluateCase('a reference to parse', 'p = parse; p("1")', forbidden),
  evaluateCase('constructor of a function', 'cos.constructor("return process")', forbidden),
  evaluateCase(
    'a call of a computed function',
    'cos.constructor("return process")()',
    expectAnswer.toolError('syntax_error', 'forbidden'),
  ),
  evaluateCase('__proto__ of an object', 'a = {}; a.__proto__', forbidden),
  evaluateCase('constructor by a computed string key', 'a = {}; a[concat("constr", "uctor")]', (answer) =>
    answer.kind === 'isError' ? undefined : `expected a refusal, got ${answer.kind}: ${answer.text.slice(0, 200)}`,
  ),
  evaluateCase('config', 'config({number: "BigNumber"})', forbidden),
  evaluateCase('a function printed as its source', 'string(sqrt)', forbidden),
  evaluateCase('a defined function returned', 'f(x) = x; f', refusedWith(['function_result'], /a function/)),
  evaluateCase(
    'a prototype key in scope',
    'x',
    (answer) => (answer.kind === 'isError' ? undefined : `expected a refusal, got ${answer.kind}`),
    { scope: { constructor: 1 } },
  ),
];

/** The suite: `pnpm bench hostile` and math.test.ts both run it. */
const suite: HostileSuite<MathContext> = { area: 'math', start, cases };
export default suite;
