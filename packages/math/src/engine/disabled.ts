/**
 * The mathjs functions the sandbox disables, in a module of their own: the server process reads them (for the
 * functions resource) without loading the expression guard or mathjs, which only the evaluation workers need.
 */

/**
 * Functions that exist in mathjs but are unreachable from expressions, with the reason given to the model. Each is
 * also replaced by a stub in the expression namespace (see `sandbox.ts`).
 */
export const DISABLED_FUNCTIONS: Readonly<Record<string, string>> = {
  import: 'it changes the function namespace',
  createUnit: 'it changes the unit namespace',
  evaluate: 'expressions cannot evaluate other expressions',
  parse: 'expressions cannot parse other expressions',
  compile: 'expressions cannot compile other expressions',
  parser: 'expressions cannot create parsers',
  simplify: 'use the simplify tool',
  simplifyConstant: 'use the simplify tool',
  simplifyCore: 'use the simplify tool',
  rationalize: 'use the simplify tool with rationalize: true',
  derivative: 'use the derivative tool',
  resolve: 'use the simplify tool with a scope',
  symbolicEqual: 'use the simplify tool on the difference of the two expressions',
  leafCount: 'it works on expression trees, which expressions cannot build',
  chain: 'method chains are not supported',
  config: 'the configuration is fixed by the server',
  reviver: 'it revives serialized objects',
  replacer: 'it serializes objects',
  typed: 'expressions cannot create typed functions',
  help: 'read the math://…/functions resource instead',
};
