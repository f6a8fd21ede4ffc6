import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { classifyAddress, describeRefusedAddress, type RefusedAddress } from './address-policy.js';

function refused(ip: string): RefusedAddress {
  const verdict = classifyAddress(ip);
  if (verdict.allowed) throw new Error(`${ip} was allowed`);
  return verdict;
}

/** [address, id of the range that refuses it] */
const REFUSED: ReadonlyArray<readonly [string, string]> = [
  ['0.0.0.0', 'this-network'],
  ['0.1.2.3', 'this-network'],
  ['10.0.0.1', 'private-use'],
  ['10.255.255.255', 'private-use'],
  ['100.64.0.1', 'shared-address-space'],
  ['100.100.100.200', 'shared-address-space'],
  ['100.127.255.255', 'shared-address-space'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.16.0.1', 'private-use'],
  ['172.31.255.255', 'private-use'],
  ['192.0.0.192', 'ietf-protocol-assignments'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', '6to4-relay-anycast'],
  ['192.168.1.1', 'private-use'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'limited-broadcast'],
  // Not in our table but not unicast for ipaddr.js either (AS112 anycast): both must agree.
  ['192.175.48.1', 'as112'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:a9fe:a9fe', 'link-local'],
  ['::ffff:10.0.0.1', 'private-use'],
  ['::7f00:1', 'ipv4-compatible'],
  ['::5db8:d822', 'ipv4-compatible'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b:1::5db8:d822', 'nat64-local-use'],
  ['100::1', 'discard-only'],
  ['2001::1', 'teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
  ['2001:2::1', 'ietf-protocol-assignments'],
  ['2001:db8::1', 'documentation'],
  ['2002:a9fe:a9fe::', '6to4'],
  ['2002:5db8:d822::1', '6to4'],
  ['3fff::1', 'documentation'],
  ['5f00::1', 'segment-routing'],
  ['fc00::1', 'unique-local'],
  ['fd00:ec2::254', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['::ffff:0:7f00:1', 'not-global-unicast'],
  ['4000::1', 'not-global-unicast'],
  ['2620:4f:8000::1', 'as112v6'],
];

const ALLOWED = [
  '93.184.216.34',
  '1.1.1.1',
  '8.8.8.8',
  '100.63.255.255', // just below 100.64/10
  '100.128.0.0', // just above
  '172.15.255.255', // just below 172.16/12
  '172.32.0.0', // just above
  '169.253.255.255',
  '192.0.1.1',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255', // the last address before multicast
  '2606:4700::6810:85e5',
  '2a00:1450:4001:80b::200e',
  '2001:4860:4860::8888', // Google DNS: 2001:4860 is outside 2001::/23
  '::ffff:93.184.216.34', // mapped public: the socket reaches 93.184.216.34
  '64:ff9b::5db8:d822', // NAT64 of 93.184.216.34, as DNS64 synthesizes it
];

describe('classifyAddress', () => {
  it.each(REFUSED)('refuses %s (%s)', (ip, id) => {
    expect(refused(ip).range.id).toBe(id);
  });

  it.each(ALLOWED)('allows %s', (ip) => {
    expect(classifyAddress(ip)).toEqual({
      allowed: true,
      address: ip,
      family: ip.includes(':') ? 6 : 4,
    });
  });

  it.each([
    '0177.0.0.1',
    '2130706433',
    '0x7f000001',
    '127.1',
    '[::1]',
    'localhost',
    '',
    ' 127.0.0.1',
  ])('refuses %j as not an IP address: only strict forms are classified', (input) => {
    const verdict = refused(input);
    expect(verdict.range.id).toBe('not-an-ip-address');
    expect(verdict.family).toBeNull();
  });

  it('refuses a zoned address even when the base is global', () => {
    expect(refused('2606:4700::6810:85e5%eth0').range.id).toBe('scoped-address');
  });

  it('names the embedded address of a mapped or NAT64 address', () => {
    expect(refused('::ffff:a9fe:a9fe').embedded).toEqual({
      address: '169.254.169.254',
      via: { id: 'ipv4-mapped', cidr: '::ffff:0:0/96', reference: 'RFC 4291 §2.5.5.2' },
    });
    expect(refused('64:ff9b::a9fe:a9fe').embedded?.via.id).toBe('nat64');
  });

  it('describes a refusal with the range, its CIDR and its reference', () => {
    expect(describeRefusedAddress(refused('10.1.2.3'))).toBe(
      '"10.1.2.3" is in 10.0.0.0/8, private-use (RFC 1918)',
    );
    expect(describeRefusedAddress(refused('::ffff:7f00:1'))).toBe(
      '"::ffff:7f00:1" (ipv4-mapped 127.0.0.1) is in 127.0.0.0/8, loopback (RFC 1122 §3.2.1.3)',
    );
    expect(describeRefusedAddress(refused('nope'))).toBe('"nope" is not an IP address');
    expect(describeRefusedAddress(refused('4000::1'))).toBe(
      '"4000::1" is outside 2000::/3, the only global unicast block (RFC 4291 §2.4, IANA IPv6 Address Space)',
    );
    expect(describeRefusedAddress(refused('192.175.48.1'))).toBe(
      '"192.175.48.1" is in the special-purpose range "as112" (as ipaddr.js classifies it)',
    );
  });
});

describe('classifyAddress invariants', () => {
  const ipv4 = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((octets) => octets.join('.'));

  it('decides an IPv4 address and its IPv4-mapped forms alike', () => {
    fc.assert(
      fc.property(ipv4, (ip) => {
        const hex = ipaddr.IPv4.parse(ip).toIPv4MappedAddress().toString();
        const verdict = classifyAddress(ip).allowed;
        expect(classifyAddress(`::ffff:${ip}`).allowed).toBe(verdict);
        expect(classifyAddress(hex).allowed).toBe(verdict);
        expect(classifyAddress(`64:ff9b::${ip}`).allowed).toBe(verdict);
      }),
    );
  });

  it('never allows what ipaddr.js does not call unicast', () => {
    const ipv6 = fc
      .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
      .map((parts) => parts.map((p) => p.toString(16)).join(':'));
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), (ip) => {
        if (!classifyAddress(ip).allowed) return;
        const range = ipaddr.process(ip).range();
        // NAT64 of a public IPv4 address is the one non-unicast range we deliberately allow.
        expect(range === 'unicast' || range === 'rfc6052').toBe(true);
      }),
    );
  });

  it('refuses every address inside a refused IPv4 block', () => {
    fc.assert(
      fc.property(fc.nat(0xffff), (n) => {
        for (const prefix of ['10.0', '127.0', '169.254', '192.168', '100.64']) {
          expect(classifyAddress(`${prefix}.${n >> 8}.${n & 0xff}`).allowed).toBe(false);
        }
      }),
    );
  });
});
