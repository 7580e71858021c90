/**
 * The privacy policy of the pack, applied in one place: which identifying facts may leave the server. Everything
 * is hidden unless the policy turns it on; hidden values are replaced by {@link REDACTED} so the model can tell
 * "hidden by configuration" from "unknown" (null).
 */

/** What a hidden value reads as. */
export const REDACTED = '[redacted]';

/** Which identifying facts may be shown. Every flag defaults to false in the pack's config. */
export interface PrivacyPolicy {
  hostname: boolean;
  username: boolean;
  homeDirectory: boolean;
  macAddresses: boolean;
  serialNumbers: boolean;
  commandLines: boolean;
  /** Names of environment variables that may be shown (exact names). */
  environment: readonly string[];
}

/** The identifying facts of the process the policy protects. */
export interface Identity {
  hostname: string;
  username: string | null;
  homeDirectory: string | null;
  uid: number | null;
}

// Accounts below this uid are system accounts (root, daemon, www-data…); at or above it, people (as login.defs).
const FIRST_PERSONAL_UID = 1000;
const NOBODY_UID = 65534;

const SECRET_NAME =
  /(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|auth|credential|private[_-]?key|session|cookie)/i;
const SECRET_ASSIGNMENT = /^(-{0,2}[\w.-]*?)=(.*)$/s;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]+@/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Applies a {@link PrivacyPolicy} to values before they leave the server. */
export class Redactor {
  readonly policy: PrivacyPolicy;
  readonly #identity: Identity;
  readonly #home: RegExp | undefined;

  constructor(policy: PrivacyPolicy, identity: Identity) {
    this.policy = policy;
    this.#identity = identity;
    const home = identity.homeDirectory?.replace(/\/+$/, '');
    this.#home =
      !policy.homeDirectory && home && home.length > 1
        ? new RegExp(`${escapeRegExp(home)}(?=$|[/\\\\\\s:;"',=])`, 'g')
        : undefined;
  }

  /** The host name, or {@link REDACTED}. */
  hostname(): string {
    return this.policy.hostname ? this.#identity.hostname : REDACTED;
  }

  /** The user the server runs as, or {@link REDACTED}; null when unknown. */
  username(): string | null {
    if (this.#identity.username === null) return null;
    return this.policy.username ? this.#identity.username : REDACTED;
  }

  /** The home directory, or {@link REDACTED}; null when unknown. */
  homeDirectory(): string | null {
    if (this.#identity.homeDirectory === null) return null;
    return this.policy.homeDirectory ? this.#identity.homeDirectory : REDACTED;
  }

  /** A MAC address, or {@link REDACTED}; null stays null (no hardware address). */
  mac(mac: string | null): string | null {
    if (mac === null) return null;
    return this.policy.macAddresses ? mac : REDACTED;
  }

  /** A serial number or machine id, or {@link REDACTED}; null stays null. */
  serial(value: string | null): string | null {
    if (value === null) return null;
    return this.policy.serialNumbers ? value : REDACTED;
  }

  /**
   * Free text that may contain the home directory (a mount point, an environment value, a command line): the home
   * directory becomes `~` unless it is exposed; a value that is exactly the user or host name is hidden likewise.
   */
  text(value: string): string {
    if (!this.policy.username && this.#identity.username && value === this.#identity.username) return REDACTED;
    if (!this.policy.hostname && value === this.#identity.hostname) return REDACTED;
    return this.#home ? value.replace(this.#home, '~') : value;
  }

  /**
   * A command line from its arguments: {@link REDACTED} unless command lines are exposed; when they are, the home
   * directory is still shortened (see {@link Redactor.text}) and the values of options that look like secrets
   * (`--password=...`, `--token ...`, `API_KEY=...`, `https://user:secret@host`) are masked. Empty stays empty.
   */
  commandLine(argv: readonly string[]): string {
    if (argv.length === 0) return '';
    if (!this.policy.commandLines) return REDACTED;
    const out: string[] = [];
    let maskNext = false;
    for (const arg of argv) {
      if (maskNext && !arg.startsWith('-')) {
        out.push(REDACTED);
        maskNext = false;
        continue;
      }
      maskNext = false;
      const assignment = SECRET_ASSIGNMENT.exec(arg);
      if (assignment && SECRET_NAME.test(assignment[1] as string)) {
        out.push(`${assignment[1]}=${REDACTED}`);
        continue;
      }
      if (/^--?[\w.-]+$/.test(arg) && SECRET_NAME.test(arg)) maskNext = true;
      out.push(this.text(arg).replace(URL_PASSWORD, `$1:${REDACTED}@`));
    }
    return out.join(' ');
  }

  /** The allowed environment variables that are set, by name, their values through {@link Redactor.text}. */
  environment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
    const shown: Record<string, string> = {};
    for (const name of this.policy.environment) {
      const value = env[name];
      if (value !== undefined) shown[name] = this.text(value);
    }
    return shown;
  }

  /**
   * The name of a process owner, or {@link REDACTED} when usernames are hidden and the account is a person's
   * (the server's own user, or a uid in the range for people); system accounts such as root or www-data are shown.
   */
  owner(uid: number | null, names: ReadonlyMap<number, string>): string | null {
    if (uid === null) return null;
    const personal = uid === this.#identity.uid || (uid >= FIRST_PERSONAL_UID && uid !== NOBODY_UID);
    if (personal && !this.policy.username) return REDACTED;
    return names.get(uid) ?? String(uid);
  }
}
