import { contentResult, defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { FORMATS } from '../reader/formats.js';
import type { ReadResult } from '../reader/reader.js';
import { progressReporter, toToolError, type WebFetchServices } from '../services.js';

const redirectSchema = z.object({ url: z.string(), status: z.number().int() });

/** The structured result of `fetch`. */
export const fetchOutputSchema = z.object({
  url: z.string().describe('The URL requested, normalised'),
  finalUrl: z.string().describe('The URL that answered, after redirects'),
  status: z.number().int().describe('HTTP status of the final response'),
  statusText: z.string(),
  redirects: z.array(redirectSchema).describe('Each redirect followed: the URL that redirected and its status'),
  contentType: z.string().optional().describe('The Content-Type header'),
  charset: z.string().optional().describe('The character encoding used to decode the body'),
  title: z.string().optional(),
  format: z.enum(FORMATS),
  kind: z.enum(['html', 'json', 'xml', 'text', 'binary', 'empty']).describe('What the body was'),
  extraction: z.string().describe('How the main content was found: landmark, readability, page, or none'),
  bytes: z.number().int().describe('Body bytes read, after decompression'),
  bodyTruncated: z.boolean().describe('True when the body hit the size limit and only its beginning was read'),
  length: z.number().int().describe('Characters of content in the whole document'),
  start: z.number().int().describe('Offset of `content` in the document'),
  truncated: z.boolean().describe('True when more content follows; call again with nextCursor'),
  nextCursor: z.string().optional().describe('Pass as cursor (with the same url and format) to read on'),
  content: z.string(),
  headers: z.record(z.string(), z.string()).describe('Selected response headers'),
  notes: z.array(z.string()).describe('Things worth knowing, such as a wrong charset or a cut body'),
});

const inputSchema = z.object({
  url: z.string().min(1).max(8192).describe('The http(s) URL to fetch.'),
  format: z
    .enum(FORMATS)
    .default('markdown')
    .describe(
      'markdown (default): the main content as Markdown, links kept. text: the main content as plain text. html: the main content as cleaned HTML. raw: the body exactly as received (decoded to text).',
    ),
  mainContent: z
    .boolean()
    .default(true)
    .describe(
      'For HTML pages: true (default) keeps the main content only; false converts the whole page, navigation included, when the extraction dropped something you need.',
    ),
  maxLength: z
    .number()
    .int()
    .min(100)
    .max(200_000)
    .optional()
    .describe('Most characters of content to return in this call (default 20000). Use nextCursor for the rest.'),
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe('nextCursor from a previous call with the same url and format: continues where it stopped.'),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .optional()
    .describe('Time limit in ms for the whole fetch (default 30000; capped by the server).'),
  method: z
    .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
    .default('GET')
    .describe('GET (default) or HEAD (headers only). Other methods only work if the server enables them.'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Extra request headers, e.g. {"Accept-Language": "fr"}. Only names the server allows are accepted.'),
  body: z
    .string()
    .max(1_000_000)
    .optional()
    .describe('Request body, for methods other than GET and HEAD when the server enables them.'),
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
  title: 'Fetch a web page',
  description: [
    'Fetch a URL from the public web and return its content as readable text: for HTML, the main content (article, documentation, post) converted to Markdown with links kept; JSON pretty-printed; plain text as is; PDFs, images and other binaries are described, not shown.',
    'Use it to read a page the user mentions or one you found; use extract_links instead when you only need the links of a page.',
    'Long documents come in windows of maxLength characters: when the result says truncated, call again with the same url and format plus cursor set to nextCursor.',
    'Private and local addresses, non-http(s) URLs and pages disallowed by robots.txt are refused by policy (the error says so; retrying will not help).',
    'Example: {"url": "https://example.com/docs/intro"}; next part: {"url": "https://example.com/docs/intro", "cursor": "<nextCursor>"}.',
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
