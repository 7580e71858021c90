/**
 * @mcp-packs/math: a sandboxed mathjs pack. Mount the whole pack (`mathPack`, also the default export), or build
 * your own from single tools and resources with the services from `createMathServices`. Every export here is public
 * API.
 */
import { mathPack } from './pack.js';

export { type MathConfig, type MathConfigInput, mathConfigSchema } from './config.js';
export { mathPack } from './pack.js';
export { functionResource, functionsResource } from './resources/functions.js';
export { createMathServices, type MathServices } from './services.js';
export { convertUnits } from './tools/convert-units.js';
export { derivative } from './tools/derivative.js';
export { evaluate } from './tools/evaluate.js';
export { plot } from './tools/plot.js';
export { simplify } from './tools/simplify.js';
export { solveLinear } from './tools/solve-linear.js';
export { statistics } from './tools/statistics.js';
export { plotView } from './views/plot-view.js';

export default mathPack;
