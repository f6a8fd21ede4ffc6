import type { HeaderEntry } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import type { Passes } from './judge.js';
import type { Leg } from './legs.js';
import { addressSpaceOf, privateNetworkTarget } from './private-network.js';

const EVIL = 'https://cp1.example';

function preflight(headers: readonly HeaderEntry[], passes: Partial<Passes> = {}): Leg {
  return {
    summary: {
      method: 'OPTIONS',
      requestMethod: 'GET',
      sent: true,
      status: 204,
      acao: null,
      acac: null,
      vary: null,
      acam: null,
      acah: null,
      maxAge: null,
      location: null,
      redirects: 0,
      passes: { omit: true, include: false, wildcard: false, ...passes },
      failure: null,
      error: null,
    },
    evidence: [],
    final: null,
    answer: null,
    preflight: { status: 204, headers },
    result: null,
    error: null,
    requests: 1,
  };
}

const OPEN: readonly HeaderEntry[] = [
  ['Access-Control-Allow-Origin', EVIL],
  ['Access-Control-Allow-Private-Network', 'true'],
];

describe('addressSpaceOf', () => {
  it.each([
    ['http://127.0.0.1:8080/', 'non-public'],
    ['http://localhost/', 'non-public'],
    ['http://192.168.1.1/', 'non-public'],
    ['http://10.1.2.3/', 'non-public'],
    ['http://172.20.0.1/', 'non-public'],
    ['http://169.254.169.254/', 'non-public'],
    ['http://[::1]/', 'non-public'],
    ['http://[fd00::1]/', 'non-public'],
    ['http://8.8.8.8/', 'public'],
    ['http://172.32.0.1/', 'public'],
    ['https://router.example/', 'name'],
  ])('%s is %s', (url, space) => {
    expect(addressSpaceOf(new URL(url))).toBe(space);
  });
});

describe('privateNetworkTarget', () => {
  it('reports an untrusted origin let into a private address at medium', () => {
    const f = privateNetworkTarget(new URL('http://192.168.1.1/'), [
      { origin: EVIL, leg: preflight(OPEN) },
    ]);
    expect(f?.id).toBe('private-network-target');
    expect(f?.severity).toBe('medium');
    expect(f?.message).toContain('192.168.1.1 is a private or local address');
  });

  it('raises it to high when the preflight passes for credentialed requests', () => {
    const leg = preflight([...OPEN, ['Access-Control-Allow-Credentials', 'true']], {
      include: true,
    });
    const f = privateNetworkTarget(new URL('http://10.0.0.1/'), [{ origin: EVIL, leg }]);
    expect(f?.severity).toBe('high');
  });

  it('keeps a public address at info: no browser sends the preflight there', () => {
    const f = privateNetworkTarget(new URL('http://8.8.8.8/'), [
      { origin: EVIL, leg: preflight(OPEN) },
    ]);
    expect(f?.severity).toBe('info');
  });

  it('does not report a preflight without the header, or one the CORS check refuses', () => {
    const url = new URL('http://127.0.0.1/');
    const none = (headers: readonly HeaderEntry[], passes: Partial<Passes> = {}) =>
      privateNetworkTarget(url, [{ origin: EVIL, leg: preflight(headers, passes) }]);
    expect(none([['Access-Control-Allow-Origin', EVIL]])).toBeNull();
    expect(none(OPEN, { omit: false })).toBeNull();
  });

  it('reports * with the header: on a private address that is what the network protected', () => {
    const leg = preflight(
      [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Private-Network', 'true'],
      ],
      { wildcard: true },
    );
    const f = privateNetworkTarget(new URL('http://127.0.0.1/'), [{ origin: EVIL, leg }]);
    expect(f?.message).toContain('is accepted (through *)');
  });
});
