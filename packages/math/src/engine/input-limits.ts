import { formatCount } from './limits.js';
import { MathError } from './math-error.js';

/** The limits checked in the server process, before a call takes a worker. */
export interface InputLimits {
  maxExpressionLength: number;
  maxBatchSize: number;
}

/**
 * Refuse a batch that is empty or too large, or an expression over the length limit, with the limit named and a
 * hint for changing the request. `what` names the expressions in messages (`rules` for simplify rules).
 */
export function checkExpressions(expressions: readonly string[], limits: InputLimits, what = 'expression'): void {
  if (expressions.length > limits.maxBatchSize) {
    throw new MathError(
      'batch_too_large',
      `The batch has ${formatCount(expressions.length)} expressions; the limit is ${formatCount(limits.maxBatchSize)} (batch size limit).`,
      {
        hint: 'Split it into several calls, or combine statements into one expression with ; between them.',
        details: { limit: 'maxBatchSize', count: expressions.length, max: limits.maxBatchSize },
      },
    );
  }
  expressions.forEach((expression, index) => {
    if (expression.length <= limits.maxExpressionLength) return;
    const which = expressions.length > 1 ? `${what} ${index + 1}` : `The ${what}`;
    throw new MathError(
      'expression_too_long',
      `${which.charAt(0).toUpperCase()}${which.slice(1)} is ${formatCount(expression.length)} characters long; the limit is ${formatCount(limits.maxExpressionLength)} (expression length limit).`,
      {
        hint: 'Shorten it: name parts in a batch (["a = ...", "b = ...", "a * b"]), pass data through scope instead of writing it inline, or use ranges (1:100) instead of long lists.',
        details: { limit: 'maxExpressionLength', length: expression.length, max: limits.maxExpressionLength, index },
      },
    );
  });
}
