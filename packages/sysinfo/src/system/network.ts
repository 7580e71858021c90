/**
 * Network interfaces: addresses from Node's `os.networkInterfaces()`, plus (on Linux) the interfaces without an
 * address and each one's state and MTU from `/sys/class/net`. Flags IPv6 addresses whose interface id is derived
 * from the MAC address (EUI-64), because they give the MAC away even when it is hidden.
 */
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { readOptionalValue } from './optional-file.js';

/** One address of an interface. */
export interface InterfaceAddress {
  family: 'IPv4' | 'IPv6';
  address: string;
  /** `address/prefix-length`. */
  cidr: string | null;
  netmask: string;
  /** The IPv6 scope id (link-local addresses), or null. */
  scopeId: number | null;
  /** True when the low 64 bits are the interface's MAC address in EUI-64 form. */
  macDerived: boolean;
}

/** One network interface. */
export interface NetworkInterfaceInfo {
  name: string;
  /** Loopback and similar, never reachable from outside the machine. */
  internal: boolean;
  /** The hardware address, or null where it has none (loopback, tunnels). */
  mac: string | null;
  /** Kernel operational state (`up`, `down`, `unknown`), Linux only, else null. */
  state: string | null;
  mtu: number | null;
  addresses: InterfaceAddress[];
}

async function readSys(root: string, name: string, file: string): Promise<string | null> {
  return (await readOptionalValue(join(root, 'sys/class/net', name, file))) ?? null;
}

/** The 16 bytes of an IPv6 address (with or without `::`, with an embedded IPv4 tail), or undefined. */
export function ipv6Bytes(address: string): number[] | undefined {
  const text = address.split('%')[0] as string;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined): number[] | undefined => {
    if (!part) return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const octets = piece.split('.').map(Number);
        if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
        out.push(
          ((octets[0] as number) << 8) | (octets[1] as number),
          ((octets[2] as number) << 8) | (octets[3] as number),
        );
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(piece)) return undefined;
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

function macBytes(mac: string): number[] | undefined {
  const parts = mac.split(':');
  if (parts.length !== 6) return undefined;
  return parts.map((part) => Number.parseInt(part, 16));
}

/** True when the IPv6 `address` has `mac` as its EUI-64 interface id. */
export function isMacDerived(address: string, mac: string | null): boolean {
  if (!mac) return false;
  const bytes = ipv6Bytes(address);
  const hw = macBytes(mac);
  if (!bytes || !hw) return false;
  const eui = [(hw[0] as number) ^ 0x02, hw[1], hw[2], 0xff, 0xfe, hw[3], hw[4], hw[5]];
  return eui.every((value, i) => bytes[8 + i] === value);
}

/** The `/64` network of an IPv6 address, as `fe80::/64`. */
export function ipv6Network64(address: string): string | null {
  const bytes = ipv6Bytes(address);
  if (!bytes) return null;
  const words: string[] = [];
  for (let i = 0; i < 8; i += 2) words.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  const head = words.join(':').replace(/(:0)+$/, '');
  return `${head === '0' ? '' : head}::/64`;
}

function hardwareAddress(mac: string | null | undefined): string | null {
  if (!mac || /^(00:){5}00$/.test(mac)) return null;
  return mac.toLowerCase();
}

/** Every interface, sorted by name. */
export async function readInterfaces(root = '/'): Promise<NetworkInterfaceInfo[]> {
  const fromOs = os.networkInterfaces();
  const names = new Set(Object.keys(fromOs));
  try {
    for (const name of await readdir(join(root, 'sys/class/net'))) names.add(name);
  } catch {
    // No /sys (not Linux): the names Node knows are all there is.
  }
  return Promise.all(
    [...names].sort().map(async (name) => {
      const entries = fromOs[name] ?? [];
      const [state, mtu, sysMac] = await Promise.all([
        readSys(root, name, 'operstate'),
        readSys(root, name, 'mtu'),
        readSys(root, name, 'address'),
      ]);
      const mac = hardwareAddress(entries[0]?.mac ?? sysMac);
      return {
        name,
        internal: entries.length > 0 ? entries.every((entry) => entry.internal) : name === 'lo',
        mac,
        state,
        mtu: mtu === null ? null : Number(mtu),
        addresses: entries.map((entry) => ({
          family: entry.family,
          address: entry.address,
          cidr: entry.cidr,
          netmask: entry.netmask,
          scopeId: entry.family === 'IPv6' ? entry.scopeid : null,
          macDerived: entry.family === 'IPv6' && isMacDerived(entry.address, mac),
        })),
      };
    }),
  );
}
