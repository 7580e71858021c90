import { z } from 'zod';
import { defineTool } from '../define.js';
import { integer } from '../schemas/integer.js';

const bytes = z.number();
const nullableString = z.string().nullable();

/**
 * The structured form of the system summary (shared with the summary resource). Field names say what they are;
 * the tool description explains `budget` and the redactions. Nullable fields are null where the fact is unknown or
 * does not apply (no container, no cgroup limit, Windows load average).
 */
export const systemSummarySchema = () =>
  z.object({
    hostname: z.string(),
    os: z.object({
      platform: z.string(),
      type: z.string(),
      release: z.string(),
      version: z.string(),
      distribution: nullableString,
      arch: z.string(),
    }),
    hardware: z.object({
      vendor: nullableString,
      model: nullableString,
      serialNumber: nullableString,
      machineId: nullableString,
    }),
    cpu: z.object({ model: nullableString, logicalCores: integer(), speedMHz: z.number().nullable() }),
    memory: z.object({ totalBytes: bytes, availableBytes: bytes, freeBytes: bytes, usedPercent: z.number() }),
    loadAverage: z.object({ oneMinute: z.number(), fiveMinutes: z.number(), fifteenMinutes: z.number() }).nullable(),
    uptimeSeconds: z.number(),
    bootedAt: z.string(),
    node: z.object({ version: z.string(), pid: integer(), uptimeSeconds: z.number() }),
    user: z.object({ username: nullableString, homeDirectory: nullableString }),
    container: z
      .object({
        runtime: nullableString,
        cgroupVersion: z.literal([1, 2]),
        memoryLimitBytes: z.number().nullable(),
        memoryUsageBytes: z.number().nullable(),
        cpuQuotaCores: z.number().nullable(),
        cpusetCount: integer().nullable(),
      })
      .nullable(),
    budget: z.object({ cpus: z.number(), memoryBytes: bytes }),
    timeZone: z.string(),
    // Listed as additionalProperties only (a record would add propertyNames, which some clients reject).
    environment: z.object({}).catchall(z.string()),
  });

/** `system_summary`: OS, hardware, CPU, memory, load, uptime, Node and container limits. */
export const systemSummaryTool = defineTool({
  title: 'System summary',
  description:
    'The machine: OS, kernel, CPU, memory, load, uptime, Node.js, container limits; budget = what this process may use. Do not guess [redacted] values.',
  inputSchema: () => z.object({}),
  outputSchema: systemSummarySchema,
  annotations: {
    title: 'System summary',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (_input, { services }) => services.summary(),
});
