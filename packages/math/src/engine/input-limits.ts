import { expressionTooDeep, formatCount, MAX_NESTING_DEPTH } from './limits.js';
import { MathError } from './math-error.js';

/** The limits checked in the server process, before a call takes a worker. */
export interface InputLimits {
  maxExpressionLength: number;
  maxBatchSize: number;
}

/**
 * How deep `(`, `[` and `{` nest in `expression`, outside string literals. Unbalanced closers count as nothing:
 * the parser reports those.
 */
export function nestingDepth(expression: string): number {
  let depth = 0;
  let deepest = 0;
  let quote: string | undefined;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '(' || char === '[' || char === '{') {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((char === ')' || char === ']' || char === '}') && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Refuse a batch that is empty or too large, an expression over the length limit or one that nests brackets past
 * {@link MAX_NESTING_DEPTH}, with the limit named and a hint for changing the request. `what` names the expressions
 * in messages (`rules` for simplify rules).
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
    const which = expressions.length > 1 ? `${what} ${index + 1}` : `The ${what}`;
    if (expression.length <= limits.maxExpressionLength) {
      const depth = nestingDepth(expression);
      if (depth <= MAX_NESTING_DEPTH) return;
      const error = expressionTooDeep(depth);
      throw expressions.length > 1
        ? new MathError(error.code, `${capitalize(which)}: ${error.message}`, {
            ...(error.hint === undefined ? {} : { hint: error.hint }),
            details: { ...error.details, index },
          })
        : error;
    }
    throw new MathError(
      'expression_too_long',
      `${capitalize(which)} is ${formatCount(expression.length)} characters long; the limit is ${formatCount(limits.maxExpressionLength)} (expression length limit).`,
      {
        hint: 'Shorten it: name parts in a batch (["a = ...", "b = ...", "a * b"]), pass data through scope instead of writing it inline, or use ranges (1:100) instead of long lists.',
        details: { limit: 'maxExpressionLength', length: expression.length, max: limits.maxExpressionLength, index },
      },
    );
  });
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
