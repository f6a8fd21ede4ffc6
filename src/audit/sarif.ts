/**
 * SARIF 2.1.0 output, for code-scanning pipelines (GitHub code scanning, GitLab, Azure DevOps).
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import {
  categoryOf,
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  type Severity,
} from './findings.js';

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
  /** What kept the audit of this target from completing (network errors, unusable input). */
  readonly errors?: readonly string[];
  /**
   * The API operation the target stands for, when it came from an API description: results name
   * it as their logical location, and two operations on one URL (GET and POST /items) stay apart.
   */
  readonly operation?: AuditedOperation;
}

/** An operation of an API description, as a SARIF result names it. */
export interface AuditedOperation {
  readonly method: string;
  /** The path as the description writes it: `/items/{id}`. */
  readonly path: string;
  readonly operationId: string | null;
}

/** SARIF §3.33 logicalLocation: the operation, by its `operationId` or `METHOD /path`. */
function logicalLocation(operation: AuditedOperation) {
  const qualified = `${operation.method} ${operation.path}`;
  return {
    name: operation.operationId ?? qualified,
    fullyQualifiedName: qualified,
    kind: 'function',
  };
}

/**
 * The rule a finding reports under. Code scanning shows a result with its rule's
 * `security-severity`, not the result's: a finding rated above or below its kind's usual severity
 * (a missing `Vary: Origin` is high where a shared cache would leak credentialed answers, low
 * elsewhere) reports under a rule of that severity, `<id>/<severity>`, so a high shows as High.
 */
function ruleIdOf(f: Finding): string {
  const kind = FINDING_KINDS.get(f.id);
  return kind === undefined || kind.severity === f.severity ? f.id : `${f.id}/${f.severity}`;
}

/** One rule per finding kind, and one more per other severity a finding of that kind was given. */
function rulesFor(findings: readonly Finding[]) {
  const variants = new Map<string, Severity>();
  for (const f of findings) {
    const id = ruleIdOf(f);
    if (id !== f.id) variants.set(id, f.severity);
  }
  const kinds = [...FINDING_KINDS.values()];
  return [
    ...kinds.map((kind) => ruleOf(kind, kind.id, kind.severity)),
    ...[...variants].map(([id, severity]) => {
      const kind = FINDING_KINDS.get(id.slice(0, id.lastIndexOf('/')) as Finding['id']);
      if (kind === undefined) throw new Error(`no finding kind for rule ${id}`);
      return ruleOf(kind, id, severity);
    }),
  ];
}

function ruleOf(kind: FindingKind, id: string, severity: Severity) {
  return {
    id,
    // PascalCase of the id (`preflight-non-2xx` -> `PreflightNon2xx`), as SARIF viewers expect.
    name: id
      .split(/[-/]/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join(''),
    shortDescription: { text: kind.title },
    fullDescription: { text: kind.why },
    help: { text: kind.fix },
    defaultConfiguration: { level: LEVEL[severity] },
    // Breakage is a defect, not a vulnerability: tagged so, code scanning lists it with the other
    // alerts rather than as a security one.
    properties:
      categoryOf(kind.id) === 'security'
        ? { tags: ['security', 'cors'], 'security-severity': SECURITY_SEVERITY[severity] }
        : { tags: ['cors', 'breakage'] },
  };
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Turns audit results into one SARIF log with a rule per finding id. Targets that could not be
 * audited completely become error notifications of the invocation, which then did not succeed.
 *
 * @example
 * JSON.stringify(toSarif([{ target: 'https://api.example.com/x', findings }], '0.1.0'))
 */
export function toSarif(results: readonly AuditedTarget[], version: string): object {
  const rules = rulesFor(results.flatMap((r) => r.findings));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const notifications = results.flatMap(({ target, errors }) =>
    (errors ?? []).map((text) => ({
      level: 'error',
      message: { text: sentence(text) },
      locations: [{ physicalLocation: { artifactLocation: { uri: target } } }],
    })),
  );
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
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        results: results.flatMap(({ target, findings, operation }) =>
          findings.map((f) => ({
            ruleId: ruleIdOf(f),
            ruleIndex: ruleIndex.get(ruleIdOf(f)),
            level: LEVEL[f.severity],
            message: { text: `${sentence(f.message)} ${f.why} Fix: ${f.fix}` },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: target } },
                ...(operation === undefined
                  ? {}
                  : { logicalLocations: [logicalLocation(operation)] }),
              },
            ],
            // Crafted origins carry a random label per run; the id and target (and the method of
            // an operation) are what stay the same from one run to the next, so alerts are
            // matched across runs.
            partialFingerprints: {
              corsproofFinding:
                operation === undefined
                  ? `${f.id}:${target}`
                  : `${f.id}:${operation.method} ${target}`,
            },
            properties: {
              severity: f.severity,
              origin: f.origin,
              credentials: f.credentials,
              ...(f.impact === undefined ? {} : { impact: f.impact }),
              ...(f.origins === undefined ? {} : { origins: f.origins }),
              ...(operation === undefined
                ? {}
                : {
                    operation: `${operation.method} ${operation.path}`,
                    ...(operation.operationId === null
                      ? {}
                      : { operationId: operation.operationId }),
                  }),
              'security-severity': SECURITY_SEVERITY[f.severity],
            },
          })),
        ),
      },
    ],
  };
}
