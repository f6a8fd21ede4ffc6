import { describe, expect, it } from 'vitest';
import { type OriginSpecResult, parseOriginSpec } from './origin-pattern.js';

describe('parseOriginSpec', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com', 'app.example.com'],
    ['HTTPS://APP.Example.COM', 'https://app.example.com', 'app.example.com'],
    ['http://localhost:3000', 'http://localhost:3000', 'localhost'],
    ['http://[::1]:3000', 'http://[::1]:3000', '[::1]'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080', '127.0.0.1'],
    ['https://xn--bcher-kva.example', 'https://xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['https://app.example.com.', 'https://app.example.com.', 'app.example.com.'],
  ])('reads %s as the exact origin %s', (input, serialized, host) => {
    const r = parseOriginSpec(input);
    expect(r).toEqual({
      ok: true,
      spec: { kind: 'exact', serialized, scheme: serialized.split(':')[0], host },
    });
  });

  it.each([
    ['https://*.example.com', 'https', 'example.com', true, null, 'https://*.example.com'],
    [
      'https://*.Example.COM:8443',
      'https',
      'example.com',
      true,
      8443,
      'https://*.example.com:8443',
    ],
    ['https://*.example.com:*', 'https', 'example.com', true, '*', 'https://*.example.com:*'],
    ['http://localhost:*', 'http', 'localhost', false, '*', 'http://localhost:*'],
    ['http://[::1]:*', 'http', '[::1]', false, '*', 'http://[::1]:*'],
    ['http://*.localhost:*', 'http', 'localhost', true, '*', 'http://*.localhost:*'],
    ['https://*.com', 'https', 'com', true, null, 'https://*.com'],
    ['https://*.example.com.', 'https', 'example.com.', true, null, 'https://*.example.com.'],
  ] as const)('reads %s as a pattern', (input, scheme, host, anySubdomain, port, canonical) => {
    expect(parseOriginSpec(input)).toEqual({
      ok: true,
      spec: { kind: 'pattern', scheme, host, anySubdomain, port, canonical },
    });
  });

  it.each([
    ['null', 'null'],
    ['file://host', 'null'],
    ['https://bücher.example', 'not-ascii'],
    ['https://app.example.com:443', 'default-port'],
    ['https://*.example.com:443', 'default-port'],
    ['http://0x7f.1', 'not-canonical'],
    ['http://[::0001]', 'not-canonical'],
    ['https://*', 'bad-pattern'],
    ['https://*.', 'bad-pattern'],
    ['https://*..', 'bad-pattern'],
    ['https://*..example.com', 'bad-pattern'],
    ['https://*.a..example.com', 'bad-pattern'],
    ['https://a.*.example.com', 'bad-pattern'],
    ['https://*.*.example.com', 'bad-pattern'],
    ['http*://example.com', 'bad-pattern'],
    ['https://example.com:*/', 'bad-pattern'],
    ['https://example.com/', 'invalid'],
    ['https://*.example.com/', 'invalid'],
    ['https://user@*.example.com', 'bad-pattern'],
    ['example.com', 'invalid'],
    ['*.example.com', 'bad-pattern'],
  ])('refuses %s as %s', (input, kind) => {
    const r: OriginSpecResult = parseOriginSpec(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.kind).toBe(kind);
  });

  it('gives the canonical spelling with a default-port or non-canonical problem', () => {
    expect(parseOriginSpec('HTTP://LOCALHOST:80')).toEqual({
      ok: false,
      problem: { kind: 'default-port', canonical: 'http://localhost' },
    });
    expect(parseOriginSpec('http://0x7f.1:*')).toEqual({
      ok: false,
      problem: { kind: 'not-canonical', canonical: 'http://127.0.0.1:*' },
    });
  });

  it('gives back the same spec when its canonical form is parsed again', () => {
    for (const input of ['https://*.Example.com:*', 'HTTP://LocalHost:*', 'https://A.b.C:99']) {
      const first = parseOriginSpec(input);
      if (!first.ok) throw new Error(input);
      const text = first.spec.kind === 'exact' ? first.spec.serialized : first.spec.canonical;
      expect(parseOriginSpec(text)).toEqual(first);
    }
  });
});
