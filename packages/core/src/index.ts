/**
 * @mcp-packs/core: define MCP tool packs, mount them on an `McpServer`, and test them through a real client
 * (`@mcp-packs/core/testing`). Every export here is public API.
 */
export type { ClientRoot, RequestContext, ToolCall } from './call.js';
export { type CheckPackOptions, checkPack, NON_PORTABLE_KEYWORDS, type PackFinding } from './check.js';
export {
  type AudioBlock,
  type ContentBlock,
  type ContentResult,
  contentResult,
  type EmbeddedResourceBlock,
  type ImageBlock,
  isContentResult,
  type ResourceLinkBlock,
  type TextBlock,
} from './content.js';
export {
  ConfigError,
  type ConfigIssue,
  isConfigError,
  isMcpPacksError,
  isPackError,
  isToolError,
  McpPacksError,
  type McpPacksErrorKind,
  type McpPacksErrorOptions,
  PackError,
  ToolError,
  type ToolErrorOptions,
} from './errors.js';
export {
  type ElicitRequest,
  type ElicitResult,
  type InputStateOptions,
  isInputNeeded,
  verifyInputState,
} from './input.js';
export { listedJsonSchema, type PackListing, packListing, primeListing } from './json-schema.js';
export {
  createStderrSink,
  LOG_LEVELS,
  type LogEntry,
  type Logger,
  type LogLevel,
  type LogSink,
  logSeverity,
  type StderrSinkOptions,
} from './log.js';
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
export { FINAL_NAME_PATTERN, finalName, KEY_PATTERN, PACK_NAME_PATTERN, prefixUri } from './naming.js';
export type { CallObserver, ToolCallEnd, ToolCallStart } from './observe.js';
export {
  type AnyPack,
  type Definitions,
  definePack,
  isPack,
  type MountedTools,
  PACK_API_VERSION,
  type Pack,
  type PackConfigInput,
  type PackDefiners,
  type PackInstructions,
  type PackServices,
  type PackSpec,
  type SetupContext,
} from './pack.js';
export type { PlanOptions, ToolFilter } from './plan.js';
export {
  type AnyPromptDefinition,
  definePrompt,
  type PromptArgsSchema,
  type PromptDefinition,
  type PromptMessage,
  type PromptResult,
  type PromptSpec,
} from './prompt.js';
export {
  type CompleteVariable,
  defineResource,
  defineResourceTemplate,
  type ListedResource,
  type ResourceContent,
  type ResourceDefinition,
  type ResourceReadResult,
  type ResourceSpec,
  type ResourceTemplateDefinition,
  type ResourceTemplateSpec,
} from './resource.js';
export { ERROR_META_KEY, type ErrorMeta } from './results.js';
export type { AttachOptions } from './subset.js';
export {
  type AnyObjectSchema,
  type AnyToolDefinition,
  type AnyToolSchema,
  defineTool,
  type Icon,
  type ToolAnnotations,
  type ToolDefinition,
  type ToolOutput,
  type ToolReturn,
  type ToolSpec,
} from './tool.js';
export { type ArgTransform, TAGS_META_KEY, type ToolTransform, type ToolTransforms } from './transform.js';
export {
  defineView,
  isView,
  VIEW_EXTENSION_ID,
  VIEW_MIME_TYPE,
  type ViewCsp,
  type ViewDefinition,
  type ViewSpec,
} from './view.js';
