/**
 * The system summary: OS, hardware, CPU, memory, load, uptime, Node, and the container limits that make up the
 * real budget of this process. Identifying facts pass through the {@link Redactor}.
 */
import { access } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { Redactor } from '../privacy/redactor.js';
import { readCgroupLimits } from './cgroup.js';
import { readDistribution, readHardware } from './host.js';
import { readHostMemory } from './memory.js';

/** What `system_summary` reports. */
export interface SystemSummary {
  hostname: string;
  os: {
    platform: string;
    type: string;
    release: string;
    version: string;
    distribution: string | null;
    arch: string;
  };
  hardware: { vendor: string | null; model: string | null; serialNumber: string | null; machineId: string | null };
  cpu: { model: string | null; logicalCores: number; speedMHz: number | null };
  memory: { totalBytes: number; availableBytes: number; freeBytes: number; usedPercent: number };
  loadAverage: { oneMinute: number; fiveMinutes: number; fifteenMinutes: number } | null;
  uptimeSeconds: number;
  bootedAt: string;
  node: { version: string; pid: number; uptimeSeconds: number };
  user: { username: string | null; homeDirectory: string | null };
  container: {
    runtime: string | null;
    cgroupVersion: 1 | 2;
    memoryLimitBytes: number | null;
    memoryUsageBytes: number | null;
    cpuQuotaCores: number | null;
    cpusetCount: number | null;
  } | null;
  budget: { cpus: number; memoryBytes: number };
  timeZone: string;
  environment: Record<string, string>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** A best guess at the container runtime, from the marker files runtimes leave; null when none is seen. */
export async function detectContainerRuntime(root = '/', env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (env.KUBERNETES_SERVICE_HOST) return 'kubernetes';
  if (await exists(join(root, '.dockerenv'))) return 'docker';
  if (await exists(join(root, 'run/.containerenv'))) return 'podman';
  if (env.container) return env.container;
  return null;
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Gather the summary. `root` is where `/` is (tests); `timeZone` the zone the time tools default to. */
export async function systemSummary(
  redactor: Redactor,
  options: { timeZone: string; root?: string },
): Promise<SystemSummary> {
  const root = options.root ?? '/';
  const linux = process.platform === 'linux';
  const [distribution, hardware, memory, limits, runtime] = await Promise.all([
    linux ? readDistribution(root) : null,
    linux ? readHardware(root) : { vendor: null, model: null, serialNumber: null, machineId: null },
    readHostMemory(root),
    linux ? readCgroupLimits(root) : null,
    linux ? detectContainerRuntime(root) : null,
  ]);
  const cpus = os.cpus();
  const logicalCores = os.availableParallelism();
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  const uptimeSeconds = Math.round(os.uptime());
  const budgetCpus = Math.min(logicalCores, limits?.cpuQuotaCores ?? Infinity, limits?.cpusetCount ?? Infinity);
  return {
    hostname: redactor.hostname(),
    os: {
      platform: process.platform,
      type: os.type(),
      release: os.release(),
      version: os.version(),
      distribution: distribution?.name ?? null,
      arch: process.arch,
    },
    hardware: {
      vendor: hardware.vendor,
      model: hardware.model,
      serialNumber: redactor.serial(hardware.serialNumber),
      machineId: redactor.serial(hardware.machineId),
    },
    cpu: {
      model: cpus[0]?.model.trim() || null,
      logicalCores,
      speedMHz: cpus[0]?.speed || null,
    },
    memory: {
      totalBytes: memory.totalBytes,
      availableBytes: memory.availableBytes,
      freeBytes: memory.freeBytes,
      usedPercent: memory.usedPercent,
    },
    // Windows has no load average; os.loadavg() reports zeros there.
    loadAverage:
      process.platform === 'win32'
        ? null
        : { oneMinute: round(one), fiveMinutes: round(five), fifteenMinutes: round(fifteen) },
    uptimeSeconds,
    bootedAt: new Date(Math.round((Date.now() / 1000 - uptimeSeconds) * 1000)).toISOString(),
    node: { version: process.version, pid: process.pid, uptimeSeconds: round(process.uptime(), 1) },
    user: { username: redactor.username(), homeDirectory: redactor.homeDirectory() },
    container: limits
      ? {
          runtime,
          cgroupVersion: limits.version,
          memoryLimitBytes: limits.memoryLimitBytes,
          memoryUsageBytes: limits.memoryUsageBytes,
          cpuQuotaCores: limits.cpuQuotaCores === null ? null : round(limits.cpuQuotaCores),
          cpusetCount: limits.cpusetCount,
        }
      : null,
    budget: {
      cpus: round(budgetCpus),
      memoryBytes: Math.min(memory.totalBytes, limits?.memoryLimitBytes ?? Infinity),
    },
    timeZone: options.timeZone,
    environment: redactor.environment(),
  };
}
