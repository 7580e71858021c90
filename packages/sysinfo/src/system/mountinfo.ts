/**
 * `/proc/<pid>/mountinfo` (Linux): every mount this process sees, with its filesystem type and its root within the
 * filesystem. Used to list disks and to find the cgroup hierarchies.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One line of mountinfo. */
export interface MountEntry {
  /** `major:minor` of the filesystem's device. */
  device: string;
  /** The directory of the filesystem that is mounted here (`/` unless a bind mount of a subtree). */
  root: string;
  /** Where it is mounted. */
  mountPoint: string;
  /** Per-mount options (`rw,relatime`). */
  options: string;
  /** Filesystem type (`ext4`, `cgroup2`, `fuse.sshfs`). */
  fsType: string;
  /** The source (`/dev/sda1`, `tmpfs`, `server:/export`). */
  source: string;
  /** Per-superblock options; for cgroup v1 these name the controllers (`rw,cpu,cpuacct`). */
  superOptions: string;
}

// Mountinfo escapes space, tab, newline and backslash as octal: `\040`.
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Parse mountinfo text; lines it cannot read are skipped. */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const fields = left.split(' ');
    const tail = right.split(' ');
    if (fields.length < 6 || tail.length < 3) continue;
    entries.push({
      device: fields[2] as string,
      root: unescapeOctal(fields[3] as string),
      mountPoint: unescapeOctal(fields[4] as string),
      options: fields[5] as string,
      fsType: tail[0] as string,
      source: unescapeOctal(tail[1] as string),
      superOptions: tail.slice(2).join(' '),
    });
  }
  return entries;
}

/** The mounts of this process, or `[]` where there is no `/proc` (not Linux). */
export async function readMounts(root = '/'): Promise<MountEntry[]> {
  try {
    return parseMountinfo(await readFile(join(root, 'proc/self/mountinfo'), 'utf8'));
  } catch {
    return [];
  }
}

/** The mount that holds `path` (an absolute, resolved path): the one with the longest matching mount point. */
export function mountOf(path: string, mounts: readonly MountEntry[]): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const inside = point === '/' || path === point || path.startsWith(point.endsWith('/') ? point : `${point}/`);
    // Later lines win ties: a mount stacked over another hides it.
    if (inside && (!best || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}
