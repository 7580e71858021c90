/**
 * @mcp-packs/core/host: the host's API, for code that serves packs rather than writes them. Mount a pack on an
 * `McpServer` (SDK v2 or v1) with a prefix, config, filters and per-tool transforms; set one up once and attach it to
 * many servers; describe what a mount would list without mounting; observe calls; route the log; verify signed input
 * state; load packs from modules (`isPack`, `primeListing`). Every export here is public API.
 */
export { type InputStateOptions, isInputNeeded, verifyInputState } from './input.js';
export { listedJsonSchema, type PackListing, packListing, primeListing } from './json-schema.js';
export type { ListingOptions } from './listing.js';
export { createStderrSink, type LogSink, logSeverity, type StderrSinkOptions } from './log.js';
export {
  type Attachment,
  createPackInstance,
  describeMount,
  type InstanceOptions,
  type McpServerLike,
  type MountedPack,
  type MountOptions,
  type MountSurface,
  mountPack,
  type PackInstance,
} from './mount.js';
export { FINAL_NAME_PATTERN, finalName, prefixUri } from './naming.js';
export type { CallObserver, ToolCallEnd, ToolCallStart } from './observe.js';
export { isPack, PACK_API_VERSION } from './pack.js';
export type { PlanOptions, ToolFilter } from './plan.js';
export { type HostSecret, MIN_SECRET_BYTES } from './secret.js';
export type { AttachOptions } from './subset.js';
export { type ArgTransform, TAGS_META_KEY, type ToolTransform, type ToolTransforms } from './transform.js';
export { isView, VIEW_EXTENSION_ID } from './view.js';
