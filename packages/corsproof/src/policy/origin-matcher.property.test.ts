/**
 * The matcher's fast path (`decide`: one scan of the raw header against subdomain patterns) against
 * its full path (`match`: `parseSerializedOrigin`, then hash lookups), on generated origins built to
 * sit next to what the fast path accepts: upper case, IDN and punycode, percent signs, default and
 * zero-padded ports, empty labels, trailing dots, IPv4 in every form the URL parser reads, IPv6,
 * hundreds of labels, and arbitrary strings. Both must refuse and allow the same origins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSerializedOrigin } from '../spec/origin.js';
import { compileOriginMatcher as compileEdgeMatcher } from './origin-matcher.edge.js';
import { compileOriginMatcher, type OriginMatcher } from './origin-matcher.js';
import { type ParsedOriginSpec, parseOriginSpec } from './origin-pattern.js';

/** Fixed, so that a failure is the same failure on every machine; CORSPROOF_SEED picks another. */
const SEED = Number(process.env.CORSPROOF_SEED ?? 20_261_207) >>> 0;
/** Random policies (each with 1 to 8 origins) and single origins; about 3 s on an idle 2-core machine. */
const RUNS = Number(process.env.CORSPROOF_CASES ?? 8_000);
const TIMEOUT_MS = 120_000;

const PATTERNS = [
  'https://*.example.com',
  'https://*.b.example.com:8443',
  'http://*.example.com:*',
  'https://*.example.com.',
  'wss://*.example.com',
  'myapp://*.example.com',
  'https://*.xn--bcher-kva.example',
  'https://*.a.b.c.d.example.com',
  'http://localhost:*',
  'http://127.0.0.1:*',
  'http://[::1]:*',
  'https://exact.example.com',
] as const;

function specsOf(entries: readonly string[]): ParsedOriginSpec[] {
  const specs: ParsedOriginSpec[] = [];
  for (const entry of entries) {
    const r = parseOriginSpec(entry);
    if (!r.ok) throw new Error(`not a valid pattern: ${entry}`);
    specs.push(r.spec);
  }
  return specs;
}

function matcherOf(entries: readonly string[]): OriginMatcher {
  return compileOriginMatcher(specsOf(entries));
}

const label = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'd', 'ab', 'example', 'com', 'www', 'x_y', 'a-b', '-a', 'a-'),
  fc.constantFrom('A', 'Example', 'COM', 'é', 'ſ', '\u212a', 'b\u00fccher', '%41', '%2e', 'a%'),
  fc.constantFrom('xn--bcher-kva', 'xn--a', 'xn--', 'XN--bcher-kva', '1', '0', '255', '256'),
  fc.constantFrom(
    '0x7f',
    '0x',
    '0X1',
    '07',
    '4294967295',
    '',
    'a b',
    'a:b',
    'a/b',
    'a@b',
    '[',
    '~',
  ),
  fc.stringMatching(/^[a-z0-9_-]{1,8}$/),
);

const host = fc.oneof(
  { weight: 6, arbitrary: fc.array(label, { minLength: 1, maxLength: 7 }).map((l) => l.join('.')) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.array(label, { maxLength: 4 }),
        fc.constantFrom(
          'example.com',
          'b.example.com',
          'a.b.c.d.example.com',
          'xn--bcher-kva.example',
        ),
      )
      .map(([l, suffix]) => [...l, suffix].join('.')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '127.0.0.1',
      '0x7f.1',
      '127.1',
      '2130706433',
      '1.2.3.4.',
      'example.123',
      'a.example.0x1',
      '[::1]',
      '[0::1]',
      '[::ffff:127.0.0.1]',
      '[::FFFF]',
      'localhost',
      'a.localhost',
      '',
    ),
  },
  {
    weight: 1,
    // Hostile: hundreds of labels, under the pattern or beside it.
    arbitrary: fc
      .tuple(
        fc.integer({ min: 100, max: 245 }),
        fc.constantFrom('example.com', 'example.org', 'EXAMPLE.com'),
      )
      .map(([n, suffix]) => `${'a.'.repeat(n)}${suffix}`),
  },
);

const trailing = fc.constantFrom('', '', '', '.', '..');
const port = fc.constantFrom(
  '',
  '',
  '',
  ':443',
  ':0443',
  ':80',
  ':8443',
  ':08443',
  ':0',
  ':1',
  ':65535',
  ':65536',
  ':',
  ':99999',
  ':1a',
  '::1',
);
const scheme = fc.constantFrom('https', 'http', 'wss', 'myapp', 'HTTPS', 'ftp', 'h', '');
const origin = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        scheme,
        host,
        trailing,
        port,
        fc.constantFrom('', '', '', '/', '/x', '?', '#', ' ', ', https://a.example.com'),
      )
      .map(([s, h, t, p, tail]) => `${s}://${h}${t}${p}${tail}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `https://${s}.example.com`),
  },
);

const policy = fc.subarray([...PATTERNS], { minLength: 1 });

describe("the origin matcher's fast path", () => {
  it(
    'allows exactly the origins the full parser and lookups allow, and refuses the rest',
    () => {
      fc.assert(
        fc.property(
          policy,
          fc.array(origin, { minLength: 1, maxLength: 8 }),
          (entries, origins) => {
            const matcher = matcherOf(entries);
            for (const o of origins) {
              const full = matcher.match(o);
              const fast = matcher.decide(o);
              expect(fast === 'allowed', `${o} under ${entries.join(' ')}`).toBe(
                full === 'allowed',
              );
              // A refusal it names is the one the full path names.
              if (fast === 'invalid' || fast === 'not-allowed') expect(fast).toBe(full);
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'decides as the edge build’s matcher, which has no fast path, and names the same refusals',
    () => {
      fc.assert(
        fc.property(
          policy,
          fc.array(origin, { minLength: 1, maxLength: 8 }),
          (entries, origins) => {
            const node = matcherOf(entries);
            const edge = compileEdgeMatcher(specsOf(entries));
            for (const o of origins) {
              expect(edge.decide(o) === 'allowed', o).toBe(node.decide(o) === 'allowed');
              expect(edge.match(o), o).toBe(node.match(o));
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'allows only origins parseSerializedOrigin gives back unchanged',
    () => {
      fc.assert(
        fc.property(policy, origin, (entries, o) => {
          if (matcherOf(entries).decide(o) !== 'allowed') return;
          const parsed = parseSerializedOrigin(o);
          expect(parsed).not.toBeNull();
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it.each([
    ['https://a.example.com', 'allowed'],
    ['https://a.b.example.com:8443', 'allowed'],
    ['https://A.example.com', 'invalid'],
    ['https://a.example.com:443', 'invalid'],
    ['https://a.example.com:0443', 'invalid'],
    ['https://a..example.com', 'not-allowed'],
    ['https://.example.com', 'not-allowed'],
    ['https://xn--bcher-kva.example.com', 'allowed'],
    ['https://xn--a.example.com', 'invalid'],
    ['https://0x7f.1', 'invalid'],
    [`https://${'a.'.repeat(245)}example.com`, 'allowed'],
    [`https://${'a.'.repeat(245)}example.org`, 'not-allowed'],
  ] as const)('decides %s as the full path does (%s)', (o, full) => {
    const matcher = matcherOf(['https://*.example.com', 'https://*.b.example.com:8443']);
    expect(matcher.match(o)).toBe(full);
    const fast = matcher.decide(o);
    expect(fast === 'allowed').toBe(full === 'allowed');
  });
});
