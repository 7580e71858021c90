/**
 * Which IP addresses a fetch may connect to. Everything that is not plain public unicast is refused by default:
 * loopback, RFC 1918, link-local, CGNAT, multicast, unspecified, documentation and reserved ranges, unique-local
 * IPv6, and every IPv6 form that carries an IPv4 address (mapped, compatible, NAT64, 6to4) is judged by the IPv4
 * address inside it. Cloud metadata endpoints stay refused even when private networks are allowed.
 */
import { createRequire } from 'node:module';
import type ipaddr from 'ipaddr.js';

let loaded: typeof ipaddr | undefined;
/** ipaddr.js, loaded by the first address to judge (a few ms of a server's start otherwise). */
function ip(): typeof ipaddr {
  loaded ??= createRequire(import.meta.url)('ipaddr.js') as typeof ipaddr;
  return loaded;
}

/** Why an address is not public; `public` when it is. */
export type AddressRange =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'unique-local'
  | 'cloud-metadata'
  | 'ipv4-embedded'
  | 'invalid';

/** Plain words for each range, for error messages. */
export const RANGE_DESCRIPTIONS: Readonly<Record<AddressRange, string>> = {
  public: 'a public address',
  loopback: 'a loopback address (this machine)',
  private: 'a private network address (RFC 1918)',
  'link-local': 'a link-local address',
  'carrier-grade-nat': 'a carrier-grade NAT address (100.64.0.0/10)',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address (it reaches this machine)',
  broadcast: 'the broadcast address',
  reserved: 'a reserved or documentation-only address',
  'unique-local': 'a unique-local IPv6 address (a private network)',
  'cloud-metadata': 'a cloud metadata endpoint',
  'ipv4-embedded': 'an IPv6 form of an IPv4 address that is not public',
  invalid: 'not a valid IP address',
};

const METADATA_ADDRESSES: readonly string[] = [
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean and others
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.253', // AWS DNS resolver
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud (legacy)
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::253',
];

const IPV4_RANGE_NAMES: Readonly<Record<string, AddressRange>> = {
  unicast: 'public',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade-nat',
  private: 'private',
  reserved: 'reserved',
  as112: 'reserved',
  amt: 'reserved',
};

// IPv6 ranges ipaddr.js names that are ordinary routable unicast.
const IPV6_PUBLIC_RANGES = new Set(['unicast']);

function isMetadata(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  const text = address.toNormalizedString();
  return METADATA_ADDRESSES.some((candidate) => {
    const parsed = ip().parse(candidate);
    return parsed.kind() === address.kind() && parsed.toNormalizedString() === text;
  });
}

function classifyV4(address: ipaddr.IPv4): AddressRange {
  if (isMetadata(address)) return 'cloud-metadata';
  return IPV4_RANGE_NAMES[address.range()] ?? 'reserved';
}

/** The IPv4 address carried inside an IPv6 address (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts.map((part) => part ?? 0);
  const part = (index: number): number => parts[index] ?? 0;
  const range = address.range();
  const low32 = (): ipaddr.IPv4 => new (ip().IPv4)([part(6) >> 8, part(6) & 0xff, part(7) >> 8, part(7) & 0xff]);
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return low32();
  if (range === '6to4') {
    return new (ip().IPv4)([part(1) >> 8, part(1) & 0xff, part(2) >> 8, part(2) & 0xff]);
  }
  // IPv4-compatible (::a.b.c.d, deprecated): the first 96 bits are zero, and it is neither :: nor ::1.
  if (parts.slice(0, 6).every((part) => part === 0) && range !== 'unspecified' && range !== 'loopback') {
    return low32();
  }
  return undefined;
}

function classifyV6(address: ipaddr.IPv6): AddressRange {
  if (isMetadata(address)) return 'cloud-metadata';
  const embedded = embeddedIPv4(address);
  if (embedded) {
    const inner = classifyV4(embedded);
    if (inner === 'public') return 'public';
    return inner === 'cloud-metadata' ? 'cloud-metadata' : 'ipv4-embedded';
  }
  const range: string = address.range();
  if (IPV6_PUBLIC_RANGES.has(range)) return 'public';
  switch (range) {
    case 'loopback':
      return 'loopback';
    case 'unspecified':
      return 'unspecified';
    case 'linkLocal':
      return 'link-local';
    case 'multicast':
      return 'multicast';
    case 'uniqueLocal':
    case 'deprecatedSiteLocal':
      return 'unique-local';
    default:
      // teredo, benchmarking, discard, orchid, as112v6, amt, reserved…: not somewhere a fetch should go.
      return 'reserved';
  }
}

/** Parse an IP literal (without brackets or zone id); undefined when it is not one. */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const withoutZone = bare.split('%')[0] ?? bare;
  // ipaddr.isValid accepts odd IPv4 forms (hex, octal, fewer parts); URLs are normalised before they get here, and
  // DNS answers are canonical, so accept only what a canonical address looks like.
  if (ip().IPv4.isValidFourPartDecimal(withoutZone)) return ip().IPv4.parse(withoutZone);
  if (ip().IPv6.isValid(withoutZone)) return ip().IPv6.parse(withoutZone);
  return undefined;
}

/** Classify an IP address: `public`, or the kind of special range it sits in. */
export function classifyAddress(text: string): AddressRange {
  const address = parseIp(text);
  if (!address) return 'invalid';
  return address.kind() === 'ipv4' ? classifyV4(address as ipaddr.IPv4) : classifyV6(address as ipaddr.IPv6);
}

/** True for an IP address or CIDR range that ipaddr.js understands (used to validate config). */
export function isValidCidrOrAddress(text: string): boolean {
  if (text.includes('/')) {
    try {
      ip().parseCIDR(text);
      return true;
    } catch {
      return false;
    }
  }
  return parseIp(text) !== undefined;
}

/** Options of {@link createAddressPolicy}. */
export interface AddressPolicyOptions {
  /** Allow every non-public range except cloud metadata. */
  allowPrivateNetwork?: boolean;
  /** Addresses or CIDR ranges allowed whatever their range (the only way to reach a metadata address). */
  allowAddresses?: readonly string[];
}

/** The verdict on one address. */
export interface AddressVerdict {
  allowed: boolean;
  /** The address as checked (canonical form). */
  address: string;
  range: AddressRange;
}

/** Decides whether a resolved address may be connected to. */
export interface AddressPolicy {
  check(address: string): AddressVerdict;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

function toCidr(text: string): Cidr {
  if (text.includes('/')) return ip().parseCIDR(text);
  const address = parseIp(text);
  if (!address) throw new TypeError(`Not an IP address or CIDR range: ${text}`);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

function inCidr(address: ipaddr.IPv4 | ipaddr.IPv6, [base, bits]: Cidr): boolean {
  if (address.kind() !== base.kind()) {
    // Let an IPv4 allowance cover the IPv4-mapped IPv6 form of the same address.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
      return inCidr((address as ipaddr.IPv6).toIPv4Address(), [base, bits]);
    }
    return false;
  }
  return (address as ipaddr.IPv4).match(base as ipaddr.IPv4, bits);
}

/**
 * Build the address policy. `check` is pure and cheap; it runs on every resolved address of every hop.
 *
 * @example
 * const policy = createAddressPolicy({ allowAddresses: ['127.0.0.1/32'] });
 * policy.check('127.0.0.1').allowed; // true
 * policy.check('10.0.0.1').allowed;  // false: private
 */
export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allowed = (options.allowAddresses ?? []).map(toCidr);
  return {
    check(text) {
      const address = parseIp(text);
      if (!address) return { allowed: false, address: text, range: 'invalid' };
      const canonical = address.toString();
      const range = classifyAddress(canonical);
      if (range === 'public') return { allowed: true, address: canonical, range };
      if (allowed.some((cidr) => inCidr(address, cidr))) return { allowed: true, address: canonical, range };
      if (options.allowPrivateNetwork && range !== 'cloud-metadata' && range !== 'invalid') {
        return { allowed: true, address: canonical, range };
      }
      return { allowed: false, address: canonical, range };
    },
  };
}
