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
export { createServerLog, type ServerLog, type ServerLogOptions } from './log.js';
export { describeSurface, formatSurface, type Surface, type SurfaceTool } from './surface.js';
export { type HttpServerOptions, type RunningHttpServer, startHttpServer } from './transports/http.js';
export { serveStdio } from './transports/stdio.js';
export { VERSION } from './version.js';
