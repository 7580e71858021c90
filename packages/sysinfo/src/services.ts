import os from 'node:os';
import type { SysinfoConfig } from './config.js';
import { type Identity, Redactor } from './privacy/redactor.js';
import { UnresponsiveMounts } from './system/disk.js';
import { type SystemSummary, systemSummary } from './system/summary.js';
import { localZone, resolveZone } from './time/zones.js';

/** What every sysinfo handler receives as `services`. */
export interface SysinfoServices {
  /** The validated config. */
  readonly config: SysinfoConfig;
  /** The zone time tools use when a call names none. */
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
  const timeZone = config.timeZone === undefined ? localZone() : resolveZone(config.timeZone);
  const redactor = new Redactor(config.expose, currentIdentity());
  return {
    config,
    timeZone,
    redactor,
    unresponsiveMounts: new UnresponsiveMounts(),
    summary: () => systemSummary(redactor, { timeZone }),
  };
}
