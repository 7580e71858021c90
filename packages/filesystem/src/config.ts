import { z } from 'zod';

/** Names skipped by tree, search and deep listings unless a call asks for them (gitignore syntax). */
export const DEFAULT_IGNORES: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.venv',
  '.DS_Store',
  '.next',
  '.turbo',
];

/**
 * The filesystem pack's config. Everything but `roots` has a safe default: read-only, no deletes, symbolic links
 * followed only while they stay inside the roots.
 */
export const filesystemConfigSchema = z
  .object({
    roots: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'Directories the tools may touch, and nothing outside them. `~` is expanded, relative paths resolve against the working directory at mount, symbolic links are resolved at mount; a missing root is a config error.',
      ),
    allowWrite: z
      .boolean()
      .default(false)
      .describe('Enable write_file, edit_file, create_directory, move_file and copy_file.'),
    allowDelete: z.boolean().default(false).describe('Enable delete (needs allowWrite too).'),
    followSymlinks: z
      .boolean()
      .default(true)
      .describe('Follow symbolic links that stay inside the roots. Links out of the roots are never followed.'),
    maxReadBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(256 * 1024)
      .describe('Most bytes of text one read returns; longer reads are cut with a cursor to read on.'),
    maxMediaBytes: z
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024)
      .describe('Largest file read_media_file returns (base64 grows it by a third).'),
    maxSearchFileBytes: z
      .number()
      .int()
      .min(1024)
      .default(8 * 1024 * 1024)
      .describe('search_content skips files larger than this.'),
    searchTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(10 * 60 * 1000)
      .default(30_000)
      .describe('Longest a search may run before it stops with what it found.'),
    defaultIgnores: z
      .array(z.string())
      .default([...DEFAULT_IGNORES])
      .describe(
        'Gitignore-style patterns skipped by directory_tree, search_files, search_content and deep listings unless a call sets includeIgnored.',
      ),
    respectGitignore: z
      .boolean()
      .default(true)
      .describe('Also skip what `.gitignore` files inside the roots exclude (in walks and searches).'),
  })
  .refine((config) => config.allowWrite || !config.allowDelete, {
    message: 'allowDelete needs allowWrite: true as well',
    path: ['allowDelete'],
  });

/** The filesystem pack's config as a mount accepts it. */
export type FilesystemConfigInput = z.input<typeof filesystemConfigSchema>;
/** The filesystem pack's config with defaults applied. */
export type FilesystemConfig = z.output<typeof filesystemConfigSchema>;
