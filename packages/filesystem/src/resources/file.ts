import path from 'node:path';
import { ToolError } from '@mcp-packs/core';
import { defineResourceTemplate } from '../define.js';
import { openFile } from '../fs/access.js';
import { holdDir } from '../fs/dirfd.js';
import { PathGuard } from '../fs/guard.js';
import { guessMime } from '../fs/media.js';
import { looksBinary, SNIFF_BYTES } from '../fs/read-text.js';

/** A file inside the roots, as a resource: `file://<prefix>/<path relative to the root>`. */
export const fileResource = defineResourceTemplate({
  uriTemplate: 'file://{+path}',
  title: 'File',
  description:
    'A file inside the allowed roots, by its path relative to the root (prefixed by the root label when several roots are in force). Text up to maxReadBytes, binary up to maxMediaBytes; use read_text_file to page through larger files.',
  complete: {
    path: async (value, { services }) => {
      const guard = new PathGuard(
        { roots: services.configuredRoots, mode: 'config', ignored: [] },
        { followSymlinks: services.config.followSymlinks },
      );
      const slash = value.lastIndexOf('/');
      const dirPart = slash === -1 ? '' : value.slice(0, slash);
      const namePart = value.slice(slash + 1);
      try {
        const dir = await guard.resolve(dirPart === '' ? '.' : dirPart);
        if (dir.kind !== 'directory') return [];
        // Listed through the directory held at its real path: a swap since the resolve lists nothing.
        const held = await holdDir(dir.real, dir.display);
        const entries = await held.list().finally(() => held.close());
        return entries
          .filter((entry) => entry.name.startsWith(namePart))
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .slice(0, 100)
          .map((entry) => `${dirPart === '' ? '' : `${dirPart}/`}${entry.name}${entry.isDirectory() ? '/' : ''}`);
      } catch {
        return [];
      }
    },
  },
  read: async (_uri, variables, context) => {
    const { services } = context;
    const requested = decodeURIComponent(variables.path ?? '');
    const guard = await services.guard(context);
    const file = await openFile(guard, requested === '' ? '.' : requested);
    try {
      const size = file.stats.size;
      const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
      await file.handle.read(head, 0, head.length, 0);
      const binary = looksBinary(head);
      const limit = binary ? services.config.maxMediaBytes : services.config.maxReadBytes;
      if (size > limit) {
        throw new ToolError(
          `${JSON.stringify(file.resolved.display)} is ${size} bytes, over the ${limit}-byte limit for resources.`,
          {
            code: 'file_too_large',
            hint: 'Use the read_text_file tool with offset/limit or a cursor to read it in parts.',
          },
        );
      }
      const data = await file.handle.readFile();
      const mimeType =
        (await guessMime(path.basename(file.resolved.real), head)) ??
        (binary ? 'application/octet-stream' : 'text/plain');
      return binary ? { blob: data, mimeType } : { text: data.toString('utf8'), mimeType };
    } finally {
      // Not awaited: a read-only handle has nothing to flush, and the answer need not wait for it.
      void file.handle.close().catch(() => {});
    }
  },
});
