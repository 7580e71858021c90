/**
 * The math engine: every operation the pack offers, as plain synchronous functions over sandboxed mathjs
 * instances. It runs inside a worker process (see `worker-main.ts`), where the pool enforces the time and memory
 * limits; it can also run in-process for tests and tools that need no isolation.
 */

import { derivative, simplify } from './algebra.js';
import { buildCatalog } from './catalog.js';
import { createEngineContext } from './context.js';
import { evaluate } from './evaluation.js';
import type { EngineLimits } from './limits.js';
import { solveLinear, statistics } from './numeric.js';
import type { MathEngine } from './operations.js';
import { samplePlot } from './plot.js';
import { convertUnits } from './units.js';

export type {
  ConvertUnitsInput,
  ConvertUnitsOutput,
  DerivativeInput,
  DerivativeOutput,
  EvaluateInput,
  EvaluateItem,
  EvaluateOutput,
  MathEngine,
  OperationName,
  Operations,
  ScopeInput,
  SimplifyInput,
  SimplifyOutput,
  SolveLinearInput,
  SolveLinearOutput,
  StatisticsInput,
  StatisticsOutput,
} from './operations.js';

/**
 * Create an engine: one function per operation, each in the file of its kind (evaluation.ts, algebra.ts, units.ts,
 * numeric.ts, plot.ts, catalog.ts), over one shared context. Sandboxes are created on first use of each number type.
 */
export function createEngine(limits: EngineLimits): MathEngine {
  const context = createEngineContext(limits);
  return {
    evaluate: (input) => evaluate(context, input),
    simplify: (input) => simplify(context, input),
    derivative: (input) => derivative(context, input),
    convertUnits: (input) => convertUnits(context, input),
    statistics: (input) => statistics(context, input),
    solveLinear: (input) => solveLinear(context, input),
    plot: (input) => samplePlot(context.sandbox('number'), input, limits),
    catalog: () => buildCatalog(context.sandbox('number').namespace),
  };
}
