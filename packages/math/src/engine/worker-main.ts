/**
 * The body of an evaluation worker process: one engine, one request at a time, each answered with a result or a
 * coded error over the IPC channel. The pool enforces the time and memory limits from outside (a worker past them
 * is killed); this side enforces everything else.
 */
import { createEngine, type EvaluateInput } from './engine.js';
import { MathError } from './math-error.js';
import { NUMBER_TYPES, type NumberType } from './options.js';
import type { WorkerMessage, WorkerRequest, WorkerSetup } from './protocol.js';

/** How long a new worker must have been idle before it warms the BigNumber and Fraction sandboxes. */
const WARM_AFTER_IDLE_MS = 200;

/** What warms each number type: its sandbox, the parser, and the functions most calls use. */
const WARM_UP: Readonly<Record<NumberType, EvaluateInput>> = {
  number: { expressions: ['sqrt(2) * 3 cm to inch', '[1, 2; 3, 4] * [5; 6]'], batch: true },
  BigNumber: { expressions: ['1/3'], batch: false, numberType: 'BigNumber' },
  Fraction: { expressions: ['1/3'], batch: false, numberType: 'Fraction' },
};

/** Start answering requests from the parent process. The setup arrives as JSON in the first argument. */
export function startWorker(): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('worker-main must run in a process forked with an IPC channel');
  const setup = JSON.parse(process.argv[2] ?? '{}') as WorkerSetup;
  const engine = createEngine(setup.limits);
  // Warm the parser and the number sandbox before saying ready. The BigNumber and Fraction sandboxes (0.1-0.2 s
  // each) are warmed once the worker has been idle for a moment, so that a worker replaced after a limit is ready for
  // the next call sooner; a call that needs one before that warms it first, and tells the pool, which does not count
  // that time against the call's limit.
  const warmed = new Set<NumberType>();
  const warm = (numberType: NumberType): void => {
    if (warmed.has(numberType)) return;
    engine.evaluate(WARM_UP[numberType]);
    warmed.add(numberType);
  };
  warm('number');
  const post = (message: WorkerMessage) => send(message);
  // Said to the pool before and after, so that it sends no call meanwhile and does not time one it already sent.
  const warmOthers = (): void => {
    post({ type: 'warming' });
    warm('BigNumber');
    warm('Fraction');
    post({ type: 'warmed' });
  };
  let warmTimer = setTimeout(warmOthers, WARM_AFTER_IDLE_MS);
  process.on('message', (request: WorkerRequest) => {
    if (warmed.size < NUMBER_TYPES.length) {
      clearTimeout(warmTimer);
      warmTimer = setTimeout(warmOthers, WARM_AFTER_IDLE_MS);
    }
    try {
      if (!Object.hasOwn(engine, request.op)) {
        throw new MathError('invalid_input', `Unknown operation ${String(request.op)}.`);
      }
      const run = engine[request.op] as (input: unknown) => unknown;
      const numberType = (request.input as { numberType?: NumberType } | undefined)?.numberType ?? 'number';
      if (!warmed.has(numberType) && (NUMBER_TYPES as readonly string[]).includes(numberType)) {
        post({ type: 'warming' });
        warm(numberType);
        post({ type: 'warmed' });
      }
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
