/**
 * SARIF 2.1.0 output: the structure code-scanning services require, a rule per finding id, and
 * results that point at their rule.
 */
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS, makeFinding } from './findings.js';
import { toSarif } from './sarif.js';

interface Sarif {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: {
          id: string;
          name: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string };
          defaultConfiguration: { level: string };
          properties: { tags: string[]; 'security-severity': string };
        }[];
      };
    };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      partialFingerprints: Record<string, string>;
      properties: Record<string, unknown>;
    }[];
  }[];
}

const LEVELS = ['none', 'note', 'warning', 'error'];

const findings = [
  makeFinding('origin-reflected-any', {
    origin: 'https://cp1.example',
    message: 'https://cp1.example can read responses with credentials',
    credentials: true,
    impact: 'read',
    origins: ['https://cp1.example', 'null'],
  }),
  makeFinding('max-age-excessive', {
    origin: 'https://app.example.com',
    message: 'Access-Control-Max-Age: 86400.',
    credentials: false,
  }),
];

describe('toSarif', () => {
  const log = JSON.parse(
    JSON.stringify(
      toSarif(
        [
          { target: 'https://api.example.com/me', findings },
          { target: 'https://api.example.com/down', findings: [], errors: ['get: TIMEOUT'] },
        ],
        '0.1.0',
      ),
    ),
  ) as Sarif;
  const run = log.runs[0];

  it('is a SARIF 2.1.0 log with one run by corsproof', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    expect(run?.tool.driver).toMatchObject({ name: 'corsproof', version: '0.1.0' });
  });

  it('has one rule per finding id (and per other severity given), each with descriptions, help and a security severity', () => {
    const rules = run?.tool.driver.rules ?? [];
    // The credentialed reflection is high where its kind is medium: a rule of its own.
    expect(rules.map((r) => r.id).sort()).toEqual(
      [...FINDING_KINDS.keys(), 'origin-reflected-any/high'].sort(),
    );
    for (const rule of rules) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
      expect(LEVELS).toContain(rule.defaultConfiguration.level);
      if (rule.properties.tags.includes('breakage')) {
        // A defect, not a vulnerability: no security severity, so it is not a security alert.
        expect(rule.properties['security-severity']).toBeUndefined();
        continue;
      }
      expect(rule.properties.tags).toContain('security');
      expect(Number(rule.properties['security-severity'])).toBeGreaterThanOrEqual(0);
      expect(Number(rule.properties['security-severity'])).toBeLessThanOrEqual(10);
    }
  });

  it('has one result per finding, pointing at its rule and its target', () => {
    const results = run?.results ?? [];
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(run?.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(LEVELS).toContain(r.level);
      expect(r.message.text).toMatch(/\S/);
      expect(r.message.text).not.toContain('..');
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
        'https://api.example.com/me',
      );
      expect(typeof r.partialFingerprints.corsproofFinding).toBe('string');
    }
    expect(results[0]).toMatchObject({
      ruleId: 'origin-reflected-any/high',
      level: 'error',
      properties: { severity: 'high', credentials: true, origins: ['https://cp1.example', 'null'] },
    });
    expect(results[1]?.level).toBe('note');
  });

  it('reports a target that could not be audited as a failed invocation', () => {
    expect(run?.invocations[0]?.executionSuccessful).toBe(false);
    expect(run?.invocations[0]?.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'get: TIMEOUT.' },
        locations: [
          { physicalLocation: { artifactLocation: { uri: 'https://api.example.com/down' } } },
        ],
      },
    ]);
  });
});

describe('toSarif with API operations', () => {
  const [reflected] = findings;
  const operation = (method: string, operationId: string | null) => ({
    target: 'https://api.example.com/items',
    findings: reflected === undefined ? [] : [reflected],
    operation: { method, path: '/items', operationId },
  });
  const log = JSON.parse(
    JSON.stringify(toSarif([operation('GET', 'listItems'), operation('POST', null)], '0.1.0')),
  ) as Sarif;
  const results = log.runs[0]?.results ?? [];

  it('names the operation of each result as its logical location', () => {
    expect(results.map((r) => r.locations[0])).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'https://api.example.com/items' } },
        logicalLocations: [
          { name: 'listItems', fullyQualifiedName: 'GET /items', kind: 'function' },
        ],
      },
      {
        physicalLocation: { artifactLocation: { uri: 'https://api.example.com/items' } },
        logicalLocations: [
          { name: 'POST /items', fullyQualifiedName: 'POST /items', kind: 'function' },
        ],
      },
    ]);
    expect(results[0]?.properties).toMatchObject({
      operation: 'GET /items',
      operationId: 'listItems',
    });
  });

  it('keeps two operations on one URL apart across runs', () => {
    const prints = results.map((r) => r.partialFingerprints.corsproofFinding);
    expect(new Set(prints).size).toBe(2);
  });
});

describe('toSarif with findings rated apart from their kind', () => {
  it('reports each under a rule of its own severity, so code scanning shows it', () => {
    const high = makeFinding('missing-vary-origin', {
      origin: 'https://app.example.com',
      message: 'a shared cache may hand a credentialed answer to another origin',
      credentials: false,
      severity: 'high',
    });
    const log = JSON.parse(
      JSON.stringify(toSarif([{ target: 'https://api.example/x', findings: [high] }], '0.1.0')),
    ) as Sarif;
    const run = log.runs[0];
    const result = run?.results[0];
    expect(result?.ruleId).toBe('missing-vary-origin/high');
    const rule = run?.tool.driver.rules[result?.ruleIndex ?? -1];
    expect(rule?.id).toBe('missing-vary-origin/high');
    expect(rule?.properties['security-severity']).toBe('8.0');
    expect(rule?.defaultConfiguration.level).toBe('error');
    // The kind's own rule stays, at the catalogue's severity.
    expect(run?.tool.driver.rules.map((r) => r.id)).toContain('missing-vary-origin');
  });
});
