import { definePack } from '@mcp-packs/core';
import { type WebFetchConfig, webFetchConfigSchema } from './config.js';
import { webFetchErrors } from './error-map.js';
import { fetchPrompt } from './prompts/fetch.js';
import { createWebFetchServices } from './services.js';
import { extractLinksTool } from './tools/extract-links.js';
import { fetchTool } from './tools/fetch.js';

/**
 * The web-fetch pack: `fetch` (a page as Markdown, text, HTML or raw, paged) and `extract_links`, plus a `fetch`
 * prompt. Named `web-fetch` with the default prefix `web`: `web_fetch` and `web_extract_links`.
 *
 * @example
 * const server = new McpServer({ name: 'my-server', version: '1.0.0' });
 * await mountPack(server, webFetchPack, { config: { maxBytes: 2_000_000 } });
 */
export const webFetchPack = definePack({
  name: 'web-fetch',
  prefix: 'web',
  version: '0.1.0',
  description:
    'Fetch web pages for the model, safely: readable Markdown of the main content, paging, and a guard against requests to private networks.',
  instructions: (tools) =>
    [
      tools.has('fetch')
        ? `Use ${tools.name('fetch')} to read a URL (Markdown of its main content by default; follow nextCursor for long pages).`
        : '',
      tools.has('extract_links') ? `Use ${tools.name('extract_links')} to list where a page links to.` : '',
      'Errors marked as policy refusals will not succeed on retry.',
    ]
      .filter(Boolean)
      .join(' '),
  configSchema: webFetchConfigSchema,
  errors: webFetchErrors,
  setup: ({ config, onClose }) => {
    const services = createWebFetchServices(config);
    onClose(() => services.fetcher.close());
    return services;
  },
  tools: {
    fetch: fetchTool,
    extract_links: extractLinksTool,
  },
  // With methods beyond GET and HEAD allowed, fetch can change things on remote servers: say so, so clients ask
  // before calling it and a readOnly mount drops it.
  annotations: (config) =>
    sendsBodies(config) ? { fetch: { readOnlyHint: false, destructiveHint: true, idempotentHint: false } } : {},
  // The model is not shown what this config refuses anyway: a body when only GET and HEAD are allowed, headers when
  // none may be set, a method when GET is the only one.
  args: (config) => ({
    fetch: {
      ...(sendsBodies(config) ? {} : { body: { hidden: true } }),
      ...(config.allowedHeaders.length > 0 ? {} : { headers: { hidden: true } }),
      ...(config.allowedMethods.some((method) => method !== 'GET') ? {} : { method: { hidden: true } }),
    },
  }),
  prompts: {
    fetch: fetchPrompt,
  },
});

/** Whether the config allows a method that sends a body (anything beyond GET and HEAD). */
function sendsBodies(config: WebFetchConfig): boolean {
  return config.allowedMethods.some((method) => method !== 'GET' && method !== 'HEAD');
}
