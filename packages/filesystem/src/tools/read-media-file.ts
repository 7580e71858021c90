import { contentResult, ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { openFile } from '../fs/access.js';
import { guessMime } from '../fs/media.js';

const input = () =>
  z.object({
    path: z.string(),
  });

const output = () =>
  z.object({
    path: z.string(),
    mimeType: z.string(),
    size: z.number(),
  });

/** Read an image or audio file as a content block the client can show or play. */
export const readMediaFile = defineTool({
  title: 'Read media file',
  description:
    'Read an image or audio file as content you can see or hear; other binaries as an embedded resource. Size-capped.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const { services } = call;
    const guard = await services.guard(call);
    const file = await openFile(guard, args.path);
    try {
      const size = file.stats.size;
      const max = services.config.maxMediaBytes;
      if (size > max) {
        throw new ToolError(`${JSON.stringify(file.resolved.display)} is ${size} bytes, over the ${max}-byte limit.`, {
          code: 'file_too_large',
          hint: 'Use get_file_info for its facts; the limit is the server setting maxMediaBytes.',
          details: { size, limit: max },
        });
      }
      const data = Buffer.alloc(size);
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await file.handle.read(data, filled, size - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      const bytes = data.subarray(0, filled);
      const mimeType = (await guessMime(file.resolved.real, bytes.subarray(0, 64))) ?? 'application/octet-stream';
      const base64 = bytes.toString('base64');
      const structuredContent = { path: file.resolved.display, mimeType, size: filled };
      if (mimeType.startsWith('image/')) {
        return contentResult([{ type: 'image', data: base64, mimeType }], { structuredContent });
      }
      if (mimeType.startsWith('audio/')) {
        return contentResult([{ type: 'audio', data: base64, mimeType }], { structuredContent });
      }
      if (mimeType.startsWith('text/') || mimeType === 'application/json') {
        throw new ToolError(`${JSON.stringify(file.resolved.display)} is text (${mimeType}).`, {
          code: 'unsupported_media',
          hint: 'Use read_text_file for text files.',
        });
      }
      return contentResult(
        [
          {
            type: 'resource',
            resource: { uri: call.resourceUri(`file://${file.resolved.rel}`), mimeType, blob: base64 },
          },
        ],
        { structuredContent },
      );
    } finally {
      // Not awaited: a read-only handle has nothing to flush, and the answer need not wait for it.
      void file.handle.close().catch(() => {});
    }
  },
});
