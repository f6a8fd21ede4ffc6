import { describe, expect, it } from 'vitest';
import type { ConformCase } from './case.js';
import { compareOutcomes } from './compare.js';
import type { CaseResult, ConformReport } from './conform.js';
import { formatConformReport } from './format.js';
import { toJUnit } from './junit.js';
import type { Outcome } from './outcome.js';
import { toConformSarif } from './sarif.js';

function caseFor(origin: string): ConformCase {
  return {
    id: `GET /api/x ${origin}`,
    title: `origin <${origin}> & co`,
    aspect: 'origin',
    probe: 'fetch',
    path: '/api/x',
    pattern: '/api/*',
    origin,
    method: 'GET',
    headers: [],
    credentials: 'omit',
    preflightOnly: false,
    exposeProbe: [],
  };
}

const allowed: Outcome = {
  verdict: 'allowed',
  message: null,
  code: null,
  readable: [],
  varyOrigin: true,
  preflightSeconds: null,
  curl: ["curl -sS -i http://127.0.0.1:8080/api/x \\\n  -H 'Origin: https://evil.test'"],
};
const blocked: Outcome = {
  ...allowed,
  verdict: 'blocked',
  code: 'MissingAllowOriginHeader',
  readable: null,
};

function result(c: ConformCase, expected: Outcome, actual: Outcome): CaseResult {
  return { case: c, expected, actual, differences: compareOutcomes(c, expected, actual) };
}

const cases = [
  result(caseFor('https://app.example.com'), allowed, allowed),
  result(caseFor('https://evil.test'), blocked, allowed),
];
const report: ConformReport = {
  url: 'http://127.0.0.1:8080/',
  browser: 'chromium',
  cases,
  differences: cases.flatMap((r) => r.differences),
  conforms: false,
  warnings: [],
  durationMs: 1234,
};

describe('toJUnit', () => {
  it('writes one test case per case and a failure per difference, escaped', () => {
    const xml = toJUnit(report);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml).toContain('tests="2" failures="1" errors="0" time="1.234"');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain(
      'name="GET /api/x https://evil.test: origin &lt;https://evil.test&gt; &amp; co"',
    );
    expect(xml).toContain('<failure type="allowed-but-policy-refuses"');
    expect(xml).toContain("-H 'Origin: https://evil.test'");
  });
});

describe('toConformSarif', () => {
  it('writes a SARIF 2.1.0 result per difference, at the policy file, with a rule for each kind', () => {
    const log = toConformSarif(report, 'cors.json', '0.1.0') as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: unknown[];
          partialFingerprints: object;
        }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run?.tool.driver.rules.map((r) => r.id)).toContain('allowed-but-policy-refuses');
    expect(run?.results).toHaveLength(1);
    expect(run?.results[0]).toMatchObject({
      ruleId: 'allowed-but-policy-refuses',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'cors.json' } } }],
      partialFingerprints: {
        corsproofConform:
          'allowed-but-policy-refuses:http://127.0.0.1:8080/:GET /api/x https://evil.test',
      },
    });
  });
});

describe('formatConformReport', () => {
  it('names the kind, the case, both outcomes and the curl command of each difference', () => {
    const text = formatConformReport(report);
    expect(text).toContain('differs http://127.0.0.1:8080/: 1 of 2 cases differ from the policy');
    expect(text).toContain('/api/x (pattern /api/*)');
    expect(text).toContain('allowed-but-policy-refuses  origin <https://evil.test> & co');
    expect(text).toContain('expected blocked (MissingAllowOriginHeader)');
    expect(text).toContain(
      "    curl -sS -i http://127.0.0.1:8080/api/x \\\n      -H 'Origin: https://evil.test'",
    );
    expect(text).not.toContain('\u001b[');
  });

  it('says in one line that everything conforms', () => {
    const text = formatConformReport({
      ...report,
      cases: [cases[0] as CaseResult],
      differences: [],
      conforms: true,
    });
    expect(text).toBe(
      'conforms http://127.0.0.1:8080/: all 1 cases answer as the policy says (chromium, 1.2 s)\n',
    );
  });
});
