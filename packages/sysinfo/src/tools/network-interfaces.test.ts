import os from 'node:os';
import { connectPack, errorCode, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { REDACTED, sysinfoPack } from '../index.js';
import { isMacDerived } from '../system/network.js';

interface Interfaces {
  interfaces: {
    name: string;
    internal: boolean;
    mac: string | null;
    state: string | null;
    addresses: { family: string; address: string; cidr: string | null; macDerived: boolean }[];
  }[];
  total: number;
}

const osInterfaces = Object.entries(os.networkInterfaces());
const external = osInterfaces.filter(([, entries]) => entries?.some((entry) => !entry.internal));
const derived = osInterfaces.flatMap(([, entries]) =>
  (entries ?? []).filter((entry) => entry.family === 'IPv6' && isMacDerived(entry.address, entry.mac)),
);

describe('sys_network_interfaces on this machine', () => {
  it('lists the interfaces and addresses Node sees', async () => {
    await using conn = await connectPack(sysinfoPack, { config: { expose: { macAddresses: true } } });
    const out = structured<Interfaces>(await conn.callTool('network_interfaces'));
    for (const [name, entries] of osInterfaces) {
      const found = out.interfaces.find((entry) => entry.name === name);
      expect(found?.addresses.map((address) => address.address).sort()).toEqual(
        (entries ?? []).map((entry) => entry.address).sort(),
      );
      const mac = entries?.[0]?.mac;
      if (mac && mac !== '00:00:00:00:00:00') expect(found?.mac).toBe(mac);
    }
  });

  it('hides MAC addresses, and IPv6 addresses made from them, by default', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<Interfaces>(await conn.callTool('network_interfaces'));
    expect(external.length).toBeGreaterThan(0);
    for (const entry of out.interfaces) {
      if (entry.mac !== null) expect(entry.mac).toBe(REDACTED);
      for (const address of entry.addresses) {
        if (address.macDerived) {
          expect(address.address).toBe(REDACTED);
          expect(address.cidr).toMatch(/::\/64$/);
        }
      }
    }
    const text = JSON.stringify(out);
    for (const [, entries] of external) expect(text).not.toContain(entries?.[0]?.mac ?? '?');
    for (const address of derived) expect(text).not.toContain(address.address);
  });

  it('filters by name and leaves out loopback on request', async () => {
    await using conn = await connectPack(sysinfoPack);
    const [name] = external[0] ?? ['lo'];
    const one = structured<Interfaces>(await conn.callTool('network_interfaces', { name }));
    expect(one.interfaces.map((entry) => entry.name)).toEqual([name]);
    const outside = structured<Interfaces>(await conn.callTool('network_interfaces', { includeInternal: false }));
    expect(outside.interfaces.every((entry) => !entry.internal)).toBe(true);
    expect(outside.interfaces.some((entry) => entry.name === 'lo')).toBe(false);
    expect(errorCode(await conn.callTool('network_interfaces', { name: 'nope0' }))).toBe('not_found');
  });
});
