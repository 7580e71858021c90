/**
 * The static half of the sandbox: every parsed expression is walked before it is compiled, and anything that could
 * reach past mathematics is refused with a `forbidden` error naming what and why. The dynamic half (disabled
 * functions in the expression namespace, mathjs's own property checks, the result filter, the worker's limits)
 * backs this up in case a path is missed here.
 */
import type { MathNode } from 'mathjs';
import { DISABLED_FUNCTIONS } from './disabled.js';
import { MathError } from './math-error.js';

/**
 * Names that are never valid as a symbol, function, parameter, property or object key: the ways into JavaScript's
 * object model and the host.
 */
const UNSAFE_NAMES = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toString',
  'toLocaleString',
  'valueOf',
  'toJSON',
  'bind',
  'call',
  'apply',
  'arguments',
  'caller',
  'callee',
  'Function',
  'AsyncFunction',
  'GeneratorFunction',
  'eval',
  'globalThis',
  'global',
  'self',
  'window',
  'this',
  'process',
  'require',
  'module',
  'exports',
  'Object',
  'Reflect',
  'Proxy',
  'Symbol',
  'WebAssembly',
]);

/** A name may be a symbol, parameter, property or key: an identifier, not unsafe, not mathjs-internal. */
export function unsafeNameReason(name: string): string | undefined {
  if (UNSAFE_NAMES.has(name)) return `"${name}" gives access to the JavaScript object model`;
  if (name.startsWith('_')) return `names starting with "_" are reserved for mathjs internals ("${name}")`;
  return undefined;
}

function forbidden(message: string, hint: string): MathError {
  return new MathError('forbidden', message, { hint });
}

function checkName(name: string, role: string): void {
  const reason = unsafeNameReason(name);
  if (reason) {
    throw forbidden(`The ${role} ${JSON.stringify(name)} is not allowed: ${reason}.`, 'Use another name.');
  }
}

function checkDisabled(name: string, called: boolean): void {
  const reason = DISABLED_FUNCTIONS[name];
  // `chain` is also a unit of length; only calling it is refused.
  if (reason === undefined || (name === 'chain' && !called)) return;
  throw forbidden(
    `The function ${name} is disabled in this sandbox: ${reason}.`,
    name === 'help' ? 'Read the functions resource for the list of functions.' : `Do not use ${name} in expressions.`,
  );
}

interface IndexLike {
  dimensions: MathNode[];
  dotNotation?: boolean;
  isObjectProperty(): boolean;
  getObjectProperty(): string | null;
}

function checkIndex(index: IndexLike, assigning: boolean): void {
  const property = index.getObjectProperty();
  if (property === null) return;
  if (assigning) {
    throw forbidden(
      `Assigning to a property (${JSON.stringify(property)}) is not allowed.`,
      'Assign to a variable instead (x = ...), or to matrix elements by number (A[1, 2] = 5).',
    );
  }
  checkName(property, 'property');
}

const ALLOWED_NODE_TYPES = new Set([
  'AccessorNode',
  'ArrayNode',
  'AssignmentNode',
  'BlockNode',
  'ConditionalNode',
  'ConstantNode',
  'FunctionAssignmentNode',
  'FunctionNode',
  'IndexNode',
  'ObjectNode',
  'OperatorNode',
  'ParenthesisNode',
  'RangeNode',
  'RelationalNode',
  'SymbolNode',
]);

// The node types carry fields the shared `MathNode` type does not declare; these views name the ones we read.
interface Fields {
  name?: string;
  fn?: MathNode | string;
  object?: MathNode;
  index?: IndexLike | null;
  params?: string[];
  properties?: Record<string, MathNode>;
}

/**
 * Refuse an expression tree that reaches past mathematics. Throws a `forbidden` {@link MathError} naming the
 * construct and what to write instead; returns normally for a safe tree.
 *
 * Refused: the functions in {@link DISABLED_FUNCTIONS} (called or referenced); method calls (`x.f()`) and calls of
 * computed values (`f()()`, `A[1](2)`); properties, symbols, parameters and keys from the JavaScript object model
 * (`constructor`, `__proto__`, `prototype`, `Function`, ...) or starting with `_`; assignment to properties.
 */
export function checkExpression(root: MathNode): void {
  root.traverse((node: MathNode, _path: string, parent: MathNode | null) => {
    if (!ALLOWED_NODE_TYPES.has(node.type)) {
      throw forbidden(`Expressions of kind ${node.type} are not allowed.`, 'Write a plain mathematical expression.');
    }
    const fields = node as unknown as Fields;
    switch (node.type) {
      case 'SymbolNode': {
        const name = fields.name as string;
        checkName(name, 'symbol');
        const calledHere =
          parent?.type === 'FunctionNode' && (parent as unknown as Fields).fn === (node as unknown as MathNode);
        checkDisabled(name, calledHere);
        break;
      }
      case 'FunctionNode': {
        const fn = fields.fn as MathNode;
        if (fn.type !== 'SymbolNode') {
          throw forbidden(
            `Only named functions can be called; "${node.toString()}" calls a method or a computed value.`,
            'Call functions by name with the value as an argument: sqrt(x), not x.sqrt(); to(x, unit) or "x to unit" for units.',
          );
        }
        break;
      }
      case 'AccessorNode':
        if (fields.index) checkIndex(fields.index, false);
        break;
      case 'AssignmentNode': {
        const target = fields.object as MathNode;
        if (target.type === 'SymbolNode') {
          const name = (target as unknown as Fields).name as string;
          checkName(name, 'variable');
          checkDisabled(name, false);
        }
        if (fields.index) checkIndex(fields.index, true);
        break;
      }
      case 'FunctionAssignmentNode': {
        const name = fields.name as string;
        checkName(name, 'function name');
        if (DISABLED_FUNCTIONS[name] !== undefined) {
          throw forbidden(`The name ${name} cannot be redefined.`, 'Choose another function name.');
        }
        for (const param of fields.params ?? []) checkName(param, 'parameter');
        break;
      }
      case 'ObjectNode': {
        const properties = fields.properties ?? {};
        // A "__proto__" key in an object literal is stored by the parser as the prototype, not as a key.
        if (Object.getPrototypeOf(properties) !== Object.prototype) checkName('__proto__', 'object key');
        for (const key of Object.keys(properties)) checkName(key, 'object key');
        break;
      }
      default:
        break;
    }
  });
}
