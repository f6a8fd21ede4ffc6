/**
 * SARIF 2.1.0 output, for code-scanning pipelines (GitHub code scanning, GitLab, Azure DevOps).
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import { FINDING_KINDS, type Finding, type Severity } from './findings.js';

/** SARIF has three levels; `security-severity` (0-10) carries our four for security dashboards. */
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export interface AuditedTarget {
  /** The URL audited, or the policy file for a static audit. */
  readonly target: string;
  readonly findings: readonly Finding[];
}

/**
 * Turns audit results into one SARIF log with a rule per finding id.
 *
 * @example
 * JSON.stringify(toSarif([{ target: 'https://api.example.com/x', findings }], '0.1.0'))
 */
export function toSarif(results: readonly AuditedTarget[], version: string): object {
  const rules = [...FINDING_KINDS.values()].map((kind) => ({
    id: kind.id,
    name: kind.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: kind.title },
    fullDescription: { text: kind.why },
    help: { text: kind.fix },
    defaultConfiguration: { level: LEVEL[kind.severity] },
    properties: { tags: ['security', 'cors'], 'security-severity': SECURITY_SEVERITY[kind.severity] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'corsproof',
            version,
            informationUri: 'https://www.npmjs.com/package/corsproof',
            rules,
          },
        },
        results: results.flatMap(({ target, findings }) =>
          findings.map((f) => ({
            ruleId: f.id,
            ruleIndex: ruleIndex.get(f.id),
            level: LEVEL[f.severity],
            message: { text: `${f.message}. ${f.why} Fix: ${f.fix}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: target } } }],
            partialFingerprints: { corsproofFinding: `${f.id}:${target}` },
            properties: {
              severity: f.severity,
              origin: f.origin,
              credentials: f.credentials,
              'security-severity': SECURITY_SEVERITY[f.severity],
            },
          })),
        ),
      },
    ],
  };
}
