import os from 'node:os';
import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { SysinfoServices } from '../services.js';
import { readCgroupCpuSeconds, readCgroupLimits } from '../system/cgroup.js';
import { sampleCpu } from '../system/cpu.js';
import { checkSamplingWindow } from './sampling-window.js';

const usage = {
  usagePercent: z.number().describe('Busy: 100 - idle - iowait'),
  userPercent: z.number(),
  systemPercent: z.number(),
  iowaitPercent: z.number().describe('Idle while waiting for disk (Linux)'),
  stealPercent: z.number().describe('Taken by the hypervisor for other guests (VMs, Linux)'),
  idlePercent: z.number(),
};

/** `cpu_usage`: CPU usage over a sampling window, overall and per CPU. */
export const cpuUsageTool = defineTool({
  title: 'CPU usage',
  description:
    'Measure CPU usage over a short sampling window: overall and per logical CPU (user, system, I/O wait, steal, ' +
    "idle, in percent), the load averages, and how many CPUs' worth this container used when it runs under a " +
    'cgroup. Takes as long as the window. Use it for "is the machine busy"; to find which programs are busy, ' +
    'top_processes (if enabled).\nwindowMs: 100 to the configured maximum (default 5000), default 500; longer ' +
    'windows smooth out spikes. perCore: false to leave out the per-CPU list.\nExample: {"windowMs": 1000}',
  inputSchema: z.object({
    windowMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(500)
      .describe('Sampling window in ms (100 to the configured maximum, default 500)'),
    perCore: z.boolean().default(true).describe('Include one entry per logical CPU (default true)'),
  }),
  outputSchema: z.object({
    windowMs: z.number().describe('The window actually measured'),
    logicalCores: z.number().int(),
    overall: z.object(usage),
    cores: z.array(z.object({ core: z.number().int(), ...usage })).optional(),
    loadAverage: z.array(z.number()).describe('1, 5 and 15 minute load averages (empty on Windows)'),
    container: z
      .object({
        usedCores: z.number().describe("CPUs' worth of time the cgroup used over the window"),
        quotaCores: z.number().nullable().describe('The cgroup CPU quota, null when none'),
      })
      .nullable(),
  }),
  annotations: {
    title: 'CPU usage',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async ({ windowMs, perCore }, { services, signal }: ToolCall<SysinfoServices>) => {
    checkSamplingWindow(windowMs, services.config.maxSampleMs);
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
