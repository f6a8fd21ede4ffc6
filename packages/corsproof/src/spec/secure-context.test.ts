import { describe, expect, it } from 'vitest';
import { parseHost } from './host.js';
import { OPAQUE_ORIGIN, originOfUrl } from './origin.js';
import {
  isLoopbackHost,
  isPotentiallyTrustworthyOrigin,
  isPotentiallyTrustworthyUrl,
} from './secure-context.js';

/**
 * One definition of loopback, for hosts as the URL parser serializes them. The rows marked "was"
 * are where the four earlier copies (the checker's gates, the policy's origin patterns, the
 * service's target policy and its Host guard) answered differently.
 */
const LOOPBACK_HOSTS: ReadonlyArray<readonly [string, boolean]> = [
  // 127.0.0.0/8
  ['127.0.0.1', true],
  ['127.0.0.2', true],
  ['127.255.255.255', true],
  ['127.0.0.0', true],
  ['127.9.9.9', true],
  ['127.255.0.9', true],
  ['128.0.0.1', false],
  ['126.255.255.255', false],
  ['10.0.0.1', false],
  ['0.0.0.0', false],
  ['1.127.0.0', false],
  // Not IPv4 as the serializer writes it (was true in the checker or the policy): never a host.
  ['127.00.0.1', false],
  ['127.0.0.01', false],
  ['127.999.0.1', false],
  ['127.0.0.256', false],
  ['127.0.0', false],
  ['127.0.0.1.5', false],
  ['127.0.0.', false],
  ['127..0.1', false],
  // A domain name that starts like an address is not one.
  ['127.0.0.1.example', false],
  ['127.example', false],
  // ::1/128
  ['[::1]', true],
  ['[::2]', false],
  ['[::]', false],
  // IPv4-mapped 127.0.0.1 is outside ::1/128 (was true in the target policy).
  ['[::ffff:7f00:1]', false],
  ['[::127.0.0.1]', false],
  // Unbracketed or uncompressed IPv6 is not serialized (was true in the target policy and Host guard).
  ['::1', false],
  ['[0:0:0:0:0:0:0:1]', false],
  // localhost names
  ['localhost', true],
  ['app.localhost', true],
  ['a.b.localhost', true],
  // Trailing dots (was false everywhere but in the target policy's hostname rules).
  ['localhost.', true],
  ['app.localhost.', true],
  ['localhost.example.com', false],
  ['evillocalhost', false],
  ['localhost.evil', false],
  ['localhostx', false],
  // Upper case is not serialized (was true in the checker and the Host guard).
  ['LOCALHOST', false],
  ['App.LocalHost', false],
  ['', false],
];

describe('isLoopbackHost', () => {
  it.each(LOOPBACK_HOSTS)('says %j is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it.each([
    ['LOCALHOST', true],
    ['127.1', true],
    ['0x7f.0.0.1', true],
    ['2130706433', true],
    ['::1', true],
    ['[0:0:0:0:0:0:0:1]', true],
    ['::ffff:127.0.0.1', false],
    ['LocalHost.', true],
  ] as const)('answers for %j once parseHost has serialized it: %s', (text, expected) => {
    expect(isLoopbackHost(parseHost(text) ?? '')).toBe(expected);
  });

  it('agrees with the URL parser for every host it serializes', () => {
    for (const [host, expected] of LOOPBACK_HOSTS) {
      const parsed = URL.canParse(`http://${host}/`) ? new URL(`http://${host}/`).hostname : null;
      // Hosts the parser writes as they are keep their answer; the others are never serialized.
      if (parsed === host) expect(isLoopbackHost(parsed)).toBe(expected);
      else expect(expected, host).toBe(false);
    }
  });
});

describe('isPotentiallyTrustworthyOrigin', () => {
  it.each([
    ['https://app.example', true],
    ['wss://app.example', true],
    ['http://app.example', false],
    ['ws://app.example', false],
    ['http://localhost:3000', true],
    ['http://app.localhost', true],
    ['http://127.0.0.1:8080', true],
    ['http://[::1]', true],
    ['http://10.0.0.1', false],
    ['ftp://localhost', true],
  ] as const)('says %s is potentially trustworthy: %s', (origin, expected) => {
    expect(isPotentiallyTrustworthyOrigin(originOfUrl(origin))).toBe(expected);
  });

  it('never trusts an opaque origin', () => {
    expect(isPotentiallyTrustworthyOrigin(OPAQUE_ORIGIN)).toBe(false);
  });

  it('trusts a tuple origin with the file scheme (step 6)', () => {
    const file = { type: 'tuple', scheme: 'file', host: '', port: null } as const;
    expect(isPotentiallyTrustworthyOrigin(file)).toBe(true);
  });
});

describe('isPotentiallyTrustworthyUrl', () => {
  it.each([
    ['https://api.example.com/', true],
    ['http://api.example.com/', false],
    ['http://localhost:8080/', true],
    ['http://LOCALHOST:8080/', true],
    ['http://localhost.:8080/', true],
    ['http://api.localhost/', true],
    ['http://127.0.0.2/', true],
    ['http://127.1/', true],
    ['http://[::1]:3000/', true],
    ['http://[0:0::1]:3000/', true],
    ['http://[::ffff:127.0.0.1]/', false],
    ['http://10.0.0.5/', false],
    ['http://0.0.0.0/', false],
    ['wss://api.example.com/', true],
    ['ws://localhost/', true],
    ['ws://api.example.com/', false],
    ['about:blank', true],
    ['about:blank?x#y', true],
    ['about:srcdoc', true],
    ['about:config', false],
    ['data:text/plain,x', true],
    ['file:///etc/hosts', true],
    ['blob:https://app.example/0b0c', true],
    ['blob:http://app.example/0b0c', false],
    ['blob:http://localhost/0b0c', true],
    ['javascript:void(0)', false],
  ] as const)('says %s is potentially trustworthy: %s', (url, expected) => {
    expect(isPotentiallyTrustworthyUrl(new URL(url))).toBe(expected);
  });
});
