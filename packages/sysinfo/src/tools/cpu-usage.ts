import os from 'node:os';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { checkSamplingWindow } from '../sampling-window.js';
import { integer } from '../schemas/integer.js';
import { loadSystem } from '../system/load.js';

const usage = {
  usagePercent: z.number(),
  userPercent: z.number(),
  systemPercent: z.number(),
  iowaitPercent: z.number(),
  stealPercent: z.number(),
  idlePercent: z.number(),
};

/** `cpu_usage`: CPU usage over a sampling window, overall and per CPU. */
export const cpuUsageTool = defineTool({
  title: 'CPU usage',
  description:
    'CPU use in percent over a sampling window (the call waits that long), overall and per CPU, with load averages and cgroup use.',
  inputSchema: () =>
    z.object({
      windowMs: z.number().int().min(100).max(60_000).default(500).describe('Server max 5000 unless configured.'),
      perCore: z.boolean().default(true).describe('Per logical CPU.'),
    }),
  outputSchema: () =>
    z.object({
      windowMs: z.number(),
      logicalCores: integer(),
      overall: z.object(usage),
      cores: z.array(z.object({ core: integer(), ...usage })).optional(),
      loadAverage: z.array(z.number()),
      container: z.object({ usedCores: z.number(), quotaCores: z.number().nullable() }).nullable(),
    }),
  annotations: {
    title: 'CPU usage',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async ({ windowMs, perCore }, { services, signal }) => {
    checkSamplingWindow(windowMs, services.config.maxSampleMs);
    const { readCgroupCpuSeconds, readCgroupLimits, sampleCpu } = await loadSystem();
    const linux = process.platform === 'linux';
    const [sample, limits] = await Promise.all([
      sampleCpu(windowMs, signal, linux ? { cgroupSeconds: () => readCgroupCpuSeconds() } : {}),
      linux ? readCgroupLimits() : null,
    ]);
    return {
      windowMs: sample.windowMs,
      logicalCores: sample.cores.length,
      overall: sample.overall,
      ...(perCore ? { cores: sample.cores } : {}),
      // Windows has no load average (os.loadavg() reports zeros there).
      loadAverage: process.platform === 'win32' ? [] : os.loadavg().map((value) => Math.round(value * 100) / 100),
      container:
        sample.cgroupCores === null
          ? null
          : { usedCores: sample.cgroupCores, quotaCores: limits?.cpuQuotaCores ?? null },
    };
  },
});
