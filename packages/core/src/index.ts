/**
 * @mcp-packs/core: the pack author's API. Define a pack (tools, resources, prompts, a config schema), fail with
 * `ToolError`, check it with `checkPack`, and test it through a real client with `@mcp-packs/core/testing`. Mounting
 * packs on a server is the host's side: `@mcp-packs/core/host`. Every export here is public API.
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
export type { ElicitRequest, ElicitResult } from './input.js';
export { LOG_LEVELS, type LogEntry, type Logger, type LogLevel } from './log.js';
export { KEY_PATTERN, PACK_NAME_PATTERN } from './naming.js';
export {
  type AnyPack,
  type Definitions,
  definePack,
  definersFor,
  type ErrorMap,
  type MountedTools,
  type Pack,
  type PackConfigInput,
  type PackDefiners,
  type PackInstructions,
  type PackServices,
  type PackSpec,
  type SetupContext,
} from './pack.js';
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
export {
  type AnyObjectSchema,
  type AnyToolDefinition,
  type AnyToolSchema,
  type BuiltSchema,
  defineTool,
  type Icon,
  type ToolAnnotations,
  type ToolDefinition,
  type ToolInput,
  type ToolOutput,
  type ToolReturn,
  type ToolSpec,
} from './tool.js';
export type { ArgTransform, ToolArgTransforms } from './transform-args.js';
export {
  defineView,
  VIEW_MIME_TYPE,
  type ViewCsp,
  type ViewDefinition,
  type ViewSpec,
} from './view.js';
export { viewBridgeScript } from './view-bridge.js';
