import { z } from 'zod';
import { defineTool } from '../define.js';
import { cappedString } from '../schemas/capped-string.js';
import { progressReporter } from '../services.js';

const count = z.number().int().nonnegative();

/** The structured result of `extract_links`. The text result explains it; field names say the rest. */
export const extractLinksOutputSchema = z.lazy(() =>
  z.object({
    url: z.string(),
    finalUrl: z.string(),
    status: z.number().int().min(0).max(999),
    title: z.string().optional(),
    total: count,
    start: count,
    links: z.array(z.object({ url: z.string(), text: z.string(), sameSite: z.boolean(), rel: z.string().optional() })),
    truncated: z.boolean(),
    nextCursor: z.string().optional(),
    notes: z.array(z.string()),
  }),
);

const inputSchema = () =>
  z.object({
    url: cappedString(8192).min(1),
    sameSiteOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(100),
    cursor: cappedString(512).optional(),
    timeoutMs: z.number().int().min(100).optional().describe('Default 30000.'),
  });

/** `extract_links`: the links of a page, absolute, with their text and a same-site flag, paged. */
export const extractLinksTool = defineTool({
  title: 'Page links',
  description: "An HTML page's links in order (URL, text, same-site): where to go next. Paged and policed like fetch.",
  inputSchema,
  outputSchema: extractLinksOutputSchema,
  annotations: {
    title: 'Page links',
    readOnlyHint: true,
    openWorldHint: true,
    idempotentHint: true,
    destructiveHint: false,
  },
  execute: async (input, call) => {
    const result = await call.services.reader.links({
      url: input.url,
      sameSiteOnly: input.sameSiteOnly,
      limit: input.limit,
      cursor: input.cursor,
      timeoutMs: input.timeoutMs,
      signal: call.signal,
      onProgress: progressReporter(call),
    });
    return {
      url: result.url,
      finalUrl: result.finalUrl,
      status: result.status,
      ...(result.title === undefined ? {} : { title: result.title }),
      total: result.total,
      start: result.start,
      links: result.links,
      truncated: result.truncated,
      ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }),
      notes: result.notes,
    };
  },
  toText: (output) => {
    const range =
      output.links.length === 0
        ? 'no links found'
        : `links ${output.start + 1}–${output.start + output.links.length} of ${output.total}`;
    const lines = [
      `${output.title ? `${output.title} — ` : ''}${output.finalUrl}: ${range}`,
      ...output.notes.map((note) => `Note: ${note}`),
      '',
      ...output.links.map(
        (link) => `- [${link.text || '(no text)'}](${link.url})${link.sameSite ? '' : ' (external)'}`,
      ),
    ];
    if (output.nextCursor)
      lines.push('', `[More links: call again with the same url and cursor "${output.nextCursor}".]`);
    return lines.join('\n');
  },
});
