/**
 * The symbolic operations: simplify (with custom rules) and derivative.
 */
import type { MathJsInstance, MathNode } from 'mathjs';
import { checkLength, type EngineContext } from './context.js';
import { explainError } from './explain.js';
import { checkExpression } from './guard.js';
import { MathError } from './math-error.js';
import type { DerivativeInput, DerivativeOutput, ScopeInput, SimplifyInput, SimplifyOutput } from './operations.js';
import { expressionNamespace, type Sandbox } from './sandbox.js';
import { readScope, variableNameProblem } from './scope.js';

function freeVariables(node: MathNode, math: MathJsInstance): string[] {
  const names = new Set<string>();
  const namespace = expressionNamespace(math);
  node.traverse((child: MathNode, _path: string, parent: MathNode | null) => {
    if (child.type !== 'SymbolNode') return;
    const name = (child as unknown as { name: string }).name;
    const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === child;
    if (!isCallee && !Object.hasOwn(namespace, name)) names.add(name);
  });
  return [...names].sort();
}

function checkRule(box: Sandbox, rule: string, index: number): { l: string; r: string } {
  const parts = rule.split('->');
  if (parts.length !== 2) {
    throw new MathError(
      'invalid_input',
      `rules[${index}] must look like "left -> right", got ${JSON.stringify(rule)}.`,
      {
        hint: 'Write a rule as a pattern and its replacement: "n1 * n2 + n1 * n3 -> n1 * (n2 + n3)" (n, n1, ... match any node; c matches constants, v variables).',
      },
    );
  }
  const [l, r] = parts.map((part) => part.trim()) as [string, string];
  checkExpression(box.parseChecked(l));
  checkExpression(box.parseChecked(r));
  return { l, r };
}

/** Simplify an expression symbolically, or rationalize it to a polynomial fraction. */
export function simplify(context: EngineContext, input: SimplifyInput): SimplifyOutput {
  const { sandbox, expressionString, limits } = context;
  const box = sandbox('number');
  checkLength(input.expression, 'The expression');
  try {
    const node = box.parseChecked(input.expression);
    const custom = (input.rules ?? []).map((rule, index) => checkRule(box, rule, index));
    const defaults = (box.simplify as unknown as { rules: unknown[] }).rules;
    const rules = input.useDefaultRules === false ? custom : [...custom, ...defaults];
    const scope = readScope(box, input.scope, limits.maxMatrixElements);
    let result: MathNode;
    if (input.rationalize) {
      const substituted = scope.size > 0 ? box.simplify(node, [], scope as never) : node;
      result = box.rationalize(substituted) as MathNode;
    } else {
      result = box.simplify(node, rules as never, scope as never, { exactFractions: input.exactFractions ?? true });
    }
    return {
      expression: expressionString(result),
      latex: result.toTex(),
      variables: freeVariables(result, box.math),
    };
  } catch (error) {
    throw explainError(error, box, input.expression);
  }
}

/** Differentiate an expression, optionally evaluating the result at a point. */
export function derivative(context: EngineContext, input: DerivativeInput): DerivativeOutput {
  const { sandbox, describe, expressionString, limits } = context;
  const box = sandbox('number');
  checkLength(input.expression, 'The expression');
  const problem = variableNameProblem(input.variable, {});
  if (problem) {
    throw new MathError('invalid_input', `The variable ${JSON.stringify(input.variable)} is not valid: ${problem}.`, {
      hint: 'Name the variable to differentiate by, e.g. x.',
    });
  }
  try {
    const node = box.parseChecked(input.expression);
    let result = node;
    const order = input.order ?? 1;
    for (let i = 0; i < order; i++) {
      result = box.derivative(result, input.variable, { simplify: input.simplify ?? true });
    }
    const output: DerivativeOutput = { derivative: expressionString(result), latex: result.toTex() };
    if (input.at !== undefined) {
      const at = input.at;
      const values: ScopeInput =
        typeof at === 'object' && at !== null && !Array.isArray(at) ? at : { [input.variable]: at };
      const scope = readScope(box, values, limits.maxMatrixElements);
      output.value = describe(box, result.compile().evaluate(scope), input.precision);
    }
    return output;
  } catch (error) {
    throw explainError(error, box, input.expression);
  }
}
