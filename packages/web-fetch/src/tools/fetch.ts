import { contentResult, defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { FORMATS } from '../reader/formats.js';
import type { ReadResult } from '../reader/reader.js';
import { progressReporter, toToolError, type WebFetchServices } from '../services.js';

const count = z.number().int().nonnegative();

/** The structured result of `fetch`. The text result explains it; field names say the rest. */
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

const inputSchema = z.lazy(() =>
  z.object({
    url: z.string().min(1).max(8192).describe('http(s) URL.'),
    format: z
      .enum(FORMATS)
      .default('markdown')
      .describe('markdown, text or html: the main content so converted; raw: the body as received.'),
    mainContent: z
      .boolean()
      .default(true)
      .describe('HTML only. false converts the whole page, navigation included, if the main content misses something.'),
    maxLength: z
      .number()
      .int()
      .min(100)
      .max(200_000)
      .optional()
      .describe('Characters of content per call (default 20000).'),
    cursor: z.string().max(512).optional().describe('nextCursor of the previous call, to read on.'),
    timeoutMs: z.number().int().min(100).optional().describe('Time limit in ms (default 30000, capped by the server).'),
    method: z
      .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
      .default('GET')
      .describe('HEAD for headers only. Other methods than GET and HEAD work only if the server enables them.'),
    headers: z
      .object({})
      .catchall(z.string())
      .optional()
      .describe('Extra request headers, e.g. {"Accept-Language": "fr"}; only names the server allows.'),
    body: z.string().max(1_000_000).optional().describe('Request body (not with GET or HEAD).'),
  }),
);

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
  title: 'Fetch a web page',
  description: [
    'Fetch a public http(s) URL and return its content as text: for HTML, the main content as Markdown with links kept; JSON pretty-printed; binaries (PDF, images) described, not shown.',
    'To list a page’s links, use extract_links instead.',
    'Long content comes in windows of maxLength characters: while truncated, call again with the same url and format and cursor set to nextCursor.',
    'Private or local addresses and pages robots.txt disallows are refused by policy; retrying will not help.',
    'Example: {"url": "https://example.com/docs/intro"}.',
  ].join(' '),
  inputSchema,
  outputSchema: fetchOutputSchema,
  annotations: {
    title: 'Fetch a web page',
    readOnlyHint: true,
    openWorldHint: true,
    idempotentHint: true,
    destructiveHint: false,
  },
  execute: async (input, call: ToolCall<WebFetchServices>) => {
    const result = await call.services.reader
      .read({
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
      })
      .catch(toToolError);
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
