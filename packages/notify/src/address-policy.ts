/**
 * Which addresses outbound requests may reach: public unicast only, unless
 * the operator allows a range (ALLOW_PRIVATE_TARGETS). Pure: a function of
 * the address and the allowed ranges.
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Allowed CIDR ranges, parsed once. */
export type AllowedRanges = ReadonlyArray<[Address, number]>;

/** Parses CIDR ranges (`10.0.0.0/8`, `fd00::/8`); a bare address means just that address. Throws on anything else. */
export function parseRanges(cidrs: readonly string[]): AllowedRanges {
  return cidrs.map((cidr) => {
    if (cidr.includes('/')) return ipaddr.parseCIDR(cidr);
    const address = ipaddr.parse(cidr);
    return [address, address.kind() === 'ipv4' ? 32 : 128] as [Address, number];
  });
}

/** IPv6 global unicast (RFC 4291): everything public lives in 2000::/3. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * Why an address may not be reached, in words (`loopback`, `private`,
 * `link-local`, …), or null when it may. IPv4-mapped (`::ffff:127.0.0.1`)
 * and IPv4-compatible (`::127.0.0.1`) forms are judged as the IPv4 address
 * they carry.
 */
export function refusalOf(text: string, allowed: AllowedRanges): string | null {
  let address: Address;
  try {
    // process() turns ::ffff:a.b.c.d into a.b.c.d.
    address = ipaddr.process(text);
  } catch {
    return 'not an address';
  }
  if (address.kind() === 'ipv6') {
    const parts = (address as ipaddr.IPv6).parts;
    // ::a.b.c.d (deprecated IPv4-compatible) reaches a.b.c.d on some stacks; ipaddr.js calls it unicast.
    if (parts.slice(0, 6).every((part) => part === 0) && !(parts[6] === 0 && parts[7]! <= 1)) {
      address = ipaddr.IPv4.parse(`${parts[6]! >> 8}.${parts[6]! & 0xff}.${parts[7]! >> 8}.${parts[7]! & 0xff}`);
    }
  }
  if (allowed.some(([range, bits]) => range.kind() === address.kind() && address.match(range as never, bits))) return null;
  const range = address.range();
  if (address.kind() === 'ipv4') return range === 'unicast' ? null : (RANGE_NAMES[range] ?? range);
  if (range === 'unicast' && address.match(GLOBAL_UNICAST)) return null;
  return RANGE_NAMES[range] ?? (range === 'unicast' ? 'not global unicast' : range);
}

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  uniqueLocal: 'unique-local',
  ipv4Mapped: 'IPv4-mapped',
  rfc6052: 'NAT64',
  rfc6145: 'IPv4-translated',
  '6to4': '6to4',
  teredo: 'Teredo',
  deprecatedSiteLocal: 'site-local',
};
