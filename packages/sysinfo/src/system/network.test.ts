import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ipv6Bytes, ipv6Network64, isMacDerived, readInterfaces } from './network.js';

describe('ipv6Bytes', () => {
  it('expands compressed, full and IPv4-tailed forms and rejects junk', () => {
    expect(ipv6Bytes('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(ipv6Bytes('fe80::1%eth0')?.slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(ipv6Bytes('2001:db8:0:0:0:0:2:1')).toEqual(ipv6Bytes('2001:db8::2:1'));
    expect(ipv6Bytes('::ffff:192.0.2.1')?.slice(12)).toEqual([192, 0, 2, 1]);
    expect(ipv6Bytes('1::2::3')).toBeUndefined();
    expect(ipv6Bytes('1:2:3')).toBeUndefined();
    expect(ipv6Bytes('g::1')).toBeUndefined();
  });
});

describe('isMacDerived and ipv6Network64', () => {
  it('recognises EUI-64 interface ids built from the MAC', () => {
    expect(isMacDerived('fe80::fc:ff:fe00:1', '02:fc:00:00:00:01')).toBe(true);
    expect(isMacDerived('fe80::a8bb:ccff:fedd:eeff', 'aa:bb:cc:dd:ee:ff')).toBe(true);
    expect(isMacDerived('fe80::a8bb:ccff:fedd:eeff', 'aa:bb:cc:dd:ee:00')).toBe(false);
    expect(isMacDerived('fd00::2', '02:fc:00:00:00:01')).toBe(false);
    expect(isMacDerived('fe80::fc:ff:fe00:1', null)).toBe(false);
  });

  it('gives the /64 network', () => {
    expect(ipv6Network64('fe80::fc:ff:fe00:1')).toBe('fe80::/64');
    expect(ipv6Network64('2001:db8:1:2:a8bb:ccff:fedd:eeff')).toBe('2001:db8:1:2::/64');
    expect(ipv6Network64('::1')).toBe('::/64');
    expect(ipv6Network64('nonsense')).toBeNull();
  });
});

describe('readInterfaces on this machine', () => {
  it('lists every interface Node knows, with its addresses', async () => {
    const interfaces = await readInterfaces();
    const fromOs = os.networkInterfaces();
    for (const [name, entries] of Object.entries(fromOs)) {
      const found = interfaces.find((entry) => entry.name === name);
      expect(found?.addresses.map((address) => address.address).sort()).toEqual(
        (entries ?? []).map((entry) => entry.address).sort(),
      );
    }
    const loopback = interfaces.find((entry) => entry.addresses.some((address) => address.address === '127.0.0.1'));
    expect(loopback).toMatchObject({ internal: true, mac: null });
    for (const entry of interfaces) {
      if (entry.mac !== null) expect(entry.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      if (entry.mtu !== null) expect(entry.mtu).toBeGreaterThan(0);
    }
    expect(interfaces.map((entry) => entry.name)).toEqual([...interfaces.map((entry) => entry.name)].sort());
  });
});
