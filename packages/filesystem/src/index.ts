/**
 * @mcp-packs/filesystem: confined, complete and fast file tools for MCP. Every export here is public API.
 */
export {
  DEFAULT_IGNORES,
  type FilesystemConfig,
  type FilesystemConfigInput,
  filesystemConfigSchema,
  type WriteMode,
} from './config.js';
export { filesystemPack, filesystemPack as default, WRITE_TOOLS } from './pack.js';
export { fileResource } from './resources/file.js';
export type { FilesystemServices } from './services.js';
export { copyFile } from './tools/copy-file.js';
export { createDirectory } from './tools/create-directory.js';
export { deleteEntry } from './tools/delete.js';
export { directoryTree } from './tools/directory-tree.js';
export { editFile } from './tools/edit-file.js';
export { getFileInfo } from './tools/get-file-info.js';
export { listAllowedDirectories } from './tools/list-allowed-directories.js';
export { listDirectory } from './tools/list-directory.js';
export { moveFile } from './tools/move-file.js';
export { readMediaFile } from './tools/read-media-file.js';
export { readMultipleFiles } from './tools/read-multiple-files.js';
export { readTextFile } from './tools/read-text-file.js';
export { searchContent } from './tools/search-content.js';
export { searchFiles } from './tools/search-files.js';
export { writeFile } from './tools/write-file.js';
