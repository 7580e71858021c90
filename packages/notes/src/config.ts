import { z } from 'zod';
import { TENANT_PATTERN } from './store/pg/tenant.js';

/** Where the notes live: the folder (the default) or a PostgreSQL database shared by several servers. */
const storageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder') }),
  z.object({
    kind: z.literal('postgres'),
    url: z
      .string()
      .min(1)
      .describe(
        'postgres://user:password@host:port/database (take the password from the environment with the server config substitution). Not a superuser role.',
      ),
    tenant: z
      .string()
      .regex(TENANT_PATTERN, '1-128 letters, digits, "_", ".", ":", "@" or "-", starting with a letter or digit')
      .describe(
        "Whose notes this mount sees and writes (one per team): row-level security keeps tenants' notes apart.",
      ),
    migrate: z
      .boolean()
      .default(true)
      .describe(
        'Apply pending schema migrations at startup (replicas take turns on a lock); false: run mcp-packs-notes-migrate.',
      ),
    poolSize: z.number().int().min(1).max(100).default(10).describe('Database connections each server keeps open.'),
  }),
]);

/** The config of the notes pack. */
export const notesConfigSchema = z
  .object({
    directory: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The notes folder: Markdown files with YAML front matter, one note per file (an Obsidian vault works). Created if missing; a leading ~ is your home folder. Required unless storage is postgres.',
      ),
    storage: storageSchema
      .default({ kind: 'folder' })
      .describe(
        'Where notes live: { kind: "folder" } (default: the directory) or { kind: "postgres", url, tenant } for a database shared by several servers.',
      ),
    trashDir: z
      .string()
      .regex(/^[^/\\]+$/, 'a folder name inside the notes folder, without slashes')
      .refine((value) => value !== '.' && value !== '..', 'a folder name, not . or ..')
      .default('.trash')
      .describe('Folder inside the notes folder where deleted notes go (restorable). Obsidian uses .trash too.'),
    maxBodyBytes: z
      .number()
      .int()
      .min(1)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024)
      .describe('Largest note body accepted by create and update, in bytes of UTF-8.'),
    expectedVersion: z
      .enum(['required', 'optional', 'required-for-replace'])
      .default('required-for-replace')
      .describe(
        'When update and delete need expectedVersion: always; never; or (default) for delete and for replacing a title, tags or body, but not for append and find/replace, which apply to the current text.',
      ),
    persistIndex: z
      .boolean()
      .default(true)
      .describe('Keep the search index in a cache file between runs, so a restart re-reads only changed files.'),
    indexCacheDir: z
      .string()
      .optional()
      .describe('Where the index cache lives. Default: the user cache folder (~/.cache/mcp-packs/notes on Linux).'),
    watch: z
      .boolean()
      .default(true)
      .describe('Watch the folder so notes edited elsewhere (Obsidian, another server) are seen within moments.'),
    rescanIntervalMs: z
      .number()
      .int()
      .min(0)
      .default(30_000)
      .describe(
        'Full mtime/size rescan period in ms: a safety net with the watcher; without it, how stale the index may get (0: before every call).',
      ),
    lockTimeoutMs: z
      .number()
      .int()
      .min(100)
      .default(10_000)
      .describe('How long a write waits for another process holding the folder lock before failing with "busy".'),
    openAtStart: z
      .boolean()
      .default(false)
      .describe(
        'Open the folder (scan, index, watch) in the background as soon as the server starts, instead of on the first notes call or resource read. Worth it for a very large folder, whose first scan would otherwise delay that first call.',
      ),
    readMaxChars: z
      .number()
      .int()
      .min(100)
      .default(50_000)
      .describe('Most body characters notes_read returns per call; longer bodies are paged with offset.'),
    recentLimit: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(50)
      .describe('How many notes the recent-notes resource and the resource listing show.'),
  })
  .superRefine((config, context) => {
    if (config.storage.kind === 'folder' && config.directory === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['directory'],
        message: 'the notes folder is required (or set storage to { kind: "postgres", url, tenant })',
      });
    }
  });

/** The notes pack's config, as given (defaults not yet applied). */
export type NotesConfigInput = z.input<typeof notesConfigSchema>;

/** The notes pack's config, validated, with defaults applied. */
export type NotesConfig = z.output<typeof notesConfigSchema>;
