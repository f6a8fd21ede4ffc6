/**
 * The crafted origins: every family of Corsy and CORScanner is there, every origin is one a
 * browser can send, and the labels are fresh per run.
 */

import { parseOrigin } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import { deriveProbes, isCrossSite, trustedParts } from './probes.js';

const fixed = () => 'cpx1';

describe('deriveProbes', () => {
  const probes = deriveProbes({ trustedOrigin: 'https://app.example.com', random: fixed });
  const of = (id: string) => probes.filter((p) => p.id === id).map((p) => p.origin);

  it('covers the union of Corsy and CORScanner payload families', () => {
    expect(of('origin-reflected-any')).toEqual(['https://cpx1.example', 'http://cpx1.example']);
    expect(of('null-origin-trusted')).toEqual(['null']);
    expect(of('prefix-match-bypass')).toEqual(['https://app.example.com.cpx1.example']);
    expect(of('suffix-match-bypass')).toEqual([
      'https://cpx1example.com',
      'https://cpx1-example.com',
    ]);
    expect(of('substring-match-bypass')).toEqual([
      'https://cpx1app.example.com.cpx1.example',
      'https://xample.com',
      'https://app.example.co',
    ]);
    expect(of('unescaped-dot-regex')).toEqual([
      'https://appxexample.com',
      'https://app.examplexcom',
    ]);
    expect(of('any-subdomain-trusted')).toEqual([
      'https://cpx1.app.example.com',
      'https://cpx1.example.com',
    ]);
    expect(of('insecure-scheme-trusted')).toEqual([
      'http://app.example.com',
      'http://cpx1.example.com',
    ]);
    expect(of('any-port-trusted')).toEqual(['https://app.example.com:8443']);
    expect(of('dev-origin-trusted')).toContain('http://localhost:3000');
    expect(of('third-party-origin-trusted')).toEqual(
      expect.arrayContaining(['https://cpx1.github.io', 'https://codepen.io', 'http://jsbin.com']),
    );
  });

  it('marks which browsers can send a special character', () => {
    const special = probes.filter((p) => p.id === 'special-char-bypass');
    expect(special.find((p) => p.origin.includes('_'))?.browsers).toBe('all');
    expect(special.find((p) => p.origin.includes('-.'))?.browsers).toBe('all');
    expect(special.filter((p) => p.browsers === 'safari').length).toBeGreaterThan(10);
    // Forbidden host code points: no browser sends them, the URL parser refuses them.
    expect(special.some((p) => p.origin.includes('^') || p.origin.includes('|'))).toBe(false);
  });

  it('only produces origins a browser sends as they are, each once, never the trusted one', () => {
    for (const p of probes) {
      const parsed = parseOrigin(p.origin);
      expect(parsed.ok && parsed.serialized).toBe(p.origin);
    }
    expect(new Set(probes.map((p) => p.origin)).size).toBe(probes.length);
    expect(probes.map((p) => p.origin)).not.toContain('https://app.example.com');
  });

  it('keeps the port of the trusted origin', () => {
    const withPort = deriveProbes({ trustedOrigin: 'https://app.example.com:8443', random: fixed });
    expect(withPort.find((p) => p.id === 'prefix-match-bypass')?.origin).toBe(
      'https://app.example.com.cpx1.example:8443',
    );
    expect(withPort.find((p) => p.id === 'any-port-trusted')?.origin).toBe(
      'https://app.example.com:8444',
    );
  });

  it('plays no name games with an IP address', () => {
    const ip = deriveProbes({ trustedOrigin: 'http://10.0.0.5:8080', random: fixed });
    expect(ip.some((p) => p.id === 'unescaped-dot-regex' || p.id === 'suffix-match-bypass')).toBe(
      false,
    );
    expect(ip.some((p) => p.id === 'insecure-scheme-trusted')).toBe(false);
    expect(ip.find((p) => p.id === 'any-port-trusted')?.origin).toBe('http://10.0.0.5:8081');
  });

  it('draws a fresh label per run by default', () => {
    const a = deriveProbes({ trustedOrigin: 'https://app.example.com' })[0]?.origin;
    const b = deriveProbes({ trustedOrigin: 'https://app.example.com' })[0]?.origin;
    expect(a).toMatch(/^https:\/\/cp[0-9a-f]{10}\.example$/);
    expect(a).not.toBe(b);
  });

  it('refuses a trusted origin that is not one', () => {
    expect(() => deriveProbes({ trustedOrigin: 'https://app.example.com/' })).toThrow(
      /not an origin/,
    );
    expect(() => deriveProbes({ trustedOrigin: 'null' })).toThrow(/not an origin/);
  });
});

describe('isCrossSite', () => {
  const t = trustedParts('https://app.example.com');
  it.each([
    ['https://cpx1.example.com', false],
    ['http://app.example.com', false],
    ['https://cpx1example.com', true],
    ['http://localhost:3000', true],
    ['null', true],
  ])('%s -> %s', (origin, expected) => {
    expect(isCrossSite(origin, t)).toBe(expected);
  });
});
