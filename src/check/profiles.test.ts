import { fetchSite, originOfUrl } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import {
  browserProfile,
  firefoxFetchSite,
  firefoxRequestContentType,
  isChromiumSafelistedRequestHeader,
  isChromiumSimpleRange,
  isFirefoxSafelistedRequestHeader,
  isWebKitSafelistedRequestHeader,
  isWebKitSimpleRange,
} from './profiles.js';

const N_2_53_PLUS_1 = '9007199254740993';
const INT64_MAX = '9223372036854775807';
const N_2_63 = '9223372036854775808';
const UINT64_MAX = '18446744073709551615';
const N_2_64 = '18446744073709551616';

describe("Chromium's safelist extensions (cors.cc IsCorsSafelistedHeader)", () => {
  it.each([
    ['dpr', '2', true],
    ['dpr', '2.5', true],
    ['dpr', '2.', false],
    ['dpr', '.5', false],
    ['device-memory', '8', true],
    ['downlink', '1.5', true],
    ['width', '100', true],
    ['width', '1.5', false],
    ['viewport-width', '', false],
    ['rtt', '50', true],
    ['rtt', '-1', false],
    ['ect', 'slow-2g', true],
    ['ect', '4G', false],
    ['save-data', 'On', true],
    ['save-data', 'off', false],
    ['intervention', '<https://www.chromestatus.com/feature/1>; level="warning"', true],
    ['intervention', 'x'.repeat(129), false],
    ['accept', 'text/html', true],
    ['x-custom', '1', false],
  ])('%s: %j -> %s', (name, value, expected) => {
    expect(isChromiumSafelistedRequestHeader(name, value)).toBe(expected);
  });
});

describe('profiles', () => {
  it('differ in cache limits and client hints, agree on Authorization under *', () => {
    const chromium = browserProfile('chromium');
    const firefox = browserProfile('firefox');
    expect([chromium.maxAgeLimit, firefox.maxAgeLimit]).toEqual([7200, 86400]);
    expect(chromium.isSafelistedRequestHeader('DPR', '2')).toBe(true);
    expect(firefox.isSafelistedRequestHeader('DPR', '2')).toBe(false);
    expect(chromium.authorizationCoveredByWildcard && firefox.authorizationCoveredByWildcard).toBe(
      true,
    );
    expect(firefox.basis).toMatch(/measured/);
  });

  it('record what Firefox ESR 153 was measured doing differently', () => {
    const chromium = browserProfile('chromium');
    const firefox = browserProfile('firefox');
    const differences = (p: typeof chromium) => [
      p.reusesPreflightsForIpHosts,
      p.keepsHeaderLines,
      p.preflightsEveryRedirect,
      p.preflightAfterRedirectFromPage,
      p.emptyLocation,
    ];
    expect(differences(chromium)).toEqual([true, false, false, false, 'response']);
    expect(differences(firefox)).toEqual([false, true, true, true, 'redirect']);
    expect(firefox.acceptLanguage).toBe('en-US,en;q=0.9');
  });

  it('record what WebKitGTK 2.50 was measured doing differently', () => {
    const webkit = browserProfile('webkit');
    expect([
      webkit.maxAgeLimit,
      webkit.preflightsEveryRedirect,
      webkit.preflightAfterRedirectFromPage,
      webkit.emptyLocation,
      webkit.combinesRepeatedResponseHeaders,
      webkit.preflightKeepsRemovedHeaders,
      webkit.dropsFetchMetadataAcrossOrigins,
      webkit.extraRequestHeaders,
    ]).toEqual([600, true, false, 'network-error', true, true, true, []]);
    expect(webkit.basis).toMatch(/measured/);
  });
});

describe("Chromium's Range rule (measured on Chromium 156)", () => {
  it.each([
    ['bytes=0-1', true],
    [`bytes=0-${N_2_53_PLUS_1}`, true],
    [`bytes=${'0'.repeat(100)}1-`, true],
    ['bytes=0-9223372036854775806', true],
    [`bytes=0-${INT64_MAX}`, false],
    [`bytes=${INT64_MAX}-`, false],
    [`bytes=${N_2_63}-`, false],
    [`bytes=0-${'9'.repeat(30)}`, false],
    ['BYTES=0-1', false],
    ['bytes=+0-1', false],
    ['bytes=-5', false],
    ['bytes=1-0', false],
  ])('%j -> %s', (value, expected) => {
    expect(isChromiumSimpleRange(value)).toBe(expected);
    expect(isChromiumSafelistedRequestHeader('Range', value)).toBe(expected);
  });

  it('keeps the 128-byte limit', () => {
    expect(isChromiumSafelistedRequestHeader('range', `bytes=${'0'.repeat(122)}-`)).toBe(false);
  });
});

describe("Firefox's safelist (nsContentUtils.cpp, measured on Firefox ESR 153)", () => {
  it.each([
    ['accept', 'text/html', true],
    ['accept', 'text/\u00e9', false],
    ['accept', 'a\u0080', false],
    ['accept-language', 'fr', true],
    ['content-type', 'text/plain', true],
    ['content-type', 'TEXT/PLAIN;CHARSET=UTF-8', true],
    ['content-type', 'text/plain;', true],
    ['content-type', 'text/plain\t;charset=x', true],
    ['content-type', 'text/plain x;a=b', true],
    ['content-type', 'text/plain;;', false],
    ['content-type', 'text/plain;charset=utf-8;', false],
    ['content-type', 'text/plain;a=b,c', false],
    ['content-type', 'text/plain;charset=\u00e9', false],
    ['content-type', 'text/plain;a=@', false],
    ['content-type', 'text /plain', false],
    ['content-type', 'text', false],
    ['content-type', `text/plain;a=${'a'.repeat(116)}`, false],
    ['range', 'bytes=0-1', true],
    ['range', 'BYTES=0-1', false],
    ['range', 'bytes=+0-1', false],
    ['range', `bytes=${N_2_63}-`, true],
    ['range', `bytes=0-${UINT64_MAX}`, true],
    ['range', `bytes=${N_2_64}-`, false],
    ['range', `bytes=0-${N_2_64}`, false],
    ['dpr', '2', false],
  ])('%s: %j -> %s', (name, value, expected) => {
    expect(isFirefoxSafelistedRequestHeader(name, value)).toBe(expected);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['Text/Plain;charset=utf-8', 'text/plain'],
    ['multipart/form-data; boundary=x', 'multipart/form-data'],
    ['text/', 'text/'],
    ['text/plain x', null],
    ['text/ plain', null],
    ['text', null],
    ['text/plain,application/json', null],
  ])('reads the request Content-Type %j as %j', (value, expected) => {
    expect(firefoxRequestContentType(value)).toBe(expected);
  });
});

describe("WebKit's Range rule (HTTPParsers.cpp parseRange, measured on WebKitGTK 2.50)", () => {
  it.each([
    ['bytes=0-1', true],
    ['BYTES=0-1', true],
    ['bytes=+0-1', true],
    ['bytes=0-+1', true],
    [`bytes=${N_2_63}-`, true],
    [`bytes=0-${UINT64_MAX}`, true],
    [`bytes=${UINT64_MAX}-`, true],
    [`bytes=${N_2_64}-`, false],
    [`bytes=0-${N_2_64}`, false],
    [`bytes=0-${'9'.repeat(30)}`, false],
    [`bytes=${N_2_53_PLUS_1}-9007199254740992`, false],
    ['bytes=-0', false],
    ['bytes=0--1', false],
    ['bytes=+-1', false],
    ['bytes= 0-1', false],
    ['bytes=0-1\t', false],
    ['bytes==0-1', false],
    ['bytes=0-1,', false],
    ['bytes 0-1', false],
    ['bytes=1-0', false],
  ])('%j -> %s', (value, expected) => {
    expect(isWebKitSimpleRange(value)).toBe(expected);
  });

  it('keeps the 128-byte limit', () => {
    expect(isWebKitSafelistedRequestHeader('range', `bytes=${'0'.repeat(121)}-`)).toBe(true);
    expect(isWebKitSafelistedRequestHeader('range', `bytes=${'0'.repeat(122)}-`)).toBe(false);
  });
});

describe("WebKit's safelist (HTTPParsers.cpp isCrossOriginSafeRequestHeader)", () => {
  it.each([
    ['range', 'bytes=0-1', true],
    ['range', 'BYTES=0-1', true],
    ['range', 'Bytes=5-', true],
    ['range', 'bytes=-5', false],
    ['range', 'bits=0-1', false],
    ['dpr', '2', false],
    ['save-data', 'on', false],
    ['accept', 'text/html', true],
  ])('%s: %j -> %s', (name, value, expected) => {
    expect(isWebKitSafelistedRequestHeader(name, value)).toBe(expected);
  });
});

describe("Firefox's Sec-Fetch-Site", () => {
  it('is cross-site after a redirect from a URL that is not https (measured)', () => {
    const page = originOfUrl('https://app.example.com');
    const loopback = originOfUrl('http://127.0.0.1:8000');
    const hops = (...urls: string[]) => urls.map((u) => new URL(u));
    expect(firefoxFetchSite(loopback, hops('http://127.0.0.1:9000/a'))).toBe('same-site');
    expect(
      firefoxFetchSite(loopback, hops('http://127.0.0.1:9000/a', 'http://127.0.0.1:9000/b')),
    ).toBe('cross-site');
    expect(fetchSite(loopback, hops('http://127.0.0.1:9000/a', 'http://127.0.0.1:9000/b'))).toBe(
      'same-site',
    );
    expect(
      firefoxFetchSite(page, hops('https://api.example.com/a', 'https://api.example.com/b')),
    ).toBe('same-site');
  });

  it('agrees with the standard when nothing was redirected or the answer is not same-site', () => {
    const page = originOfUrl('https://app.example.com');
    for (const urls of [
      ['https://app.example.com/'],
      ['https://api.example.com/'],
      ['http://api.example.com/a', 'https://evil.test/b'],
    ]) {
      const list = urls.map((u) => new URL(u));
      expect(firefoxFetchSite(page, list)).toBe(fetchSite(page, list));
    }
  });
});
