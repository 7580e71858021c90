/**
 * The body of an evaluation worker process: one engine, one request at a time, each answered with a result or a
 * coded error over the IPC channel. The pool enforces the time and memory limits from outside (a worker past them
 * is killed); this side enforces everything else.
 */
import { createEngine } from './engine.js';
import { MathError } from './math-error.js';
import type { WorkerMessage, WorkerRequest, WorkerSetup } from './protocol.js';

/** Start answering requests from the parent process. The setup arrives as JSON in the first argument. */
export function startWorker(): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('worker-main must run in a process forked with an IPC channel');
  const setup = JSON.parse(process.argv[2] ?? '{}') as WorkerSetup;
  const engine = createEngine(setup.limits);
  // Create a sandbox for every number type and warm the parser before saying ready, so that no call pays for
  // loading inside its time limit.
  engine.evaluate({ expressions: ['sqrt(2) * 3 cm to inch', '[1, 2; 3, 4] * [5; 6]'], batch: true });
  engine.evaluate({ expressions: ['1/3'], batch: false, numberType: 'BigNumber' });
  engine.evaluate({ expressions: ['1/3'], batch: false, numberType: 'Fraction' });
  const post = (message: WorkerMessage) => send(message);
  process.on('message', (request: WorkerRequest) => {
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
  // The parent went away (closed, crashed or killed): nothing left to answer.
  process.on('disconnect', () => process.exit(0));
  post({ type: 'ready' });
}
