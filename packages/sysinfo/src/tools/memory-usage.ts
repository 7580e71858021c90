import { z } from 'zod';
import { defineTool } from '../define.js';
import { loadSystem } from '../system/load.js';

const bytes = z.number();

/** `memory_usage`: host, swap, container and server-process memory. */
export const memoryUsageTool = defineTool({
  title: 'Memory usage',
  description:
    "Memory now: total, available (the figure to judge by), used, cached, swap, container limit, this server's own.",
  inputSchema: () => z.object({}),
  outputSchema: () =>
    z.object({
      host: z.object({
        totalBytes: bytes,
        availableBytes: bytes,
        freeBytes: bytes,
        usedBytes: bytes,
        usedPercent: z.number(),
        cachedBytes: bytes.nullable(),
      }),
      swap: z.object({ totalBytes: bytes, freeBytes: bytes, usedBytes: bytes, usedPercent: z.number() }).nullable(),
      container: z
        .object({
          limitBytes: bytes.nullable(),
          usageBytes: bytes.nullable(),
          usedPercentOfLimit: z.number().nullable(),
        })
        .nullable(),
      process: z.object({ rssBytes: bytes, heapUsedBytes: bytes, heapTotalBytes: bytes, externalBytes: bytes }),
    }),
  annotations: {
    title: 'Memory usage',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async () => {
    const { percent, readCgroupLimits, readHostMemory } = await loadSystem();
    const [host, limits] = await Promise.all([
      readHostMemory(),
      process.platform === 'linux' ? readCgroupLimits() : null,
    ]);
    const own = process.memoryUsage();
    const swap =
      host.swapTotalBytes === null || host.swapFreeBytes === null
        ? null
        : {
            totalBytes: host.swapTotalBytes,
            freeBytes: host.swapFreeBytes,
            usedBytes: host.swapTotalBytes - host.swapFreeBytes,
            usedPercent: percent(host.swapTotalBytes - host.swapFreeBytes, host.swapTotalBytes),
          };
    return {
      host: {
        totalBytes: host.totalBytes,
        availableBytes: host.availableBytes,
        freeBytes: host.freeBytes,
        usedBytes: host.usedBytes,
        usedPercent: host.usedPercent,
        cachedBytes: host.cachedBytes,
      },
      swap,
      container: limits
        ? {
            limitBytes: limits.memoryLimitBytes,
            usageBytes: limits.memoryUsageBytes,
            usedPercentOfLimit:
              limits.memoryLimitBytes === null || limits.memoryUsageBytes === null
                ? null
                : percent(limits.memoryUsageBytes, limits.memoryLimitBytes),
          }
        : null,
      process: {
        rssBytes: own.rss,
        heapUsedBytes: own.heapUsed,
        heapTotalBytes: own.heapTotal,
        externalBytes: own.external,
      },
    };
  },
});
