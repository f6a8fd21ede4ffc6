import { describe, expect, it } from 'vitest';
import { newOpaqueOrigin, OPAQUE_ORIGIN, originOfUrl } from './origin.js';
import { isPublicSuffix, isSameSite, publicSuffix, registrableDomain } from './site.js';

describe('publicSuffix and registrableDomain', () => {
  it.each([
    ['example.com', 'com', 'example.com'],
    ['api.example.com', 'com', 'example.com'],
    ['a.b.example.co.uk', 'co.uk', 'example.co.uk'],
    ['com', 'com', null],
    ['co.uk', 'co.uk', null],
    // The private section: hosting providers' suffixes are public suffixes too.
    ['github.io', 'github.io', null],
    ['me.github.io', 'github.io', 'me.github.io'],
    ['a.me.github.io', 'github.io', 'me.github.io'],
    // Wildcard and exception rules (`*.ck`, `!www.ck`).
    ['a.foo.ck', 'foo.ck', 'a.foo.ck'],
    ['www.ck', 'ck', 'www.ck'],
    // The default rule: an unlisted top-level name is a public suffix.
    ['foo.internal', 'internal', 'foo.internal'],
    ['app.localhost', 'localhost', 'app.localhost'],
    ['localhost', 'localhost', null],
    // The standard keeps a trailing dot on both.
    ['api.example.com.', 'com.', 'example.com.'],
    ['com.', 'com.', null],
    // IP addresses are not domains.
    ['127.0.0.1', null, null],
    ['[::1]', null, null],
    ['', null, null],
  ] as const)('%j: suffix %j, registrable domain %j', (host, suffix, domain) => {
    expect(publicSuffix(host)).toBe(suffix);
    expect(registrableDomain(host)).toBe(domain);
  });
});

describe('isPublicSuffix', () => {
  it.each([
    ['com', true],
    ['co.uk', true],
    ['github.io', true],
    ['com.', true],
    ['foo.ck', true],
    ['ck', true],
    ['internal', true],
    ['example.com', false],
    ['me.github.io', false],
    ['www.ck', false],
    // Names under localhost are loopback, never registered.
    ['localhost', false],
    ['localhost.', false],
    ['127.0.0.1', false],
    ['[::1]', false],
    ['', false],
  ] as const)('says %j is a public suffix: %s', (host, expected) => {
    expect(isPublicSuffix(host)).toBe(expected);
  });
});

describe('isSameSite', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com', true],
    ['https://app.example.com', 'https://app.example.com:8443', true],
    ['https://app.example.com', 'https://api.example.com', true],
    ['https://example.com', 'https://api.example.com', true],
    ['https://app.example.co.uk', 'https://api.example.co.uk', true],
    // Schemeful: another scheme is another site.
    ['https://app.example.com', 'http://app.example.com', false],
    ['https://app.example.com', 'https://api.other.com', false],
    ['https://example.co.uk', 'https://other.co.uk', false],
    // Private registries make each subdomain its own site.
    ['https://a.github.io', 'https://b.github.io', false],
    ['https://x.a.github.io', 'https://y.a.github.io', true],
    // IP addresses and public suffixes are sites only of themselves.
    ['http://127.0.0.1:8000', 'http://127.0.0.1:9000', true],
    ['http://127.0.0.1', 'http://127.0.0.2', false],
    ['http://[::1]', 'http://[::1]:3000', true],
    ['https://github.io', 'https://me.github.io', false],
    ['http://localhost:3000', 'http://localhost:8080', true],
    ['http://a.localhost', 'http://b.localhost', false],
    // A trailing dot belongs to the registrable domain.
    ['https://app.example.com', 'https://api.example.com.', false],
    ['https://app.example.com.', 'https://api.example.com.', true],
  ] as const)('%s and %s: %s', (a, b, expected) => {
    expect(isSameSite(originOfUrl(a), originOfUrl(b))).toBe(expected);
    expect(isSameSite(originOfUrl(b), originOfUrl(a))).toBe(expected);
  });

  it('holds between an opaque origin and itself only', () => {
    const opaque = newOpaqueOrigin();
    expect(isSameSite(opaque, opaque)).toBe(true);
    expect(isSameSite(opaque, newOpaqueOrigin())).toBe(false);
    expect(isSameSite(OPAQUE_ORIGIN, originOfUrl('https://app.example.com'))).toBe(false);
    expect(isSameSite(originOfUrl('https://app.example.com'), OPAQUE_ORIGIN)).toBe(false);
  });
});
