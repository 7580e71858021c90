import os from 'node:os';
import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { SysinfoServices } from '../services.js';
import { type FilesystemUsage, filesystemOf, listFilesystems } from '../system/disk.js';
import { page, pagingInput } from './paging.js';
import { withToolErrors } from './tool-errors.js';

const bytes = z.number().describe('bytes');

const filesystemSchema = z.object({
  mountPoint: z.string(),
  fsType: z.string().nullable(),
  source: z.string().nullable().describe('Device or remote the filesystem comes from'),
  readOnly: z.boolean().nullable(),
  totalBytes: bytes,
  availableBytes: bytes.describe('Usable by ordinary users'),
  freeBytes: bytes.describe('Including space reserved for root'),
  usedBytes: bytes,
  usedPercent: z.number().describe('used / (used + available), as df shows it'),
  inodes: z
    .object({ total: z.number(), free: z.number(), usedPercent: z.number() })
    .nullable()
    .describe('null where the filesystem has no fixed inode count'),
});

/** `disk_usage`: space on one path's filesystem, or on every real filesystem. */
export const diskUsageTool = defineTool({
  title: 'Disk usage',
  description:
    'Disk space: size, used, available and inode use, for the filesystem holding `path`, or for every real ' +
    'filesystem when path is omitted (pseudo filesystems such as proc, sysfs and cgroup are left out, and tmpfs ' +
    'and squashfs too unless includeVirtual is true; one entry per filesystem even when it is mounted in several ' +
    'places). A filesystem that does not answer within 2 s (a dead network mount) is listed under `unmeasured`. ' +
    'Use it for "is the disk full" or before writing large files.\npath: absolute, relative to the server\'s ' +
    'working directory, or starting with ~. limit/cursor page through long mount lists.\n' +
    'Examples: {} or {"path": "/var/lib"}',
  inputSchema: z.object({
    path: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('A file or directory whose filesystem to measure; omit for all filesystems'),
    includeVirtual: z
      .boolean()
      .default(false)
      .describe('Also list memory-backed and image filesystems (tmpfs, devtmpfs, squashfs); default false'),
    ...pagingInput(50, 200),
  }),
  outputSchema: z.object({
    filesystems: z.array(filesystemSchema),
    unmeasured: z
      .array(z.object({ mountPoint: z.string(), fsType: z.string().nullable(), error: z.string() }))
      .describe('Filesystems that could not be measured, and why'),
    total: z.number().int().describe('How many filesystems there are in all pages'),
    nextCursor: z.string().optional().describe('Pass as cursor for the next page'),
  }),
  annotations: {
    title: 'Disk usage',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: ({ path, includeVirtual, limit, cursor }, { services }: ToolCall<SysinfoServices>) =>
    withToolErrors(async () => {
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
    }),
});
