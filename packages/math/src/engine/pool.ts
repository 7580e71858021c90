/**
 * A small pool of evaluation workers. Each worker is a child process with a V8 heap limit
 * (`--max-old-space-size`) running one operation at a time; the pool adds the time limit, cancellation, a bounded
 * queue, and replacement: a worker that runs out of time or memory, or whose call is cancelled, is killed and a
 * fresh one takes its place, so the next call succeeds.
 *
 * Why processes and not worker threads with `resourceLimits`: a thread that outgrows its heap is usually stopped
 * cleanly, but not always; when V8 cannot finish a collection within the limit it aborts the whole process
 * (nodejs/node#47224), and a `ones(1000, 1000)` loop reproduces that within a few dozen calls. A process that
 * aborts takes only itself down.
 */

import type { OperationName, Operations } from './engine.js';
import { type EngineLimits, memoryLimitExceeded, timeLimitExceeded } from './limits.js';
import { MathError } from './math-error.js';
import type { WorkerMessage, WorkerRequest, WorkerSetup } from './protocol.js';
import {
  busyError,
  cancelled,
  closedError,
  crashed,
  defaultWorkerUrl,
  exitReason,
  forkWorker,
  HEAP_EXHAUSTED,
  keepStderrTail,
  type Slot,
  stopWorker,
  type Task,
  WARM_UP_LIMIT_MS,
} from './worker-process.js';

/** Where the pool forks its workers from unless `workerUrl` says otherwise. */
export { defaultWorkerUrl };

/** How to run the pool. */
export interface PoolOptions {
  /** The limits each worker's engine enforces. */
  limits: EngineLimits;
  /** Longest time one operation may run before its worker is killed. */
  timeoutMs: number;
  /** V8 old-generation heap limit of each worker, in MB. */
  memoryLimitMb: number;
  /** Most workers running at once (default 2). */
  maxWorkers?: number;
  /** Most operations waiting for a worker; past that, calls fail with `busy` (default 32). */
  maxQueue?: number;
  /** Workers beyond the first retire after this long without work (default 30 s). */
  idleTimeoutMs?: number;
  /**
   * A call running this long starts a spare worker (below `maxWorkers`), so that if the call is killed the next one
   * does not wait for a worker to start (default 100 ms, or a quarter of `timeoutMs` if that is less).
   */
  spareAfterMs?: number;
  /** The worker entry file; default the `worker.js` (or, from sources, `worker.ts`) beside this module. */
  workerUrl?: URL;
  /** Told when a worker is started or replaced, for logs. */
  onEvent?: (event: PoolEvent) => void;
}

/** Something the pool did that is worth a log line. */
export interface PoolEvent {
  type: 'worker_started' | 'worker_replaced' | 'worker_failed';
  reason?: string;
  workers: number;
}

/** Counters for monitoring and tests. */
export interface PoolStats {
  /** Workers alive (starting, idle or busy). */
  workers: number;
  busy: number;
  queued: number;
  /** Workers started since the pool was created. */
  started: number;
  /** Workers killed because of a limit, a cancellation or a crash. */
  replaced: number;
  /** The process ids of the workers alive. */
  pids: number[];
}

/** A pool of evaluation workers. */
export interface EvaluatorPool {
  /** Run one operation on a worker. Rejects with a {@link MathError} (limits, cancellation, busy, closed, input). */
  run<K extends OperationName>(op: K, input: Operations[K][0], signal?: AbortSignal): Promise<Operations[K][1]>;
  stats(): PoolStats;
  /** Fail everything pending with `closed` and kill every worker. */
  close(): Promise<void>;
}

/**
 * Create a pool. The first worker starts with the first call. A spare is kept warm (up to `maxWorkers`) when calls
 * overlap, when a call runs longer than `spareAfterMs` (it may be about to hit a limit), and for `idleTimeoutMs`
 * after a worker was replaced; workers beyond the first retire after `idleTimeoutMs` without work.
 */
export function createEvaluatorPool(options: PoolOptions): EvaluatorPool {
  const maxWorkers = Math.max(1, options.maxWorkers ?? 2);
  const maxQueue = Math.max(0, options.maxQueue ?? 32);
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const spareAfterMs = options.spareAfterMs ?? Math.min(100, options.timeoutMs / 4);
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const setup: WorkerSetup = { limits: options.limits };
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;
  let started = 0;
  let replaced = 0;

  const emit = (type: PoolEvent['type'], reason?: string) =>
    options.onEvent?.({ type, ...(reason === undefined ? {} : { reason }), workers: slots.length });

  // Workers are unref'd so an idle pool never keeps the process alive; while a call is pending, this timer does.
  let pending = 0;
  let keepAlive: NodeJS.Timeout | undefined;
  const hold = (): void => {
    pending++;
    keepAlive ??= setInterval(() => {}, 2 ** 30);
  };

  const settle = (task: Task): void => {
    if (task.settled) return;
    task.settled = true;
    if (--pending === 0) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
    if (task.timer) clearTimeout(task.timer);
    if (task.spareTimer) clearTimeout(task.spareTimer);
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    if (task.slot) task.slot.task = undefined;
  };

  const fail = (task: Task, error: MathError): void => {
    settle(task);
    task.reject(error);
  };

  const remove = (slot: Slot): void => {
    slot.dead = true;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    clearTimeout(slot.warmTimer);
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
  };

  /** True when a worker could start and none is free (idle or starting): a spare would help. */
  const wantsSpare = (): boolean =>
    !closed && slots.length < maxWorkers && !slots.some((other) => !other.dead && other.task === undefined);

  /** When a worker was last replaced (killed for a limit, recycled, crashed, cancelled). */
  let lastReplacedAt: number | undefined;
  const troubled = (): boolean => lastReplacedAt !== undefined && performance.now() - lastReplacedAt < idleTimeoutMs;

  /** Terminate a worker (its call failing with `error`) and start a fresh one in its place. */
  const replace = (slot: Slot, error: MathError | undefined, reason: string): void => {
    if (slot.dead) return;
    const task = slot.task;
    remove(slot);
    replaced++;
    lastReplacedAt = performance.now();
    if (task) fail(task, error ?? cancelled());
    slot.child.kill('SIGKILL');
    emit('worker_replaced', reason);
    if (!closed && slots.length === 0) spawn();
    pump();
  };

  const dispatch = (slot: Slot, task: Task): void => {
    if (slot.idleTimer) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
    }
    slot.task = task;
    task.slot = slot;
    task.startedAt = performance.now();
    startClock(slot, task, options.timeoutMs);
    // A call still running after a moment may be one that ends in a kill: warm a spare now, so that the call after
    // the kill finds a worker ready instead of waiting the worker's start (mathjs takes 0.3-1 s to load and warm).
    task.spareTimer = setTimeout(() => {
      if (wantsSpare()) spawn();
    }, spareAfterMs);
    task.spareTimer.unref();
    const request: WorkerRequest = { id: task.id, op: task.op, input: task.input as never };
    slot.child.send(request);
    // Once calls overlap, keep a spare warming (below maxWorkers), so the next overlapping call does not wait for a
    // worker to load. Strictly sequential use never starts one.
    // So does a pool that replaced a worker lately: hostile calls come in runs, and each kill would otherwise leave
    // the next call waiting for a worker to start.
    const overlapping = slots.some((other) => other !== slot && other.task !== undefined);
    if ((overlapping || troubled()) && wantsSpare()) spawn();
  };

  /**
   * Kill the call's worker for time `ms` from now. When the timer fires the kill waits one turn of the event loop:
   * if this process was busy past the deadline (a long synchronous task of another pack, a major GC), the worker's
   * answer may already sit in the channel, and it is read first.
   */
  const startClock = (slot: Slot, task: Task, ms: number): void => {
    task.timer = setTimeout(() => {
      setImmediate(() => {
        if (slot.task === task && !task.settled) replace(slot, timeLimitExceeded(options.timeoutMs), 'time_limit');
      });
    }, ms);
  };

  /**
   * A worker making a sandbox (our code, not the caller's) stops the clock of its call, if it has one: that time
   * does not count against the call's time limit. It is bounded too: a warm-up that stalls replaces the worker.
   */
  const warming = (slot: Slot, event: 'warming' | 'warmed'): void => {
    const task = slot.task;
    const now = performance.now();
    slot.warming = event === 'warming';
    clearTimeout(slot.warmTimer);
    slot.warmTimer = undefined;
    if (event === 'warming') {
      slot.warmTimer = setTimeout(() => {
        const stalled = crashed('The evaluation worker did not finish loading.');
        replace(slot, stalled, 'warm-up stalled');
      }, WARM_UP_LIMIT_MS);
      slot.warmTimer.unref();
      if (task) {
        clearTimeout(task.timer);
        task.warmingSince = now;
      }
      return;
    }
    if (task && task.warmingSince !== undefined) {
      const used = task.warmingSince - (task.startedAt ?? task.warmingSince);
      task.warmingSince = undefined;
      startClock(slot, task, Math.max(0, options.timeoutMs - used));
    }
    if (!task) pump();
  };

  const pump = (): void => {
    while (queue.length > 0) {
      const idle = slots.find((slot) => slot.ready && !slot.warming && !slot.dead && slot.task === undefined);
      if (!idle) {
        const starting = slots.filter((slot) => !slot.ready).length;
        if (queue.length > starting && slots.length < maxWorkers && !closed) spawn();
        return;
      }
      dispatch(idle, queue.shift() as Task);
    }
  };

  const retireWhenIdle = (slot: Slot): void => {
    if (slots.length <= 1 || idleTimeoutMs <= 0) return;
    slot.idleTimer = setTimeout(() => {
      if (slot.task || slot.dead || slots.length <= 1) return;
      remove(slot);
      slot.child.kill('SIGKILL');
    }, idleTimeoutMs);
    slot.idleTimer.unref();
  };

  function spawn(): void {
    const child = forkWorker(workerUrl, setup, options.memoryLimitMb);
    const slot: Slot = {
      child,
      stderr: '',
      ready: false,
      warming: false,
      dead: false,
      task: undefined,
      idleTimer: undefined,
    };
    keepStderrTail(slot);
    slots.push(slot);
    started++;
    emit('worker_started');

    child.on('message', (message: WorkerMessage) => {
      if (slot.dead) return;
      if (message.type === 'ready') {
        slot.ready = true;
        pump();
        if (!slot.task) retireWhenIdle(slot);
        return;
      }
      if (message.type === 'warming' || message.type === 'warmed') {
        warming(slot, message.type);
        return;
      }
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      settle(task);
      if (message.type === 'result') task.resolve(message.output);
      else task.reject(MathError.fromData(message.error));
      if (message.type === 'error' && message.recycle) {
        replace(slot, undefined, 'recycled after a stack overflow');
        return;
      }
      pump();
      if (!slot.task) retireWhenIdle(slot);
    });

    const failedToStart = (reason: string): void => {
      // It never started: fail what waits instead of starting workers that fail the same way, forever.
      remove(slot);
      emit('worker_failed', reason);
      const failure = crashed(`The evaluation worker failed to start: ${reason}`);
      for (const task of queue.splice(0)) fail(task, failure);
    };

    child.on('error', (error: Error) => {
      if (slot.dead) return;
      if (!slot.ready) failedToStart(error.message);
      else replace(slot, crashed(`The evaluation worker failed: ${error.message}`), `crashed: ${error.message}`);
    });

    // 'close' rather than 'exit': it comes once stderr is drained, so V8's out-of-memory report has arrived.
    child.on('close', (code, signal) => {
      if (slot.dead) return;
      if (HEAP_EXHAUSTED.test(slot.stderr)) {
        replace(slot, memoryLimitExceeded(options.memoryLimitMb), 'memory_limit');
        return;
      }
      const reason = exitReason(slot, code, signal);
      if (!slot.ready) {
        failedToStart(reason);
        return;
      }
      replace(slot, crashed('The evaluation worker stopped unexpectedly.'), reason);
    });
  }

  // No worker until the first call: mathjs costs ~100 MB and a moment to load, which a server that never calls math
  // should not pay at startup.

  return {
    run(op, input, signal) {
      return new Promise((resolve, reject) => {
        if (closed) return reject(closedError());
        if (signal?.aborted) return reject(cancelled());
        // Calls beyond what free or yet-to-start workers will take at once wait in the queue, up to maxQueue.
        const free = maxWorkers - slots.filter((slot) => slot.task !== undefined).length;
        if (queue.length - free >= maxQueue) {
          return reject(busyError(queue.length));
        }
        const task: Task = {
          id: nextId++,
          op,
          input,
          resolve: resolve as (output: unknown) => void,
          reject,
          signal,
        };
        if (signal) {
          task.onAbort = () => {
            const queued = queue.indexOf(task);
            if (queued >= 0) {
              queue.splice(queued, 1);
              fail(task, cancelled());
            } else if (task.slot && task.slot.task === task) {
              replace(task.slot, cancelled(), 'cancelled');
            }
          };
          signal.addEventListener('abort', task.onAbort, { once: true });
        }
        hold();
        queue.push(task);
        pump();
      });
    },

    stats() {
      return {
        workers: slots.length,
        busy: slots.filter((slot) => slot.task !== undefined).length,
        queued: queue.length,
        started,
        replaced,
        pids: slots.flatMap((slot) => (slot.child.pid === undefined ? [] : [slot.child.pid])),
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const task of queue.splice(0)) fail(task, closedError());
      const workers = slots.splice(0);
      await Promise.all(
        workers.map((slot) => {
          const { task } = slot;
          const stopped = stopWorker(slot);
          if (task) fail(task, closedError());
          return stopped;
        }),
      );
    },
  };
}
