/**
 * @mcp-packs/server: compose MCP tool packs into one server from a config, and serve it over stdio or Streamable
 * HTTP. The `mcp-packs` command is the usual way in; these exports let you do the same from code. Every export here
 * is public API.
 */
export {
  CONFIG_RESOURCE_URI,
  type ComposedServer,
  type ComposeOptions,
  type Composition,
  compose,
  type Endpoint,
  type Mount,
  PACKS_RESOURCE_URI,
  type PreparedPack,
  preparePacks,
} from './compose.js';
export { type DefaultConfigContext, type DefaultPackEntry, defaultConfig } from './config/default-config.js';
export { type LoadedConfig, loadConfigFile, loadDefaultConfig, type PackEntry } from './config/load.js';
export { userDataDir } from './config/paths.js';
export { type ConfigProblem, ConfigProblemsError, type JsonPath } from './config/problems.js';
export {
  type ConfigFile,
  configFileSchema,
  configJsonSchema,
  type PackEntryConfig,
  type TransportConfig,
} from './config/schema.js';
export { BM25_FIELD_BOOSTS, BM25_STEM_WEIGHT, createBm25Ranker } from './discovery/bm25.js';
export {
  type DiscoveryConfig,
  type DiscoverySettings,
  discoverySchema,
  discoverySettings,
  RANKERS,
  type RankerName,
} from './discovery/config.js';
export { createHybridRanker, RRF_K, SEMANTIC_WEIGHT, type WeightedRanker } from './discovery/hybrid.js';
export type { RankedTool, Ranker, RankerFactory } from './discovery/ranker.js';
export {
  createSemanticRanker,
  type Embedder,
  loadUniversalSentenceEncoder,
  type PackageImporter,
  SEMANTIC_PACKAGES,
  semanticText,
} from './discovery/semantic.js';
export { CALL_TOOL, type Discovery, SEARCH_TOOLS } from './discovery/serve.js';
export { term, terms, words } from './discovery/terms.js';
export { type ListedTool, type ToolDocument, type ToolParameter, toolDocument } from './discovery/tool-document.js';
export { createServerLog, type ServerLog, type ServerLogOptions } from './log.js';
export { type Preset, presetPath } from './presets.js';
export { describeSurface, formatSurface, type Surface, type SurfacePreset, type SurfaceTool } from './surface.js';
export { type HttpServerOptions, type RunningHttpServer, startHttpServer } from './transports/http.js';
export { serveStdio } from './transports/stdio.js';
export { VERSION } from './version.js';
