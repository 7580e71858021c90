/**
 * The evaluate operation: expressions (one, or a batch sharing a scope) in a sandbox, each value described.
 */
import type { MathNode } from 'mathjs';
import { checkLength, type EngineContext, runStatements } from './context.js';
import { type MathValue, resultTooLarge } from './describe.js';
import { explainError } from './explain.js';
import { MathError } from './math-error.js';
import type { EvaluateInput, EvaluateItem, EvaluateOutput } from './operations.js';
import { readScope } from './scope.js';

/** A function definition evaluates to a function: describe it by its signature, never by the function itself. */
function definedFunction(node: MathNode): MathValue | undefined {
  if (node.type !== 'FunctionAssignmentNode') return undefined;
  const { name, params } = node as unknown as { name: string; params: string[] };
  return { value: `${name}(${params.join(', ')})`, type: 'function' };
}

/** Evaluate expressions in order with one scope; in a batch an evaluation error fails only its own item. */
export function evaluate(context: EngineContext, input: EvaluateInput): EvaluateOutput {
  const { sandbox, describe, limits } = context;
  const box = sandbox(input.numberType);
  const scope = readScope(box, input.scope, limits.maxMatrixElements);
  // Parse and check every expression before evaluating any: a forbidden one fails the whole call.
  const parsed = input.expressions.map((expression, index) => {
    try {
      checkLength(expression, input.batch ? `Expression ${index + 1}` : 'The expression');
      return box.parseChecked(expression);
    } catch (error) {
      const explained = explainError(error, box, expression);
      if (!input.batch || explained.code === 'forbidden') {
        throw input.batch ? withItem(explained, index, input.expressions.length) : explained;
      }
      return explained;
    }
  });
  const results: EvaluateItem[] = [];
  let length = 0;
  parsed.forEach((node, index) => {
    const expression = input.expressions[index] as string;
    let item: EvaluateItem;
    if (node instanceof MathError) {
      item = { expression, error: node.message, code: node.code, ...(node.hint ? { hint: node.hint } : {}) };
    } else {
      try {
        const { value, node: last } = runStatements(node, scope);
        item = { expression, ...(definedFunction(last) ?? describe(box, value, input.precision)) };
      } catch (error) {
        const explained = explainError(error, box, expression);
        if (!input.batch || explained.code !== 'evaluation_error') {
          throw input.batch ? withItem(explained, index, input.expressions.length) : explained;
        }
        item = {
          expression,
          error: explained.message,
          code: explained.code,
          ...(explained.hint ? { hint: explained.hint } : {}),
        };
      }
    }
    length += JSON.stringify(item).length;
    if (length > limits.maxResultLength) throw resultTooLarge(length, limits.maxResultLength, false);
    results.push(item);
  });
  return { results };
}

function withItem(error: MathError, index: number, total: number): MathError {
  return new MathError(error.code, `Expression ${index + 1} of ${total}: ${error.message}`, {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.retryable ? { retryable: true } : {}),
    details: { ...error.details, index },
  });
}
