import { ConfigError, definePack } from '@mcp-packs/core';
import { filesystemConfigSchema, writeModeOf } from './config.js';
import { fsErrors } from './error-map.js';
import { resolveConfiguredRoots } from './fs/roots.js';
import { ContentSearcher } from './fs/search-content.js';
import { fileResource } from './resources/file.js';
import { createServices, type FilesystemServices } from './services.js';
import { copyFile } from './tools/copy-file.js';
import { createDirectory } from './tools/create-directory.js';
import { deleteEntry } from './tools/delete.js';
import { directoryTree } from './tools/directory-tree.js';
import { editFile } from './tools/edit-file.js';
import { getFileInfo } from './tools/get-file-info.js';
import { listAllowedDirectories } from './tools/list-allowed-directories.js';
import { listDirectory } from './tools/list-directory.js';
import { moveFile } from './tools/move-file.js';
import { readMediaFile } from './tools/read-media-file.js';
import { readMultipleFiles } from './tools/read-multiple-files.js';
import { readTextFile } from './tools/read-text-file.js';
import { searchContent } from './tools/search-content.js';
import { searchFiles } from './tools/search-files.js';
import { writeFile } from './tools/write-file.js';

/**
 * Tools that change files. They are not offered unless the config enables writes (and deletes, for `delete`); if
 * mounted another way they still refuse to run. With `writes: "ask"` each call asks the user first.
 */
export const WRITE_TOOLS = ['write_file', 'edit_file', 'create_directory', 'move_file', 'copy_file', 'delete'] as const;

/** The write tools' titles in `ask` mode, so a client's listing says that the user approves each change. */
const ASK_TITLES: Record<(typeof WRITE_TOOLS)[number], string> = {
  write_file: 'Write file (the user approves each write)',
  edit_file: 'Edit file (the user approves each diff)',
  create_directory: 'Create directory (the user approves it)',
  move_file: 'Move file (the user approves each move)',
  copy_file: 'Copy file (the user approves each copy)',
  delete: 'Delete (the user approves each delete)',
};

/**
 * The filesystem pack: read, list, tree, glob and content search, file info, and opt-in writes, confined to the
 * configured roots (which the client may narrow, never widen).
 *
 * @example
 * await mountPack(server, filesystemPack, { config: { roots: ['~/projects'], writes: 'ask' } });
 */
export const filesystemPack = definePack<typeof filesystemConfigSchema, FilesystemServices>({
  name: 'filesystem',
  prefix: 'fs',
  version: '0.1.0',
  description:
    'Confined, fast file tools: read text and media, list, tree, search by name and content, file info; writes, edits, moves and deletes when enabled. Every path stays inside the configured roots.',
  instructions: (tools) => {
    const named = (key: string) => (tools.has(key) ? tools.name(key) : undefined);
    const explore = [named('directory_tree'), named('search_files')].filter(Boolean).join(' and ');
    return [
      `Every path must be inside the allowed directories${named('list_allowed_directories') ? ` (${named('list_allowed_directories')} shows them)` : ''}; relative paths resolve against them.`,
      explore ? `Explore with ${explore}.` : '',
      named('search_content') ? `Find code with ${named('search_content')}.` : '',
      named('read_text_file')
        ? `Read with ${named('read_text_file')} (use head/tail/offset and nextCursor for big files).`
        : '',
      named('edit_file') && named('write_file')
        ? `Prefer ${named('edit_file')} over ${named('write_file')} for changes to existing files.`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
  },
  configSchema: filesystemConfigSchema,
  errors: fsErrors,
  setup: async ({ config, onClose, configPath, name, deriveKey }) => {
    const { roots, problems } = await resolveConfiguredRoots(config.roots);
    if (problems.length > 0) {
      const base = `${configPath}.roots`;
      const issues = problems.map((problem) => ({ path: `${base}[${problem.index}]`, message: problem.message }));
      throw new ConfigError(
        `Invalid config for pack "${name}":\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
        { code: 'invalid_config', pack: name, issues },
      );
    }
    const searcher = new ContentSearcher();
    onClose(() => searcher.close());
    return createServices(config, roots, searcher, deriveKey('search-cursor'));
  },
  tools: {
    read_text_file: readTextFile,
    read_media_file: readMediaFile,
    read_multiple_files: readMultipleFiles,
    list_directory: listDirectory,
    directory_tree: directoryTree,
    search_files: searchFiles,
    search_content: searchContent,
    get_file_info: getFileInfo,
    list_allowed_directories: listAllowedDirectories,
    write_file: writeFile,
    edit_file: editFile,
    create_directory: createDirectory,
    move_file: moveFile,
    copy_file: copyFile,
    delete: deleteEntry,
  },
  disabledTools: (config) => {
    const disabled: Record<string, string> = {};
    if (writeModeOf(config) === 'off') {
      for (const key of WRITE_TOOLS) disabled[key] = 'writes are off; set writes: "on" or "ask" to enable';
    } else if (!config.allowDelete) {
      disabled.delete = 'deletes are off; set allowDelete: true to enable';
    }
    return disabled;
  },
  annotations: (config) =>
    writeModeOf(config) === 'ask'
      ? Object.fromEntries(WRITE_TOOLS.map((key) => [key, { title: ASK_TITLES[key] }]))
      : {},
  resourceTemplates: { file: fileResource },
});
