/**
 * The static auditor (`corsproof audit --policy`): policies in, the same finding ids as the
 * network auditor out, without sending anything.
 */

import type { CorsOptions } from 'corsproof';
import { compilePolicy } from 'corsproof';
import { describe, expect, it } from 'vitest';
import type { FindingId, Severity } from './findings.js';
import { auditPolicy } from './policy-audit.js';

const TRUSTED = 'https://app.example.com';

interface Row {
  readonly name: string;
  readonly options: CorsOptions;
  readonly trusted?: readonly string[];
  readonly expected: readonly FindingId[];
  readonly severities?: Partial<Record<FindingId, Severity>>;
}

const ROWS: readonly Row[] = [
  {
    name: 'an exact list with credentials is clean',
    options: {
      origins: [TRUSTED, 'https://admin.example.com'],
      credentials: true,
      methods: ['PUT'],
    },
    expected: [],
  },
  {
    name: 'localhost left in the list is a dev origin',
    options: { origins: [TRUSTED, 'http://localhost:3000'] },
    expected: ['dev-origin-trusted'],
    severities: { 'dev-origin-trusted': 'low' },
  },
  {
    name: 'a subdomain pattern with credentials trusts every subdomain (medium)',
    options: { origins: ['https://*.example.com'], credentials: true },
    trusted: [TRUSTED],
    expected: ['any-subdomain-trusted'],
    severities: { 'any-subdomain-trusted': 'medium' },
  },
  {
    name: 'a wildcard over a public suffix trusts everyone there',
    options: { origins: ['https://*.github.io'] },
    trusted: ['https://someone.github.io'],
    expected: ['third-party-origin-trusted'],
  },
  {
    name: 'codepen.io in the list is a third party',
    options: { origins: [TRUSTED, 'https://codepen.io'] },
    expected: ['third-party-origin-trusted'],
  },
  {
    name: 'an http: origin in the list',
    options: { origins: [TRUSTED, 'http://app.example.com'] },
    expected: ['insecure-scheme-trusted'],
  },
  {
    name: 'any port on the trusted host',
    options: { origins: ['https://app.example.com:*'] },
    trusted: [TRUSTED],
    expected: ['any-port-trusted'],
  },
  {
    name: '"*" is public data',
    options: { origins: '*' },
    expected: ['wildcard-origin'],
    severities: { 'wildcard-origin': 'info' },
  },
  {
    name: 'a predicate that accepts everything reflects any origin, and lets it send PUT',
    options: { origins: () => true, credentials: true, methods: ['PUT'] },
    trusted: [TRUSTED],
    expected: ['origin-reflected-any', 'dangerous-methods-allowed'],
    severities: { 'origin-reflected-any': 'high', 'dangerous-methods-allowed': 'medium' },
  },
  {
    name: 'a predicate matching a suffix',
    options: { origins: (o) => o.endsWith('example.com'), credentials: true },
    trusted: [TRUSTED],
    expected: ['suffix-match-bypass'],
    severities: { 'suffix-match-bypass': 'high' },
  },
  {
    name: 'a predicate matching a prefix',
    options: { origins: (o) => o.startsWith(TRUSTED) },
    trusted: [TRUSTED],
    expected: ['prefix-match-bypass'],
  },
  {
    name: 'a predicate searching for a substring',
    options: { origins: (o) => o.includes('example.com') },
    trusted: [TRUSTED],
    expected: ['substring-match-bypass'],
  },
  {
    name: 'a predicate with an unescaped dot',
    options: { origins: (o) => /^https:\/\/app.example.com$/.test(o) },
    trusted: [TRUSTED],
    expected: ['unescaped-dot-regex'],
  },
  {
    name: 'an async predicate is awaited; one that ignores the scheme trusts http: too',
    options: { origins: async (o) => o.endsWith('.example.com') || o === TRUSTED },
    trusted: [TRUSTED],
    expected: ['any-subdomain-trusted', 'insecure-scheme-trusted'],
  },
  {
    name: 'methods "*" approves whatever a preflight asks for',
    options: { origins: [TRUSTED], methods: '*' },
    expected: ['preflight-reflects-anything'],
  },
  {
    name: 'maxAge above Chromium cap',
    options: { origins: [TRUSTED], maxAge: 86400 },
    expected: ['max-age-excessive'],
  },
];

describe('auditPolicy', () => {
  for (const row of ROWS) {
    it(`${row.name} -> ${row.expected.join(', ') || 'no findings'}`, async () => {
      const findings = await auditPolicy(compilePolicy(row.options), {
        ...(row.trusted ? { trustedOrigins: row.trusted } : {}),
        random: () => 'cp0000000000',
      });
      expect([...new Set(findings.map((f) => f.id))].sort()).toEqual([...row.expected].sort());
      for (const [id, severity] of Object.entries(row.severities ?? {})) {
        expect(findings.find((f) => f.id === id)?.severity).toBe(severity);
      }
    });
  }

  it('names the crafted origin a predicate let through, with the decision as evidence', async () => {
    const [f] = await auditPolicy(compilePolicy({ origins: (o) => o.endsWith('example.com') }), {
      trustedOrigins: [TRUSTED],
      random: () => 'cp0000000000',
      target: 'cors.json',
    });
    expect(f?.origin).toBe('https://cp0000000000example.com');
    expect(f?.evidence[0]?.request).toEqual({
      method: 'GET',
      url: 'cors.json',
      headers: [['Origin', 'https://cp0000000000example.com']],
    });
    expect(f?.evidence[0]?.response?.headers).toContainEqual([
      'access-control-allow-origin',
      'https://cp0000000000example.com',
    ]);
  });

  it('needs a trusted origin for a predicate policy', async () => {
    await expect(auditPolicy(compilePolicy({ origins: () => true }))).rejects.toThrow(/--origin/);
  });
});
