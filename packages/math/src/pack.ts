import { definePack } from '@mcp-packs/core';
import { mathConfigSchema } from './config.js';
import { mathErrors } from './error-map.js';
import { functionResource, functionsResource } from './resources/functions.js';
import { createMathServices } from './services.js';
import { convertUnits } from './tools/convert-units.js';
import { derivative } from './tools/derivative.js';
import { evaluate } from './tools/evaluate.js';
import { plot } from './tools/plot.js';
import { simplify } from './tools/simplify.js';
import { solveLinear } from './tools/solve-linear.js';
import { statistics } from './tools/statistics.js';
import { plotView } from './views/plot-view.js';

/**
 * `@mcp-packs/math`: exact math for an assistant, with mathjs in a sandbox. Tools `evaluate`, `simplify`,
 * `derivative`, `convert_units`, `statistics`, `solve_linear`, `plot`; resources `math://<prefix>/functions`,
 * `math://<prefix>/functions/{name}` and the plot's MCP Apps view `ui://<prefix>/plot`. Every evaluation runs in a worker process with time and memory limits.
 *
 * @example
 * const server = new McpServer({ name: 'my-server', version: '1.0.0' }, { capabilities: { logging: {} } });
 * await mountPack(server, mathPack, { config: { timeoutMs: 1000 } });
 */
export const mathPack = definePack({
  name: 'math',
  version: '0.1.0',
  description:
    'Exact math with mathjs: evaluate expressions (units, matrices, complex numbers, BigNumber, fractions), simplify, differentiate, convert units, summary statistics and linear systems, sandboxed in time- and memory-limited worker processes.',
  instructions: (tools) =>
    'Use the math tools for any calculation instead of computing in your head. Expressions use mathjs syntax: ^ for powers, log(x) natural log, units after numbers (5 cm), matrices [1, 2; 3, 4].' +
    (tools.has('evaluate') ? ` Send several dependent steps as one ${tools.name('evaluate')} batch.` : '') +
    ' The functions resource lists what expressions may call.',
  configSchema: mathConfigSchema,
  errors: mathErrors,
  setup: ({ config, log, onClose }) => {
    const services = createMathServices(config, log);
    onClose(() => services.pool.close());
    return services;
  },
  tools: {
    evaluate,
    simplify,
    derivative,
    convert_units: convertUnits,
    statistics,
    solve_linear: solveLinear,
    plot,
  },
  resources: { functions: functionsResource, plot: plotView },
  resourceTemplates: { function: functionResource },
});
