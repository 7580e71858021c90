/**
 * The body of an evaluation worker: one engine, one request at a time, each answered with a result or a coded
 * error. The pool enforces the time and memory limits from outside; this side enforces everything else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from './engine.js';
import { MathError } from './math-error.js';
import type { WorkerMessage, WorkerRequest, WorkerSetup } from './protocol.js';

/** Start answering requests on `parentPort`. */
export function startWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('worker-main must run in a worker thread');
  const setup = workerData as WorkerSetup;
  const engine = createEngine(setup.limits);
  // Create a sandbox for every number type and warm the parser before saying ready, so that no call pays for
  // loading inside its time limit.
  engine.evaluate({ expressions: ['sqrt(2) * 3 cm to inch', '[1, 2; 3, 4] * [5; 6]'], batch: true });
  engine.evaluate({ expressions: ['1/3'], batch: false, numberType: 'BigNumber' });
  engine.evaluate({ expressions: ['1/3'], batch: false, numberType: 'Fraction' });
  const post = (message: WorkerMessage) => port.postMessage(message);
  port.on('message', (request: WorkerRequest) => {
    try {
      const run = engine[request.op] as (input: unknown) => unknown;
      if (typeof run !== 'function') throw new MathError('invalid_input', `Unknown operation ${String(request.op)}.`);
      post({ type: 'result', id: request.id, output: run(request.input) });
    } catch (error) {
      const failure =
        error instanceof MathError
          ? error
          : new MathError('evaluation_error', error instanceof Error ? error.message : String(error));
      post({ type: 'error', id: request.id, error: failure.toData(), recycle: failure.code === 'recursion_limit' });
    }
  });
  post({ type: 'ready' });
}
