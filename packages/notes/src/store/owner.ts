/**
 * Who wrote a file, and whether that writer can still be alive: what the store's temp files, its lock and its
 * private index record about their owner, so a file left by a killed process is recognised as such and one of a
 * live process never is.
 *
 * A process is named by three things:
 * - a **scope**: a short hash of the host name and, on Linux, the kernel's boot id and the pid namespace. Pids are
 *   only comparable within one scope: the same machine, the same boot, the same container. Everything written in
 *   another scope (another host on a network folder, a container with its own pids, a boot since) is **foreign**;
 * - its **pid**;
 * - its **start**: when it started, in clock ticks since boot (Linux: `/proc/<pid>/stat`, field 22), so a pid the
 *   system has since given to another process is not taken for the writer. Unknown elsewhere.
 *
 * Within its scope, an owner is **dead** when no process has its pid (`kill(pid, 0)` fails with `ESRCH`) or the
 * process that has it started at another time; **alive** when the process with its pid started when it did;
 * **running** when a process has its pid but its start cannot be compared (not Linux, or `/proc` hidden).
 */
import { readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** A process, as files record it. */
export interface ProcessOwner {
  /** The scope its pid means something in (see the module's comment); 8 hex digits. */
  scope: string;
  pid: number;
  /** When it started (base 36 clock ticks since boot), or undefined where that is not known. */
  start: string | undefined;
}

/** What can be told of an owner from here. */
export type Liveness = 'alive' | 'dead' | 'running' | 'foreign';

function readOptional(read: () => string): string {
  try {
    return read().trim();
  } catch {
    return '';
  }
}

/** When process `pid` started (base 36 ticks since boot), from `/proc`; undefined when that cannot be read. */
function startOf(pid: number | 'self'): string | undefined {
  if (process.platform !== 'linux') return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields are counted from its last `)`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields[19];
  return ticks !== undefined && /^\d+$/.test(ticks) ? BigInt(ticks).toString(36) : undefined;
}

let self: ProcessOwner | undefined;

/** This process. */
export function thisProcess(): ProcessOwner {
  if (!self) {
    const parts = [os.hostname()];
    if (process.platform === 'linux') {
      parts.push(readOptional(() => readFileSync('/proc/sys/kernel/random/boot_id', 'latin1')));
      parts.push(readOptional(() => readlinkSync('/proc/self/ns/pid')));
    }
    self = {
      scope: crypto().createHash('sha1').update(parts.join('\0')).digest('hex').slice(0, 8),
      pid: process.pid,
      start: startOf('self'),
    };
  }
  return self;
}

/** `scope-pid-start`, the form temp file names carry (`x` for an unknown start). */
export function ownerTag(owner: ProcessOwner = thisProcess()): string {
  return `${owner.scope}-${owner.pid}-${owner.start ?? 'x'}`;
}

/** The pattern of {@link ownerTag} (three groups: scope, pid, start). */
export const OWNER_TAG = '([0-9a-f]{8})-([1-9][0-9]{0,9})-([0-9a-z]{1,14})';

/** The owner of a tag matched by {@link OWNER_TAG}. */
export function ownerOfTag(scope: string, pid: string, start: string): ProcessOwner {
  return { scope, pid: Number(pid), start: start === 'x' ? undefined : start };
}

/** True when some process has `pid` (one of another user's counts: signalling it is refused, not unknown). */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `owner` can still be alive. */
export function livenessOf(owner: ProcessOwner): Liveness {
  const me = thisProcess();
  if (owner.scope !== me.scope) return 'foreign';
  if (owner.pid === me.pid) {
    if (owner.start === undefined || me.start === undefined) return 'running';
    return owner.start === me.start ? 'alive' : 'dead';
  }
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0 || !pidExists(owner.pid)) return 'dead';
  if (owner.start === undefined) return 'running';
  const current = startOf(owner.pid);
  if (current === undefined) {
    // Gone between the two looks, or hidden from us (`/proc` mounted with hidepid): ask once more.
    return pidExists(owner.pid) ? 'running' : 'dead';
  }
  return current === owner.start ? 'alive' : 'dead';
}
