import { describe, expect, it } from 'vitest';
import { fetchSite } from './fetch-metadata.js';
import { OPAQUE_ORIGIN, originOfUrl } from './origin.js';

const page = originOfUrl('https://app.example.com');

describe('fetchSite (Sec-Fetch-Site)', () => {
  it.each([
    [['https://app.example.com/x'], 'same-origin'],
    [['https://api.example.com/x'], 'same-site'],
    [['http://app.example.com/x'], 'cross-site'],
    [['https://api.other.com/x'], 'cross-site'],
    [['https://api.example.com/x', 'https://evil.test/y'], 'cross-site'],
    [['https://evil.test/y', 'https://app.example.com/x'], 'cross-site'],
    [['https://api.example.com/x', 'https://app.example.com/y'], 'same-site'],
    [['https://a.github.io/'], 'cross-site'],
  ] as const)('%j -> %s', (urls, expected) => {
    expect(
      fetchSite(
        page,
        urls.map((u) => new URL(u)),
      ),
    ).toBe(expected);
  });

  it('treats private registries as sites (a.github.io and b.github.io are cross-site)', () => {
    expect(fetchSite(originOfUrl('https://a.github.io'), [new URL('https://b.github.io/')])).toBe(
      'cross-site',
    );
  });

  it('is same-site between ports of one loopback address', () => {
    const loopback = originOfUrl('http://127.0.0.1:8000');
    const hops = ['http://127.0.0.1:9000/a', 'http://127.0.0.1:9000/b'].map((u) => new URL(u));
    expect(fetchSite(loopback, hops)).toBe('same-site');
  });

  it('is cross-site from an opaque origin', () => {
    expect(fetchSite(OPAQUE_ORIGIN, [new URL('https://app.example.com/')])).toBe('cross-site');
  });
});
