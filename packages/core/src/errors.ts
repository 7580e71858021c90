/**
 * The one error model of mcp-packs.
 *
 * Errors are recognised by a `Symbol.for` brand, never by `instanceof`, so an error thrown by a pack that carries
 * its own copy of `@mcp-packs/core` is still understood by the copy that mounted it.
 */

const ERROR_BRAND: unique symbol = Symbol.for('mcp-packs.error') as never;

/** The kinds of error in the model; the value stored under the brand. */
export type McpPacksErrorKind = 'ToolError' | 'ConfigError' | 'PackError';

/** Options shared by every mcp-packs error. */
export interface McpPacksErrorOptions {
  /** A stable, machine-readable code in snake_case, such as `not_found` or `invalid_config`. */
  code: string;
  /** The error that caused this one, kept for logs. */
  cause?: unknown;
}

/**
 * Base class of every mcp-packs error. Use the subclasses; check with {@link isMcpPacksError} or the specific
 * guards, which work across copies of this package.
 */
export abstract class McpPacksError extends Error {
  /** A stable, machine-readable code. */
  readonly code: string;
  declare readonly [ERROR_BRAND]: McpPacksErrorKind;

  protected constructor(kind: McpPacksErrorKind, message: string, options: McpPacksErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = kind;
    this.code = options.code;
    Object.defineProperty(this, ERROR_BRAND, { value: kind, enumerable: false });
  }
}

/** Options of a {@link ToolError}. */
export interface ToolErrorOptions extends McpPacksErrorOptions {
  /** What the model (or user) should do next, such as "call notes_list to see valid ids". */
  hint?: string;
  /** True when the same call may succeed if simply tried again later (a timeout, a busy lock). */
  retryable?: boolean;
  /** Extra structured facts for clients and tests, such as `{ currentVersion: 4 }`. Must be JSON. */
  details?: Record<string, unknown>;
}

/**
 * An expected failure that the model can act on: a missing note, a path outside the allowed roots, a policy that
 * refused a URL. Throw it from a tool handler; the client receives an `isError: true` result whose text says what
 * went wrong and what to do next, with `code`, `retryable` and `details` in the result's `_meta`.
 *
 * @example
 * throw new ToolError(`No note with id "${id}".`, { code: 'not_found', hint: 'Call notes_list to see the ids.' });
 */
export class ToolError extends McpPacksError {
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: ToolErrorOptions) {
    super('ToolError', message, options);
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** One problem found in a pack's config: where it is and what was expected. */
export interface ConfigIssue {
  /** The key path, such as `packs[filesystem].config.roots[0]`. */
  path: string;
  /** The same path inside the pack's config, as keys and indexes (`['roots', 0]`), for hosts that map it back. */
  segments?: readonly (string | number)[];
  /** What is wrong and what was expected there. */
  message: string;
}

/**
 * A pack's config did not validate. Thrown by `mountPack` before anything is registered. `issues` lists every
 * problem, each with its key path; the message lists them too, one per line.
 */
export class ConfigError extends McpPacksError {
  readonly issues: readonly ConfigIssue[];
  readonly pack: string | undefined;

  constructor(message: string, options: McpPacksErrorOptions & { issues: readonly ConfigIssue[]; pack?: string }) {
    super('ConfigError', message, options);
    this.issues = options.issues;
    this.pack = options.pack;
  }
}

/**
 * A pack cannot be mounted as asked: a bad name, a collision with another mount, an unknown tool in a filter, an
 * incompatible `apiVersion`, a failing `setup`. Thrown by `mountPack` before anything is served.
 */
export class PackError extends McpPacksError {
  readonly pack: string | undefined;

  constructor(message: string, options: McpPacksErrorOptions & { pack?: string }) {
    super('PackError', message, options);
    this.pack = options.pack;
  }
}

function kindOf(value: unknown): McpPacksErrorKind | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
  return kind === 'ToolError' || kind === 'ConfigError' || kind === 'PackError' ? kind : undefined;
}

/** True for any mcp-packs error, from this or any other copy of `@mcp-packs/core`. */
export function isMcpPacksError(value: unknown): value is McpPacksError {
  return kindOf(value) !== undefined;
}

/** True for a {@link ToolError} from any copy of `@mcp-packs/core`. */
export function isToolError(value: unknown): value is ToolError {
  return kindOf(value) === 'ToolError';
}

/** True for a {@link ConfigError} from any copy of `@mcp-packs/core`. */
export function isConfigError(value: unknown): value is ConfigError {
  return kindOf(value) === 'ConfigError';
}

/** True for a {@link PackError} from any copy of `@mcp-packs/core`. */
export function isPackError(value: unknown): value is PackError {
  return kindOf(value) === 'PackError';
}
