import os from 'node:os';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { page, pagingInput } from '../paging.js';
import { cappedString } from '../schemas/capped-string.js';
import { integer } from '../schemas/integer.js';
import type { FilesystemUsage } from '../system/disk.js';
import { loadSystem } from '../system/load.js';

const bytes = z.number();

// As df: availableBytes is what ordinary users may use, freeBytes includes root's reserve, usedPercent is
// used / (used + available); inodes is null where the filesystem has no fixed inode count.
const filesystemSchema = z.object({
  mountPoint: z.string(),
  fsType: z.string().nullable(),
  source: z.string().nullable(),
  readOnly: z.boolean().nullable(),
  totalBytes: bytes,
  availableBytes: bytes,
  freeBytes: bytes,
  usedBytes: bytes,
  usedPercent: z.number(),
  inodes: z.object({ total: z.number(), free: z.number(), usedPercent: z.number() }).nullable(),
});

/** `disk_usage`: space on one path's filesystem, or on every real filesystem. */
export const diskUsageTool = defineTool({
  title: 'Disk usage',
  description:
    'Disk space (size, used, available, inodes) of the filesystem holding path, or of every real one; one silent for 2 s is listed as unmeasured.',
  inputSchema: () =>
    z.object({
      path: cappedString(4096)
        .min(1)
        // Node refuses a path with a NUL byte with a TypeError of its own, which would be an internal error.
        .refine((value) => !value.includes('\0'), 'a path cannot contain a NUL byte (\\0)')
        .optional()
        .describe('Any path on it; omit for all.'),
      includeVirtual: z.boolean().default(false).describe('Also tmpfs, squashfs.'),
      ...pagingInput(50, 200),
    }),
  outputSchema: () =>
    z.object({
      filesystems: z.array(filesystemSchema),
      unmeasured: z.array(z.object({ mountPoint: z.string(), fsType: z.string().nullable(), error: z.string() })),
      total: integer(),
      nextCursor: z.string().optional(),
    }),
  annotations: {
    title: 'Disk usage',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async ({ path, includeVirtual, limit, cursor }, { services }) => {
    const { filesystemOf, listFilesystems } = await loadSystem();
    const redactor = services.redactor;
    const scrub = (entry: FilesystemUsage): FilesystemUsage => ({
      ...entry,
      mountPoint: redactor.text(entry.mountPoint),
      source: entry.source === null ? null : redactor.text(entry.source),
    });
    if (path !== undefined) {
      const expanded = path === '~' || path.startsWith('~/') ? os.homedir() + path.slice(1) : path;
      return { filesystems: [scrub(await filesystemOf(expanded))], unmeasured: [], total: 1 };
    }
    const { filesystems, unmeasured } = await listFilesystems({
      includeVirtual,
      unresponsive: services.unresponsiveMounts,
    });
    const { items, nextCursor } = page(filesystems, limit, cursor);
    return {
      filesystems: items.map(scrub),
      unmeasured: unmeasured.map((entry) => ({ ...entry, mountPoint: redactor.text(entry.mountPoint) })),
      total: filesystems.length,
      ...(nextCursor === undefined ? {} : { nextCursor }),
    };
  },
});
