import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseOriginSpec, parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import {
  anchored,
  escapeRegex,
  originRegex,
  pathRegions,
  placementsOf,
  pyRegex,
  pyString,
} from './_python.js';
import { SYSTEM_PYTHON } from './_python-app.js';

// Under CI a missing Python is a failure, not a skip.
const hasPython = existsSync(SYSTEM_PYTHON) || (process.env.CI ?? '') !== '';

/** Runs `re.match(regex, subject)` in Python for every pair; true where it matched. */
function pythonMatches(pairs: readonly (readonly [regex: string, subject: string])[]): boolean[] {
  const script =
    'import json, re, sys\nprint(json.dumps([bool(re.match(r, s)) for r, s in json.load(sys.stdin)]))';
  const out = execFileSync(SYSTEM_PYTHON, ['-c', script], { input: JSON.stringify(pairs) });
  return JSON.parse(out.toString()) as boolean[];
}

function specOf(entry: string) {
  const parsed = parseOriginSpec(entry);
  if (!parsed.ok) throw new Error(`bad test origin ${entry}`);
  return parsed.spec;
}

describe('Python literals', () => {
  it('writes regexes as raw strings unless a quote or a final backslash forbids it', () => {
    expect(pyRegex('\\Aa\\.b\\Z')).toBe('r"\\Aa\\.b\\Z"');
    expect(pyRegex('a"b')).toBe('"a\\"b"');
    expect(pyRegex('a\\')).toBe('"a\\\\"');
  });

  it('writes strings with escapes Python reads the same way', () => {
    expect(pyString('x"y\\z')).toBe('"x\\"y\\\\z"');
  });

  it('escapes every regex metacharacter', () => {
    expect(escapeRegex('a.b*c+d?e(f)g[h]i{j}k|l^m$n\\o')).toBe(
      'a\\.b\\*c\\+d\\?e\\(f\\)g\\[h\\]i\\{j\\}k\\|l\\^m\\$n\\\\o',
    );
  });
});

describe('originRegex', () => {
  it('escapes an exact origin', () => {
    expect(originRegex(specOf('https://app.example.com'))).toBe('https://app\\.example\\.com');
  });

  it('stands for one or more labels under a subdomain pattern, never the apex', () => {
    expect(originRegex(specOf('https://*.example.com'))).toBe(
      'https://(?:[a-z0-9_-]+\\.)+example\\.com',
    );
  });

  it.skipIf(!hasPython)('matches in Python exactly the origins the policy allows', () => {
    const entries = [
      'https://app.example.com',
      'https://*.example.com',
      'http://localhost:*',
      'https://*.staging.example.com:*',
      'https://partner.test:8443',
      'http://[::1]:3000',
    ];
    const origins = [
      'https://app.example.com',
      'https://app.example.com.evil.test',
      'https://app.example.com:443',
      'https://appxexample.com',
      'HTTPS://app.example.com',
      'https://example.com',
      'https://a.example.com',
      'https://a.b.example.com',
      'https://evilexample.com',
      'https://a.example.com.evil.test',
      'http://localhost',
      'http://localhost:80',
      'http://localhost:3000',
      'http://localhost:65535',
      'http://localhost:65536',
      'http://localhost:03000',
      'http://localhost.evil.test:3000',
      'https://x.staging.example.com:8443',
      'https://x.staging.example.com',
      'https://staging.example.com:8443',
      'https://partner.test:8443',
      'https://partner.test',
      'http://[::1]:3000',
      'http://[::1]:30000',
      'null',
    ];
    const file = parsePolicyFile({ origins: entries });
    const policy = file.default!;
    const regex = anchored(`(?:${entries.map((e) => originRegex(specOf(e))).join('|')})`);
    const python = pythonMatches(origins.map((o) => [regex, o] as const));
    const expected = origins.map(
      (origin) => policy.decide({ method: 'GET', origin }) as { kind: string },
    );
    origins.forEach((origin, i) => {
      expect([origin, python[i]]).toEqual([origin, expected[i]!.kind === 'actual-allowed']);
    });
  });
});

describe('pathRegions', () => {
  const file = parsePolicyFile({
    default: { origins: ['https://app.example.com'] },
    policies: { public: { origins: '*' } },
    paths: {
      '/admin/*': false,
      '/public/*': 'public',
      '/orders/:id': { origins: ['https://shop.example'] },
      '/Files/caf%C3%A9': { origins: ['https://files.example'] },
      '/api/*': { origins: ['https://api.example'] },
    },
  });

  it('names where each policy is written', () => {
    expect(placementsOf(file).map((p) => p.where)).toEqual([
      'policies.public',
      'paths["/orders/:id"]',
      'paths["/Files/caf%C3%A9"]',
      'paths["/api/*"]',
      'default',
    ]);
  });

  it.skipIf(!hasPython)(
    'gives a decoded path the policy the file gives it, or none where the file refuses to choose',
    () => {
      const paths = [
        '/',
        '/admin',
        '/admin/x',
        '/ADMIN/x',
        '/admin/x/',
        '/public',
        '/public/',
        '/public/a/b',
        '/publicity',
        '/orders/1',
        '/orders/1/',
        '/orders/',
        '/orders/1/2',
        '/Orders/1',
        '/Files/caf%C3%A9',
        '/files/caf%C3%A9',
        '/api/x',
        '/api/../admin',
        '/api//x',
        '/api/./x',
        '/other',
        '/other/deep/path',
      ];
      const regions = pathRegions(file);
      const pairs = paths.flatMap((path) =>
        regions.map((r) => [r.regex, decodeURIComponent(path)] as const),
      );
      const matched = pythonMatches(pairs);
      paths.forEach((path, i) => {
        const hits = regions.filter((_, j) => matched[i * regions.length + j]);
        // Never two regions for one path; the region's policy is the file's for the path.
        expect(hits.length, path).toBeLessThanOrEqual(1);
        const chosen = hits[0]?.policy ?? null;
        expect([path, chosen], path).toEqual([path, file.policyFor(path)]);
      });
    },
  );
});
