import os from 'node:os';
import type { SysinfoConfig } from './config.js';
import { type Identity, Redactor } from './privacy/redactor.js';
import { loadSystem } from './system/load.js';
import type { SystemSummary } from './system/summary.js';
import { UnresponsiveMounts } from './system/unresponsive-mounts.js';
import { localZone, resolveZone } from './time/zones.js';

/** What every sysinfo handler receives as `services`. */
export interface SysinfoServices {
  /** The validated config. */
  readonly config: SysinfoConfig;
  /** The zone time tools use when a call names none (resolved on first use). */
  readonly timeZone: string;
  /** The privacy policy, applied to every identifying value. */
  readonly redactor: Redactor;
  /** Filesystems that recently did not answer `statfs`. */
  readonly unresponsiveMounts: UnresponsiveMounts;
  /** The system summary, redacted (shared by the tool and the resource). */
  summary(): Promise<SystemSummary>;
}

/** The identifying facts of this process; a user without a passwd entry (some containers) has no name. */
function currentIdentity(): Identity {
  let username: string | null = null;
  let uid: number | null = null;
  try {
    const info = os.userInfo();
    username = info.username;
    uid = info.uid >= 0 ? info.uid : null;
  } catch {
    uid = typeof process.getuid === 'function' ? process.getuid() : null;
  }
  const home = os.homedir();
  return { hostname: os.hostname(), username, homeDirectory: home === '' ? null : home, uid };
}

/** Build the pack's services from its config (what `setup` returns). */
export function createSysinfoServices(config: SysinfoConfig): SysinfoServices {
  const redactor = new Redactor(config.expose, currentIdentity());
  // Resolving a zone starts ICU's time zone data (~15 ms): done on the first call that needs it, not at startup.
  // The config was validated already, so this cannot fail later than it would have in setup.
  let timeZone: string | undefined;
  const defaultZone = () => (timeZone ??= config.timeZone === undefined ? localZone() : resolveZone(config.timeZone));
  return {
    config,
    get timeZone() {
      return defaultZone();
    },
    redactor,
    unresponsiveMounts: new UnresponsiveMounts(),
    summary: async () => (await loadSystem()).systemSummary(redactor, { timeZone: defaultZone() }),
  };
}
