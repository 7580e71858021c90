import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { progressReporter, toToolError, type WebFetchServices } from '../services.js';

/** The structured result of `extract_links`. */
export const extractLinksOutputSchema = z.object({
  url: z.string().describe('The URL requested, normalised'),
  finalUrl: z.string().describe('The URL that answered, after redirects'),
  status: z.number().int(),
  title: z.string().optional(),
  total: z.number().int().describe('Links found (after the sameSiteOnly filter)'),
  start: z.number().int().describe('Index of the first link returned'),
  links: z.array(
    z.object({
      url: z.string().describe('Absolute URL, without fragment'),
      text: z.string().describe('Link text (or image alt, aria-label, title)'),
      sameSite: z.boolean().describe('True when the link stays on the same site (registrable domain)'),
      rel: z.string().optional(),
    }),
  ),
  truncated: z.boolean().describe('True when more links follow; call again with nextCursor'),
  nextCursor: z.string().optional(),
  notes: z.array(z.string()),
});

const inputSchema = z.object({
  url: z.string().min(1).max(8192).describe('The http(s) URL of an HTML page.'),
  sameSiteOnly: z.boolean().default(false).describe('Only links that stay on the page’s site.'),
  limit: z.number().int().min(1).max(1000).default(100).describe('Most links to return in this call (default 100).'),
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe('nextCursor from a previous call with the same url: continues the list.'),
  timeoutMs: z.number().int().min(100).optional().describe('Time limit in ms (default 30000; capped by the server).'),
});

/** `extract_links`: the links of a page, absolute, with their text and a same-site flag, paged. */
export const extractLinksTool = defineTool({
  title: 'List the links of a web page',
  description: [
    'Fetch an HTML page and list its links in document order: absolute URL, link text, and whether it stays on the same site. Duplicates and links to the page itself are dropped.',
    'Use it to find where to go next (documentation sections, article lists, pagination); use fetch to read a page’s content.',
    'Paged: when truncated, call again with the same url and cursor set to nextCursor.',
    'The same safety policy as fetch applies (public addresses only, robots.txt).',
    'Example: {"url": "https://example.com/docs/", "sameSiteOnly": true}.',
  ].join(' '),
  inputSchema,
  outputSchema: extractLinksOutputSchema,
  annotations: {
    title: 'List the links of a web page',
    readOnlyHint: true,
    openWorldHint: true,
    idempotentHint: true,
    destructiveHint: false,
  },
  execute: async (input, call: ToolCall<WebFetchServices>) => {
    const result = await call.services.reader
      .links({
        url: input.url,
        sameSiteOnly: input.sameSiteOnly,
        limit: input.limit,
        cursor: input.cursor,
        timeoutMs: input.timeoutMs,
        signal: call.signal,
        onProgress: progressReporter(call),
      })
      .catch(toToolError);
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
