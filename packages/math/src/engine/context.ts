/**
 * What every engine operation works with: a sandbox per number type (created on first use), value description
 * within the limits, and the helpers the operations share.
 */
import type { MathNode } from 'mathjs';
import { type DescribeOptions, describeValue, type MathValue } from './describe.js';
import type { EngineLimits } from './limits.js';
import { MathError } from './math-error.js';
import type { NumberType } from './options.js';
import { createSandbox, type Sandbox } from './sandbox.js';

/** Evaluate one parsed statement list, returning the value of the last statement. */
export function runStatements(node: MathNode, scope: Map<string, unknown>): { value: unknown; node: MathNode } {
  const blocks = node.type === 'BlockNode' ? (node as unknown as { blocks: { node: MathNode }[] }).blocks : [{ node }];
  let last: { value: unknown; node: MathNode } = { value: undefined, node };
  for (const block of blocks) last = { value: block.node.compile().evaluate(scope), node: block.node };
  return last;
}

export function checkLength(expression: string, what: string): void {
  if (expression.trim().length === 0)
    throw new MathError('invalid_input', `${what} is empty.`, { hint: 'Write an expression, e.g. 2 + 2.' });
}

/** The state and helpers the operations of one engine share. */
export interface EngineContext {
  readonly limits: EngineLimits;
  /** The sandbox of a number type, created on first use. */
  sandbox(numberType?: NumberType): Sandbox;
  /** A value as the tools return it, within the limits. */
  describe(box: Sandbox, value: unknown, precision: number | undefined): MathValue;
  /** An expression tree as text, the way results show it. */
  expressionString(node: MathNode): string;
}

/** The context of a new engine. */
export function createEngineContext(limits: EngineLimits): EngineContext {
  const sandboxes = new Map<NumberType, Sandbox>();
  return {
    limits,
    sandbox(numberType = 'number') {
      let existing = sandboxes.get(numberType);
      if (!existing) {
        existing = createSandbox(numberType, limits);
        sandboxes.set(numberType, existing);
      }
      return existing;
    },
    describe: (box, value, precision) => describeValue(box, value, { precision, limits } satisfies DescribeOptions),
    expressionString: (node) => node.toString({ parenthesis: 'keep', implicit: 'hide' }),
  };
}
