import { describe, expect, it } from 'vitest';
import { classifyAddress, createAddressPolicy, isValidCidrOrAddress } from './address-policy.js';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['169.254.169.254', 'cloud-metadata'],
    ['fd00:ec2::254', 'cloud-metadata'],
    ['100.100.100.200', 'cloud-metadata'],
  ])('%s is %s', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it('judges IPv6 forms of IPv4 addresses by the IPv4 address inside', () => {
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('ipv4-embedded');
    expect(classifyAddress('::ffff:7f00:1')).toBe('ipv4-embedded');
    expect(classifyAddress('::ffff:10.0.0.1')).toBe('ipv4-embedded');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('cloud-metadata');
    expect(classifyAddress('::7f00:1')).toBe('ipv4-embedded'); // IPv4-compatible
    expect(classifyAddress('64:ff9b::a00:1')).toBe('ipv4-embedded'); // NAT64 of 10.0.0.1
    expect(classifyAddress('2002:7f00:1::')).toBe('ipv4-embedded'); // 6to4 of 127.0.0.1
    expect(classifyAddress('::ffff:8.8.8.8')).toBe('public');
    expect(classifyAddress('64:ff9b::808:808')).toBe('public');
  });

  it('rejects what is not a canonical address', () => {
    expect(classifyAddress('0x7f.0.0.1')).toBe('invalid');
    expect(classifyAddress('2130706433')).toBe('invalid');
    expect(classifyAddress('example.com')).toBe('invalid');
  });
});

describe('createAddressPolicy', () => {
  it('allows only public addresses by default', () => {
    const policy = createAddressPolicy();
    expect(policy.check('8.8.8.8').allowed).toBe(true);
    expect(policy.check('127.0.0.1')).toEqual({ allowed: false, address: '127.0.0.1', range: 'loopback' });
    expect(policy.check('[::1]').allowed).toBe(false);
    expect(policy.check('fe80::1%eth0').allowed).toBe(false);
  });

  it('allowPrivateNetwork lifts the private ranges but never cloud metadata', () => {
    const policy = createAddressPolicy({ allowPrivateNetwork: true });
    expect(policy.check('10.1.2.3').allowed).toBe(true);
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('169.254.169.254').allowed).toBe(false);
    expect(policy.check('fd00:ec2::254').allowed).toBe(false);
  });

  it('allowAddresses opens exactly the listed ranges, IPv4-mapped forms included', () => {
    const policy = createAddressPolicy({ allowAddresses: ['127.0.0.1/32', '10.20.0.0/16'] });
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('::ffff:127.0.0.1').allowed).toBe(true);
    expect(policy.check('127.0.0.2').allowed).toBe(false);
    expect(policy.check('10.20.9.9').allowed).toBe(true);
    expect(policy.check('10.21.0.1').allowed).toBe(false);
    expect(policy.check('169.254.169.254').allowed).toBe(false);
  });

  it('validates config entries', () => {
    expect(isValidCidrOrAddress('10.0.0.0/8')).toBe(true);
    expect(isValidCidrOrAddress('::1')).toBe(true);
    expect(isValidCidrOrAddress('fd00::/8')).toBe(true);
    expect(isValidCidrOrAddress('10.0.0.0/33')).toBe(false);
    expect(isValidCidrOrAddress('localhost')).toBe(false);
  });
});
