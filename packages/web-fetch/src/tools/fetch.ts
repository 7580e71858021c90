import { contentResult } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { FORMATS } from '../reader/formats.js';
import type { ReadResult } from '../reader/reader.js';
import { cappedString } from '../schemas/capped-string.js';
import { progressReporter } from '../services.js';

const count = z.number().int().nonnegative();

/**
 * The structured result of `fetch`. The text result explains it; field names say the rest. Exported as a zod schema
 * (`z.lazy`, built on first use), so `z.output<typeof fetchOutputSchema>` types a result.
 */
export const fetchOutputSchema = z.lazy(() =>
  z.object({
    url: z.string(),
    finalUrl: z.string(),
    status: z.number().int().min(0).max(999),
    statusText: z.string(),
    redirects: z.array(z.object({ url: z.string(), status: z.number().int().min(0).max(999) })),
    contentType: z.string().optional(),
    charset: z.string().optional(),
    title: z.string().optional(),
    format: z.enum(FORMATS),
    kind: z.enum(['html', 'json', 'xml', 'text', 'binary', 'empty']),
    extraction: z.string(),
    bytes: count,
    bodyTruncated: z.boolean(),
    length: count,
    start: count,
    truncated: z.boolean(),
    nextCursor: z.string().optional(),
    content: z.string(),
    headers: z.object({}).catchall(z.string()),
    notes: z.array(z.string()),
  }),
);

const inputSchema = () =>
  z.object({
    url: cappedString(8192).min(1),
    format: z.enum(FORMATS).default('markdown').describe('raw: body as received.'),
    mainContent: z.boolean().default(true).describe('false: the whole page.'),
    maxLength: z.number().int().min(100).max(200_000).optional().describe('Characters, default 20000.'),
    cursor: cappedString(512).optional(),
    timeoutMs: z.number().int().min(100).optional().describe('Default 30000.'),
    method: z
      .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
      .default('GET')
      .describe('Beyond GET, HEAD only if allowed.'),
    headers: z.object({}).catchall(z.string()).optional().describe('Names the server allows.'),
    body: cappedString(1_000_000).optional(),
  });

function render(result: ReadResult, toolName: string): string {
  const lines: string[] = [];
  if (result.title) lines.push(`# ${result.title}`, '');
  const type = result.contentType ?? 'no content type';
  lines.push(`URL: ${result.finalUrl} (HTTP ${result.status}, ${type})`);
  if (result.redirects.length > 0) {
    lines.push(`Redirected from: ${result.redirects.map((hop) => `${hop.url} (${hop.status})`).join(' → ')}`);
  }
  for (const note of result.notes) lines.push(`Note: ${note}`);
  if (result.kind === 'empty' && Object.keys(result.headers).length > 0) {
    lines.push('Headers:', ...Object.entries(result.headers).map(([name, value]) => `  ${name}: ${value}`));
  }
  if (result.truncated || result.start > 0) {
    lines.push(`Showing characters ${result.start}–${result.start + result.content.length} of ${result.length}.`);
  }
  lines.push('', result.content);
  if (result.nextCursor) {
    const end = result.start + result.content.length;
    lines.push(
      '',
      `[Truncated: ${result.length - end} more characters. To read on, call ${toolName} again with the same url and format and cursor "${result.nextCursor}".]`,
    );
  }
  return lines.join('\n');
}

/**
 * `fetch`: read a URL for the model, as Markdown of its main content by default, with paging.
 */
export const fetchTool = defineTool({
  title: 'Fetch page',
  description:
    "Fetch a public http(s) URL as text: HTML's main content as Markdown. While truncated, repeat with cursor = nextCursor. Private addresses, pages robots.txt disallows: refused, do not retry.",
  inputSchema,
  outputSchema: fetchOutputSchema,
  annotations: {
    title: 'Fetch page',
    readOnlyHint: true,
    openWorldHint: true,
    idempotentHint: true,
    destructiveHint: false,
  },
  execute: async (input, call) => {
    const result = await call.services.reader.read({
      url: input.url,
      format: input.format,
      mainContent: input.mainContent,
      maxLength: input.maxLength,
      cursor: input.cursor,
      timeoutMs: input.timeoutMs,
      method: input.method,
      headers: input.headers,
      body: input.body,
      signal: call.signal,
      onProgress: progressReporter(call),
    });
    const { nextCursor, contentType, charset, title, ...rest } = result;
    const structuredContent: z.input<typeof fetchOutputSchema> = {
      ...rest,
      ...(nextCursor === undefined ? {} : { nextCursor }),
      ...(contentType === undefined ? {} : { contentType }),
      ...(charset === undefined ? {} : { charset }),
      ...(title === undefined ? {} : { title }),
    };
    return contentResult([{ type: 'text', text: render(result, call.toolName) }], { structuredContent });
  },
});
