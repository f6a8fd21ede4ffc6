import { describe, expect, it, vi } from 'vitest';
import { compileOriginMatcher, type OriginMatch } from './origin-matcher.js';
import { type ParsedOriginSpec, parseOriginSpec } from './origin-pattern.js';

function matcherFor(...entries: string[]) {
  const specs: ParsedOriginSpec[] = entries.map((entry) => {
    const r = parseOriginSpec(entry);
    if (!r.ok) throw new Error(`bad test entry ${entry}`);
    return r.spec;
  });
  return compileOriginMatcher(specs);
}

const cases: readonly (readonly [entries: string[], origin: string, expected: OriginMatch])[] = [
  [['https://foo.com', 'https://bar.com'], 'https://foo.com', 'allowed'],
  [['https://foo.com', 'https://bar.com'], 'https://bar.com', 'allowed'],
  [['https://foo.com', 'https://bar.com'], 'https://barfoo.com', 'not-allowed'],
  [['https://foo.com', 'https://bar.com'], 'https://foobar.com', 'not-allowed'],
  [['https://foo.com', 'https://bar.com'], 'https://bar.foo.com', 'not-allowed'],
  [['https://*.foo.com'], 'https://a.foo.com', 'allowed'],
  [['https://*.foo.com'], 'https://a.b.foo.com', 'allowed'],
  [['https://*.foo.com'], 'https://foo.com', 'not-allowed'],
  [['https://*.foo.com'], 'https://barfoo.com', 'not-allowed'],
  [['https://*.foo.com'], 'https://foo.com.evil.com', 'not-allowed'],
  [['https://*.foo.com'], 'https://.foo.com', 'not-allowed'],
  [['https://*.foo.com'], 'https://a..foo.com', 'not-allowed'],
  [['https://*.foo.com'], 'https://a.foo.com.', 'not-allowed'],
  [['https://*.foo.com'], 'https://a.foo.com:444', 'not-allowed'],
  [['https://*.foo.com'], 'http://a.foo.com', 'not-allowed'],
  [['https://*.foo.com'], 'https://[::1]', 'not-allowed'],
  [['https://*.foo.com'], 'https://a.foo.com/', 'invalid'],
  [['https://*.foo.com'], 'https://A.foo.com', 'invalid'],
  [['https://*.foo.com'], 'https://a.foo.com:443', 'invalid'],
  [['https://*.foo.com'], 'https://a.foo.com, https://b.foo.com', 'invalid'],
  [['https://*.foo.com'], 'null', 'invalid'],
  [['https://*.foo.com'], '', 'invalid'],
  // A pattern on a deeper suffix and one on its parent both apply.
  [['https://*.b.foo.com', 'https://*.foo.com:8443'], 'https://a.b.foo.com', 'allowed'],
  [['https://*.b.foo.com', 'https://*.foo.com:8443'], 'https://a.b.foo.com:8443', 'allowed'],
  [['https://*.b.foo.com', 'https://*.foo.com:8443'], 'https://b.foo.com', 'not-allowed'],
  [['https://*.b.foo.com', 'https://*.foo.com:8443'], 'https://b.foo.com:8443', 'allowed'],
  // Port rules are per host.
  [['https://*.foo.com:8443', 'https://*.foo.com:9443'], 'https://a.foo.com:9443', 'allowed'],
  [['https://*.foo.com:8443', 'https://*.foo.com:9443'], 'https://a.foo.com', 'not-allowed'],
  [['https://*.foo.com:*'], 'https://a.foo.com', 'allowed'],
  [['https://*.foo.com:*'], 'https://a.foo.com:1', 'allowed'],
  [['http://localhost:*'], 'http://localhost', 'allowed'],
  [['http://localhost:*'], 'http://localhost:5173', 'allowed'],
  [['http://localhost:*'], 'http://a.localhost:5173', 'not-allowed'],
  [['http://localhost:*'], 'https://localhost:5173', 'not-allowed'],
  [['http://[::1]:*'], 'http://[::1]:3000', 'allowed'],
  [['http://[::1]:*'], 'http://[0::1]:3000', 'invalid'],
  [['https://*.foo.com.'], 'https://a.foo.com.', 'allowed'],
  [['https://*.foo.com.'], 'https://a.foo.com', 'not-allowed'],
  [['https://foo.com.'], 'https://foo.com', 'not-allowed'],
  [['https://foo.com'], 'https://foo.com.', 'not-allowed'],
];

describe('compileOriginMatcher', () => {
  it.each(cases)('with %j, %s is %s', (entries, origin, expected) => {
    expect(matcherFor(...entries).match(origin)).toBe(expected);
  });

  it('keeps exact origins in their canonical serialization', () => {
    const m = matcherFor('HTTPS://Foo.com', 'http://localhost:3000', 'https://*.bar.com');
    expect([...m.exact]).toEqual(['https://foo.com', 'http://localhost:3000']);
  });

  it('costs the same with ten thousand origins as with one: the same probes, no scan', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `https://app${i}.example.com`);
    const big = matcherFor(...many, 'https://*.tenant.example');
    const small = matcherFor('https://app0.example.com', 'https://*.tenant.example');
    // Counted, not timed: hash probes are the whole cost, and a scan would show as none here.
    const probes = (m: ReturnType<typeof matcherFor>, origin: string) => {
      const get = vi.spyOn(Map.prototype, 'get');
      const has = vi.spyOn(Set.prototype, 'has');
      try {
        m.match(origin);
        return get.mock.calls.length + has.mock.calls.length;
      } finally {
        get.mockRestore();
        has.mockRestore();
      }
    };
    for (const origin of [
      'https://a.b.c.tenant.example',
      'https://app0.example.com',
      'https://app10001.example.com',
      'https://x.example.net',
    ]) {
      expect(probes(big, origin)).toBe(probes(small, origin));
    }
  });

  it.each([
    ['https://xn--bcher-kva.foo.com', 'allowed'],
    ['https://a.xn--bcher-kva.foo.com', 'allowed'],
    // Not punycode: `xn--` inside a label is plain ASCII, which UTS #46 leaves alone.
    ['https://axn--b.foo.com', 'allowed'],
    ['https://a-xn--.foo.com', 'allowed'],
    // Punycode that does not decode, or decodes to what UTS #46 refuses.
    ['https://xn--a.foo.com', 'refused'],
    ['https://xn--.foo.com', 'refused'],
  ] as const)('decides %s from the raw header as match does: %s', (origin, verdict) => {
    const m = matcherFor('https://*.foo.com');
    const decided = m.decide(origin);
    expect(decided === 'allowed' ? 'allowed' : 'refused').toBe(verdict);
    expect(m.match(origin) === 'allowed').toBe(decided === 'allowed');
  });

  it('never hashes the header for a policy of patterns alone', () => {
    const m = matcherFor('https://*.foo.com');
    const has = vi.spyOn(Set.prototype, 'has');
    try {
      expect(m.decide('https://a.foo.com')).toBe('allowed');
      expect(m.decide('https://a.bar.com')).toBe('refused');
      expect(has).not.toHaveBeenCalled();
    } finally {
      has.mockRestore();
    }
  });

  it('looks a hostile many-label host up once per pattern depth, not once per label', () => {
    const m = matcherFor('https://*.example.com', 'https://*.a.example.org', 'http://localhost:*');
    // 120 labels: what a 506-character Origin can carry; DNS allows 127.
    const hostile = `https://${'a.'.repeat(120)}example.net`;
    const lookups = (origin: string) => {
      const get = vi.spyOn(Map.prototype, 'get');
      try {
        expect(m.match(origin)).toBe('not-allowed');
        return get.mock.calls.length;
      } finally {
        get.mockRestore();
      }
    };
    // One host-rule probe, the scheme's patterns, then one probe per depth (two here).
    expect(lookups(hostile)).toBeLessThanOrEqual(4);
    expect(lookups(hostile)).toBe(lookups('https://x.y.example.net'));
  });
});
