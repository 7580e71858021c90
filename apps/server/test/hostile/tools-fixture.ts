/**
 * The fixture of the tool fuzz (tools.cases.ts, tools.test.ts): the packs and their tool names, the temp folders and
 * config, the notes a run starts with, and the valid base arguments of every tool.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import filesystemPack from '@mcp-packs/filesystem';
import mathPack from '@mcp-packs/math';
import notesPack from '@mcp-packs/notes';
import sysinfoPack from '@mcp-packs/sysinfo';
import webFetchPack from '@mcp-packs/web-fetch';
import type { Client } from '@modelcontextprotocol/client';
import { tempDir, writeConfig } from '../helpers.js';
import { type FuzzTool, sampleOf } from './tool-fuzz.js';

/** The prefix each pack is mounted under, as in the built-in default config. */
const MOUNTS = [
  ['math', mathPack],
  ['fs', filesystemPack],
  ['sys', sysinfoPack],
  ['web', webFetchPack],
  ['notes', notesPack],
] as const;

/** Every tool of every pack, by its final name: what the server must list (the first case checks it does). */
export const TOOL_NAMES: readonly string[] = MOUNTS.flatMap(([prefix, pack]) =>
  Object.keys(pack.tools).map((key) => `${prefix}_${key}`),
);

/** The temp folders of a run: the filesystem root (with a few files), the notes folder, the config. */
export interface ToolsFixture {
  dir: string;
  root: string;
  notes: string;
  configFile: string;
  cleanup(): void;
}

/** A 1×1 transparent PNG. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABh6FO1AAAAABJRU5ErkJggg==',
  'base64',
);

/** Make the temp folders and the config that mounts every pack with every tool on. */
export function createFixture(): ToolsFixture {
  const temp = tempDir('mcp-packs-tool-fuzz-');
  const root = join(temp.path, 'root');
  const notes = join(temp.path, 'notes');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(root, 'out'));
  writeFileSync(join(root, 'a.txt'), 'hello fuzz\nline two\n');
  writeFileSync(join(root, 'sub', 'b.md'), '# hello\n\nfuzz\n');
  writeFileSync(join(root, 'edit.txt'), 'alpha beta\n');
  writeFileSync(join(root, 'pixel.png'), PIXEL_PNG);
  writeFileSync(join(root, 'move-src.txt'), 'move me\n');
  writeFileSync(join(root, 'out', 'doomed.txt'), 'delete me\n');
  const configFile = writeConfig(temp.path, {
    server: { name: 'tool-fuzz' },
    packs: [
      { use: '@mcp-packs/math', prefix: 'math' },
      { use: '@mcp-packs/filesystem', prefix: 'fs', config: { roots: [root], writes: 'on', allowDelete: true } },
      { use: '@mcp-packs/sysinfo', prefix: 'sys', config: { topProcesses: true } },
      { use: '@mcp-packs/web-fetch', prefix: 'web' },
      {
        use: '@mcp-packs/notes',
        prefix: 'notes',
        config: { directory: notes, indexCacheDir: join(temp.path, 'notes-cache') },
      },
    ],
  });
  return { dir: temp.path, root, notes, configFile, cleanup: temp.cleanup };
}

/** The notes every run starts with: one to read and update, one to delete and restore. */
export interface FuzzNotes {
  noteId: string;
  doomedId: string;
}

/**
 * Valid arguments for each tool, which the variants change one thing of. The web tools aim at a loopback address,
 * which the default policy refuses before any connection: the fuzz never leaves the machine.
 */
export function baseArguments(notes: FuzzNotes): Record<string, Record<string, unknown>> {
  const url = 'http://127.0.0.1:9/fuzz';
  return {
    math_evaluate: { expression: '1 + 2' },
    math_simplify: { expression: '2x + x' },
    math_derivative: { expression: 'x^2', variable: 'x' },
    math_plot: { expression: 'x^2', from: -1, to: 1, points: 5 },
    math_convert_units: { value: '1 km', to: 'm' },
    math_statistics: { values: [1, 2, 3] },
    math_solve_linear: {
      A: [
        [2, 0],
        [0, 4],
      ],
      b: [2, 4],
    },
    fs_read_text_file: { path: 'a.txt' },
    fs_read_media_file: { path: 'pixel.png' },
    fs_read_multiple_files: { paths: ['a.txt', 'sub/b.md'] },
    fs_list_directory: { path: '.' },
    fs_directory_tree: { path: '.' },
    fs_search_files: { pattern: '*.txt' },
    fs_search_content: { query: 'hello' },
    fs_get_file_info: { path: 'a.txt' },
    fs_list_allowed_directories: {},
    fs_write_file: { path: 'out/written.txt', content: 'x', mode: 'overwrite' },
    fs_edit_file: { path: 'edit.txt', edits: [{ oldText: 'alpha', newText: 'omega' }], dryRun: true },
    fs_create_directory: { path: 'out/made' },
    fs_move_file: { source: 'move-src.txt', destination: 'out/moved.txt' },
    fs_copy_file: { source: 'a.txt', destination: 'out/copy.txt', overwrite: true },
    fs_delete: { path: 'out/doomed.txt' },
    sys_current_time: {},
    sys_convert_time: { time: '2024-01-01T12:00:00Z', toTimeZone: 'UTC' },
    sys_system_summary: {},
    sys_cpu_usage: { windowMs: 100 },
    sys_memory_usage: {},
    sys_disk_usage: {},
    sys_network_interfaces: {},
    sys_top_processes: { windowMs: 0 },
    web_fetch: { url },
    web_extract_links: { url },
    notes_create: { title: 'fuzz note', body: 'hello fuzz' },
    notes_read: { id: notes.noteId },
    notes_update: { id: notes.noteId, append: '\nmore' },
    notes_delete: { id: notes.doomedId, expectedVersion: 1 },
    notes_restore: { id: notes.doomedId },
    notes_list: {},
    notes_search: { query: 'fuzz' },
    notes_tags: {},
  };
}

/** The tools as listed, each with its base arguments (a tool without an entry gets a sample of its schema). */
export function fuzzTools(
  listed: readonly { name: string; inputSchema: unknown }[],
  notes: FuzzNotes,
): Map<string, FuzzTool> {
  const bases = baseArguments(notes);
  return new Map(
    listed.map((tool) => {
      const schema = tool.inputSchema as Record<string, unknown>;
      const base = bases[tool.name] ?? (sampleOf({ ...schema, type: 'object' }, 'object') as Record<string, unknown>);
      return [tool.name, { name: tool.name, inputSchema: schema, base }];
    }),
  );
}

/** Create the two notes of a run through the client. */
export async function createNotes(client: Client): Promise<FuzzNotes> {
  const create = async (title: string) => {
    const result = await client.callTool({
      name: 'notes_create',
      arguments: { title, body: 'hello fuzz', tags: ['fuzz'] },
    });
    const id = (result.structuredContent as { id?: unknown } | undefined)?.id;
    if (result.isError || typeof id !== 'string') throw new Error(`notes_create failed: ${JSON.stringify(result)}`);
    return id;
  };
  return { noteId: await create('fuzz base'), doomedId: await create('fuzz doomed') };
}
