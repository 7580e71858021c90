/**
 * Facts about the host that Node's `os` module does not give: the Linux distribution (`/etc/os-release`), the
 * hardware vendor, model and serial number (DMI, `/sys/class/dmi/id`) and the machine id (`/etc/machine-id`).
 * Every reader returns null where the file is missing or unreadable (other platforms, containers, no root).
 */
import { join } from 'node:path';
import { readOptionalValue } from './optional-file.js';

async function readText(path: string): Promise<string | null> {
  return (await readOptionalValue(path)) ?? null;
}

/** Parse `os-release` (shell-style `KEY="value"` lines). */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = (match[2] as string).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    fields[match[1] as string] = value;
  }
  return fields;
}

/** The distribution's name and version, e.g. `Debian GNU/Linux 12 (bookworm)`, or null. */
export async function readDistribution(
  root = '/',
): Promise<{ name: string; id: string | null; version: string | null } | null> {
  const text = (await readText(join(root, 'etc/os-release'))) ?? (await readText(join(root, 'usr/lib/os-release')));
  if (text === null) return null;
  const fields = parseOsRelease(text);
  const name = fields.PRETTY_NAME ?? fields.NAME;
  if (!name) return null;
  return { name, id: fields.ID ?? null, version: fields.VERSION_ID ?? null };
}

/** Hardware identity from DMI. The serial number and machine id identify one machine: callers redact them. */
export interface HardwareIdentity {
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  machineId: string | null;
}

// Firmware fills unused DMI fields with placeholders; treat them as absent.
const PLACEHOLDERS =
  /^(?:|0+|none|n\/a|na|not specified|not applicable|default string|to be filled by o\.e\.m\.|system serial number|0123456789)$/i;

function meaningful(value: string | null): string | null {
  return value === null || PLACEHOLDERS.test(value) ? null : value;
}

/** Read vendor, model, serial (product, else board; root-only on most systems) and machine id. */
export async function readHardware(root = '/'): Promise<HardwareIdentity> {
  const dmi = (name: string) => readText(join(root, 'sys/class/dmi/id', name)).then(meaningful);
  const [vendor, model, productSerial, boardSerial, machineId] = await Promise.all([
    dmi('sys_vendor'),
    dmi('product_name'),
    dmi('product_serial'),
    dmi('board_serial'),
    readText(join(root, 'etc/machine-id')),
  ]);
  return { vendor, model, serialNumber: productSerial ?? boardSerial, machineId };
}
