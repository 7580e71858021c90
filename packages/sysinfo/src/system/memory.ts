/**
 * Memory figures. On Linux from `/proc/meminfo`, whose `MemAvailable` is what can be used without swapping (free
 * memory alone undercounts: the page cache is reclaimable); elsewhere from Node's `os`.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';

/** Host memory, in bytes. */
export interface HostMemory {
  totalBytes: number;
  /** Unused memory. */
  freeBytes: number;
  /** Memory that can be given to programs without swapping (free plus reclaimable cache). */
  availableBytes: number;
  /** `total - available`. */
  usedBytes: number;
  /** `used / total`, 0-100, one decimal. */
  usedPercent: number;
  /** Page cache and buffers, when known. */
  cachedBytes: number | null;
  swapTotalBytes: number | null;
  swapFreeBytes: number | null;
}

/** Parse `/proc/meminfo` into bytes by key. */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([\w()]+):\s+(\d+)(\s+kB)?$/.exec(line.trim());
    if (match) values.set(match[1] as string, Number(match[2]) * (match[3] ? 1024 : 1));
  }
  return values;
}

/** One decimal place percentage of `part` in `whole` (0 when `whole` is 0). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

/** Read host memory. */
export async function readHostMemory(root = '/'): Promise<HostMemory> {
  let info: Map<string, number> | undefined;
  try {
    info = parseMeminfo(await readFile(join(root, 'proc/meminfo'), 'utf8'));
  } catch {
    info = undefined;
  }
  const totalBytes = info?.get('MemTotal') ?? os.totalmem();
  const freeBytes = info?.get('MemFree') ?? os.freemem();
  const availableBytes = info?.get('MemAvailable') ?? os.freemem();
  const cached = info?.get('Cached');
  const buffers = info?.get('Buffers');
  const usedBytes = Math.max(0, totalBytes - availableBytes);
  return {
    totalBytes,
    freeBytes,
    availableBytes,
    usedBytes,
    usedPercent: percent(usedBytes, totalBytes),
    cachedBytes: cached === undefined ? null : cached + (buffers ?? 0),
    swapTotalBytes: info?.get('SwapTotal') ?? null,
    swapFreeBytes: info?.get('SwapFree') ?? null,
  };
}
