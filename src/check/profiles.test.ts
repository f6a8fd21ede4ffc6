import { fetchSite, originOfUrl } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import {
  browserProfile,
  firefoxFetchSite,
  isChromiumSafelistedRequestHeader,
  otherProfile,
} from './profiles.js';

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
    expect(otherProfile(chromium)).toBe(firefox);
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
      p.emptyLocationRedirects,
    ];
    expect(differences(chromium)).toEqual([true, false, false, false, false]);
    expect(differences(firefox)).toEqual([false, true, true, true, true]);
    expect(firefox.acceptLanguage).toBe('en-US,en;q=0.9');
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
