import type { Logger } from '@mcp-packs/core';
import type { MathConfig } from './config.js';
import type { Catalog } from './engine/catalog.js';
import { createEvaluatorPool, type EvaluatorPool } from './engine/pool.js';

/** What every math tool and resource receives as `services`. */
export interface MathServices {
  /** The validated config, defaults applied. */
  readonly config: MathConfig;
  /** The evaluation workers. */
  readonly pool: EvaluatorPool;
  /** The functions and constants expressions may use; loaded from a worker once, then cached. */
  catalog(signal?: AbortSignal): Promise<Catalog>;
}

/** Start the worker pool for `config`; close it with `services.pool.close()`. */
export function createMathServices(config: MathConfig, log: Logger): MathServices {
  const pool = createEvaluatorPool({
    limits: {
      maxResultLength: config.maxResultLength,
      maxMatrixElements: config.maxMatrixElements,
      bigNumberPrecision: config.bigNumberPrecision,
    },
    timeoutMs: config.timeoutMs,
    memoryLimitMb: config.memoryLimitMb,
    maxWorkers: config.workers,
    maxQueue: config.maxQueue,
    onEvent: (event) => {
      if (event.type === 'worker_replaced') log.info(`math: replaced an evaluation worker (${event.reason})`);
      else if (event.type === 'worker_failed')
        log.error(`math: an evaluation worker failed to start (${event.reason})`);
    },
  });
  let catalog: Promise<Catalog> | undefined;
  return {
    config,
    pool,
    catalog(signal) {
      catalog ??= pool.run('catalog', {}, signal);
      catalog.catch(() => {
        catalog = undefined;
      });
      return catalog;
    },
  };
}
