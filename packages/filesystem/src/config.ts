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
 * How the write tools behave: `off` (not offered), `on` (they change files when called), `ask` (offered, and each
 * change is shown to the user, who approves or declines it before anything is touched).
 */
export type WriteMode = 'off' | 'on' | 'ask';

/** The write modes, as the config accepts them. */
const WRITE_MODES = ['off', 'on', 'ask'] as const satisfies readonly WriteMode[];

/**
 * The write mode a parsed config asks for: `writes` when given, else what the deprecated `allowWrite` says
 * (`true` is `on`), else `off`.
 */
export function writeModeOf(config: {
  readonly writes?: WriteMode | undefined;
  readonly allowWrite?: boolean | undefined;
}): WriteMode {
  return config.writes ?? (config.allowWrite === true ? 'on' : 'off');
}

/**
 * The filesystem pack's config. Everything but `roots` has a safe default: read-only, no deletes, symbolic links
 * followed only while they stay inside the roots.
 *
 * `writes` has no zod default on purpose: a default would hide whether it was written, and `allowWrite` (its old
 * name) may only be combined with a `writes` that says the same. Parsing fills it in (`overwrite`, not a
 * transform, so the schema stays an object whose shape a host can read), so a parsed config always carries the
 * mode in force; `allowWrite` stays as given, so a host checking which keys a pack read finds it read.
 */
export const filesystemConfigSchema = z
  .object({
    roots: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'Directories the tools may touch, and nothing outside them. `~` is expanded, relative paths resolve against the working directory at mount, symbolic links are resolved at mount; a missing root is a config error.',
      ),
    writes: z
      .enum(WRITE_MODES)
      .optional()
      .describe(
        'The write tools (write_file, edit_file, create_directory, move_file, copy_file, and delete with allowDelete): "off" (default) does not offer them; "on" lets them change files; "ask" shows the user each change (a diff, or what is moved, copied or deleted) and applies it only once they approve, refusing on clients that cannot ask.',
      ),
    allowWrite: z.boolean().optional().meta({
      deprecated: true,
      description:
        'Deprecated; use writes. The old switch: true is writes: "on", false is writes: "off". Given with writes, the two must agree.',
    }),
    allowDelete: z
      .boolean()
      .default(false)
      .describe('Also offer delete (needs writes: "on" or "ask"; in "ask" mode each delete is approved by the user).'),
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
  .superRefine((config, context) => {
    if (config.allowWrite !== undefined && config.writes !== undefined) {
      const alias: WriteMode = config.allowWrite ? 'on' : 'off';
      if (alias !== config.writes) {
        context.addIssue({
          code: 'custom',
          path: ['allowWrite'],
          message: `allowWrite: ${config.allowWrite} contradicts writes: "${config.writes}" (allowWrite is the deprecated name for writes: "${alias}"); remove allowWrite and keep writes.`,
        });
        return;
      }
    }
    if (config.allowDelete && writeModeOf(config) === 'off') {
      context.addIssue({
        code: 'custom',
        path: ['allowDelete'],
        message: 'allowDelete needs writes: "on" or "ask" as well.',
      });
    }
  })
  .overwrite((config) => ({ ...config, writes: writeModeOf(config) }));

/** The filesystem pack's config as a mount accepts it. */
export type FilesystemConfigInput = z.input<typeof filesystemConfigSchema>;
/** The filesystem pack's config with defaults applied. */
export type FilesystemConfig = z.output<typeof filesystemConfigSchema>;
