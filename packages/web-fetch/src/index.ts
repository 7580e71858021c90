/**
 * @mcp-packs/web-fetch: fetch web pages for a model, safely. Every export here is public API.
 */
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_USER_AGENT,
  type WebFetchConfig,
  type WebFetchConfigInput,
  webFetchConfigSchema,
} from './config.js';
export { webFetchPack, webFetchPack as default } from './pack.js';
export { fetchPrompt } from './prompts/fetch.js';
export { createWebFetchServices, type WebFetchServices } from './services.js';
export { extractLinksOutputSchema, extractLinksTool } from './tools/extract-links.js';
export { fetchOutputSchema, fetchTool } from './tools/fetch.js';
