/**
 * The guard's decisions on hostile and ordinary targets, with an injected resolver: nothing here
 * opens a connection or sends a DNS query.
 */
import { describe, expect, it } from 'vitest';
import type { TargetRefusalCode } from './refusal.js';
import type { LookupAddress } from './resolver.js';
import { validateTarget } from './validate-target.js';

/** The only DNS these tests know. A name missing here fails the test rather than reach the network. */
const ZONE: Readonly<Record<string, readonly string[]>> = {
  'public.example': ['93.184.216.34'],
  'dual.example': ['93.184.216.34', '2606:4700::6810:85e5'],
  'api.example.com': ['93.184.216.34'],
  'nat64.example': ['64:ff9b::5db8:d822'],
  'loopback.example': ['127.0.0.1'],
  'loopback6.example': ['::1'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'zero.example': ['0.0.0.0'],
  'metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '10.0.0.1'],
  'mixed6.example': ['2606:4700::6810:85e5', 'fd00:ec2::254'],
  'mapped.example': ['::ffff:a9fe:a9fe'],
  'nat64-private.example': ['64:ff9b::a9fe:a9fe'],
  'cgnat.example': ['100.100.100.200'],
  'empty.example': [],
};

async function lookup(hostname: string): Promise<LookupAddress[]> {
  const answers = ZONE[hostname];
  if (answers === undefined) throw new Error(`test resolver has no record for ${hostname}`);
  return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

/** [target, refusal code, a phrase the reason must contain] */
const HOSTILE: ReadonlyArray<readonly [string, TargetRefusalCode, string]> = [
  // IPv4 spellings the WHATWG parser canonicalizes to loopback
  ['http://2130706433/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://0177.0.0.1/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://0x7f000001/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://0x7f.1/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://127.1/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://%30x7f.1/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://①②⑦.0.0.1/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://０x7f.1/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  ['http://127.0.0.1.:8080/', 'NON_PUBLIC_ADDRESS', '127.0.0.0/8, loopback'],
  // "this network" and unspecified
  ['http://0.0.0.0/', 'NON_PUBLIC_ADDRESS', '0.0.0.0/8, this-network'],
  ['http://0/', 'NON_PUBLIC_ADDRESS', '0.0.0.0/8, this-network'],
  ['http://[::]/', 'NON_PUBLIC_ADDRESS', '::/128, unspecified'],
  ['http://[::ffff:0.0.0.0]/', 'NON_PUBLIC_ADDRESS', 'this-network'],
  // IPv6 loopback and IPv4 wrapped in IPv6
  ['http://[::1]/', 'NON_PUBLIC_ADDRESS', '::1/128, loopback'],
  ['http://[::ffff:127.0.0.1]/', 'NON_PUBLIC_ADDRESS', 'ipv4-mapped 127.0.0.1'],
  ['http://[::ffff:7f00:1]/', 'NON_PUBLIC_ADDRESS', 'ipv4-mapped 127.0.0.1'],
  ['http://[0:0:0:0:0:ffff:127.0.0.1]/', 'NON_PUBLIC_ADDRESS', 'ipv4-mapped 127.0.0.1'],
  ['http://[::ffff:a9fe:a9fe]/', 'NON_PUBLIC_ADDRESS', 'ipv4-mapped 169.254.169.254'],
  ['http://[::127.0.0.1]/', 'NON_PUBLIC_ADDRESS', 'ipv4-compatible'],
  ['http://[64:ff9b::a9fe:a9fe]/', 'NON_PUBLIC_ADDRESS', 'nat64 169.254.169.254'],
  ['http://[2002:a9fe:a9fe::]/', 'NON_PUBLIC_ADDRESS', '2002::/16, 6to4'],
  ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'NON_PUBLIC_ADDRESS', 'teredo'],
  // cloud metadata services
  ['http://169.254.169.254/latest/meta-data/', 'NON_PUBLIC_ADDRESS', 'link-local'],
  ['http://0xa9.0xfe.0xa9.0xfe/', 'NON_PUBLIC_ADDRESS', 'link-local'],
  ['http://[fd00:ec2::254]/latest/meta-data/', 'NON_PUBLIC_ADDRESS', 'fc00::/7, unique-local'],
  ['http://100.100.100.200/latest/meta-data/', 'NON_PUBLIC_ADDRESS', 'shared-address-space'],
  ['http://192.0.0.192/opc/v2/instance/', 'NON_PUBLIC_ADDRESS', 'ietf-protocol-assignments'],
  // private, shared, special-purpose IPv4
  ['http://100.64.0.1/', 'NON_PUBLIC_ADDRESS', '100.64.0.0/10'],
  ['http://192.168.1.1/', 'NON_PUBLIC_ADDRESS', '192.168.0.0/16, private-use'],
  ['http://10.0.0.1/', 'NON_PUBLIC_ADDRESS', '10.0.0.0/8, private-use'],
  ['http://172.31.255.255/', 'NON_PUBLIC_ADDRESS', '172.16.0.0/12, private-use'],
  ['http://224.0.0.1/', 'NON_PUBLIC_ADDRESS', 'multicast'],
  ['http://240.0.0.1/', 'NON_PUBLIC_ADDRESS', '240.0.0.0/4, reserved'],
  ['http://255.255.255.255/', 'NON_PUBLIC_ADDRESS', 'limited-broadcast'],
  ['http://198.18.0.1/', 'NON_PUBLIC_ADDRESS', 'benchmarking'],
  ['http://192.0.2.1/', 'NON_PUBLIC_ADDRESS', '192.0.2.0/24, documentation'],
  // special-purpose IPv6
  ['http://[fe80::1]/', 'NON_PUBLIC_ADDRESS', 'fe80::/10, link-local'],
  ['http://[ff02::1]/', 'NON_PUBLIC_ADDRESS', 'ff00::/8, multicast'],
  ['http://[fec0::1]/', 'NON_PUBLIC_ADDRESS', 'site-local'],
  ['http://[2001:db8::1]/', 'NON_PUBLIC_ADDRESS', 'documentation'],
  // credentials, schemes, ports
  ['https://user:pass@example.com/', 'CREDENTIALS_IN_URL', 'user name or password'],
  ['http://public.example@127.0.0.1/', 'CREDENTIALS_IN_URL', 'user name or password'],
  ['file:///etc/passwd', 'UNSUPPORTED_SCHEME', '"file:"'],
  ['ftp://example.com/', 'UNSUPPORTED_SCHEME', '"ftp:"'],
  ['gopher://127.0.0.1:6379/_INFO', 'UNSUPPORTED_SCHEME', '"gopher:"'],
  ['dict://127.0.0.1:11211/stat', 'UNSUPPORTED_SCHEME', '"dict:"'],
  ['javascript:alert(1)', 'UNSUPPORTED_SCHEME', '"javascript:"'],
  ['data:text/plain,hi', 'UNSUPPORTED_SCHEME', '"data:"'],
  ['http://public.example:25/', 'BAD_PORT', 'port 25'],
  ['http://public.example:6000/', 'BAD_PORT', 'port 6000'],
  ['https://public.example:22/', 'BAD_PORT', 'port 22'],
  ['http://[::1%25eth0]/', 'INVALID_URL', 'not a valid URL'],
  // local names
  ['http://localhost/', 'NON_PUBLIC_HOSTNAME', 'RFC 6761'],
  ['http://foo.localhost:3000/', 'NON_PUBLIC_HOSTNAME', 'RFC 6761'],
  ['http://LOCALHOST./', 'NON_PUBLIC_HOSTNAME', 'RFC 6761'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'NON_PUBLIC_HOSTNAME', '.internal'],
  ['http://metadata/computeMetadata/v1/', 'NON_PUBLIC_HOSTNAME', 'search domains'],
  ['http://kubernetes.default.svc.cluster.local/', 'NON_PUBLIC_HOSTNAME', '.local'],
  // names whose records point inside
  ['http://loopback.example/', 'NON_PUBLIC_ADDRESS', '"loopback.example" resolves to'],
  ['http://loopback6.example/', 'NON_PUBLIC_ADDRESS', '::1/128, loopback'],
  ['http://127.0.0.1.nip.io/', 'NON_PUBLIC_ADDRESS', 'loopback'],
  ['http://zero.example/', 'NON_PUBLIC_ADDRESS', 'this-network'],
  ['http://metadata.example/', 'NON_PUBLIC_ADDRESS', '169.254.0.0/16, link-local'],
  ['http://mixed.example/', 'NON_PUBLIC_ADDRESS', '"10.0.0.1"'],
  ['http://mixed6.example/', 'NON_PUBLIC_ADDRESS', '"fd00:ec2::254"'],
  ['http://mapped.example/', 'NON_PUBLIC_ADDRESS', 'ipv4-mapped 169.254.169.254'],
  ['http://nat64-private.example/', 'NON_PUBLIC_ADDRESS', 'nat64 169.254.169.254'],
  ['http://cgnat.example/', 'NON_PUBLIC_ADDRESS', 'shared-address-space'],
  ['http://empty.example/', 'NO_ADDRESSES', 'resolved to no address'],
];

describe('validateTarget refuses hostile targets', () => {
  it('has a table of at least 40 targets', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE)('%s → %s', async (target, code, phrase) => {
    const result = await validateTarget(target, { lookup });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(code);
    expect(result.reason).toMatch(/^corsproof: /);
    expect(result.reason).toContain(phrase);
  });

  it('names the opt-in in every address and host-name refusal', async () => {
    for (const [target, code] of HOSTILE) {
      if (code !== 'NON_PUBLIC_ADDRESS' && code !== 'NON_PUBLIC_HOSTNAME') continue;
      const result = await validateTarget(target, { lookup });
      expect(!result.ok && result.reason).toContain('corsproof serve --allow-private-targets');
    }
  });
});

describe('validateTarget accepts public targets', () => {
  it.each([
    ['http://93.184.216.34/', ['93.184.216.34']],
    ['https://[2606:4700::6810:85e5]/', ['2606:4700::6810:85e5']],
    ['http://[::ffff:93.184.216.34]/', ['::ffff:5db8:d822']],
    ['https://public.example/', ['93.184.216.34']],
    ['https://dual.example/path?q=1', ['93.184.216.34', '2606:4700::6810:85e5']],
    ['https://api.example.com:8443/', ['93.184.216.34']],
    ['http://nat64.example/', ['64:ff9b::5db8:d822']],
  ] as const)('%s', async (target, addresses) => {
    const result = await validateTarget(target, { lookup });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.addresses.map((a) => a.address)).toEqual(addresses);
  });
});

describe('validateTarget with allowPrivateTargets', () => {
  it.each([
    'http://127.0.0.1:3000/',
    'http://[::1]:3000/',
    'http://localhost:5173/',
    'http://loopback.example/',
  ])('accepts %s for local use', async (target) => {
    const result = await validateTarget(target, {
      allowPrivateTargets: true,
      lookup: async (hostname) =>
        hostname === 'localhost' ? [{ address: '127.0.0.1', family: 4 }] : lookup(hostname),
    });
    expect(result.ok).toBe(true);
  });

  it('still refuses schemes, credentials and bad ports', async () => {
    for (const target of ['file:///etc/passwd', 'http://u:p@127.0.0.1/', 'http://127.0.0.1:25/']) {
      expect((await validateTarget(target, { allowPrivateTargets: true, lookup })).ok).toBe(false);
    }
  });
});
