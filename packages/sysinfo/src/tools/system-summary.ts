import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { SysinfoServices } from '../services.js';

const bytes = z.number().describe('bytes');

/** The structured form of the system summary (shared with the summary resource). */
export const systemSummarySchema = z.object({
  hostname: z.string(),
  os: z.object({
    platform: z.string().describe('linux, darwin, win32, …'),
    type: z.string(),
    release: z.string().describe('Kernel release'),
    version: z.string().describe('Kernel build'),
    distribution: z.string().nullable().describe('Linux distribution, e.g. "Debian GNU/Linux 12 (bookworm)"'),
    arch: z.string(),
  }),
  hardware: z.object({
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    machineId: z.string().nullable(),
  }),
  cpu: z.object({
    model: z.string().nullable(),
    logicalCores: z.number().int().describe('CPUs this process may use (os.availableParallelism)'),
    speedMHz: z.number().nullable(),
  }),
  memory: z.object({
    totalBytes: bytes,
    availableBytes: bytes.describe('usable without swapping'),
    freeBytes: bytes,
    usedPercent: z.number(),
  }),
  loadAverage: z
    .object({ oneMinute: z.number(), fiveMinutes: z.number(), fifteenMinutes: z.number() })
    .nullable()
    .describe('Run-queue length averages; compare with budget.cpus. Null on Windows'),
  uptimeSeconds: z.number(),
  bootedAt: z.string(),
  node: z.object({ version: z.string(), pid: z.number().int(), uptimeSeconds: z.number() }),
  user: z.object({ username: z.string().nullable(), homeDirectory: z.string().nullable() }),
  container: z
    .object({
      runtime: z.string().nullable().describe('docker, podman, kubernetes… when detectable'),
      cgroupVersion: z.union([z.literal(1), z.literal(2)]),
      memoryLimitBytes: z.number().nullable().describe('null = no limit'),
      memoryUsageBytes: z.number().nullable(),
      cpuQuotaCores: z.number().nullable().describe('CPU quota in CPUs (1.5 = one and a half); null = no quota'),
      cpusetCount: z.number().int().nullable(),
    })
    .nullable()
    .describe('cgroup limits of this process (Linux), null elsewhere'),
  budget: z
    .object({ cpus: z.number(), memoryBytes: bytes })
    .describe('What this process can really use: the host figures capped by the container limits'),
  timeZone: z.string().describe('Default zone of the time tools'),
  environment: z.record(z.string(), z.string()).describe('Environment variables the configuration allows, if set'),
});

/** `system_summary`: OS, hardware, CPU, memory, load, uptime, Node and container limits. */
export const systemSummaryTool = defineTool({
  title: 'System summary',
  description:
    'One overview of the machine the server runs on: OS and distribution, kernel, architecture, CPU model and ' +
    'count, total/available memory, load averages, uptime, Node.js version, and the container (cgroup) memory ' +
    'limit and CPU quota when there are any. `budget` is what this process can really use: host figures capped by ' +
    'those limits. Use it first for "what is this machine" questions; for current usage call cpu_usage, ' +
    'memory_usage or disk_usage. Values shown as "[redacted]" are hidden by the server\'s configuration: do not ' +
    'guess them. No input.',
  inputSchema: z.object({}),
  outputSchema: systemSummarySchema,
  annotations: {
    title: 'System summary',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (_input, { services }: ToolCall<SysinfoServices>) => services.summary(),
});
