/**
 * `audit --openapi` output: one line per operation (its findings counted by severity), then each
 * finding once, over every operation it was proven on. As JSON: the same, with every report.
 */
import {
  type AuditReport,
  type Finding,
  SEVERITY_ORDER,
  type Severity,
  severityAtLeast,
} from '../../audit/index.js';
import { type BrowserName, browserProfile } from '../../check/index.js';
import type { ApiOperation } from '../../openapi/index.js';
import { groupBy, operationLabel } from '../openapi-input.js';
import { painter, SEVERITY_STYLE } from './format.js';

export interface AuditedOperation {
  readonly operation: ApiOperation;
  /** Absent when the operation could not be audited at all (`error` says why). */
  readonly report?: AuditReport;
  readonly error?: { readonly code: string; readonly message: string };
}

/** A finding id and the operations it was proven on, its words taken from the most severe. */
export interface FindingGroup {
  readonly id: Finding['id'];
  readonly title: string;
  readonly severity: Severity;
  readonly count: number;
  readonly message: string;
  readonly fix: string;
  readonly operations: readonly string[];
}

/** 0 for info up to 3 for high. */
function rank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

export function findingGroups(audited: readonly AuditedOperation[]): FindingGroup[] {
  const all = audited.flatMap((a) =>
    (a.report?.findings ?? []).map((finding) => ({ finding, label: operationLabel(a.operation) })),
  );
  const groups = groupBy(all, (x) => x.finding.id).map(([, group]) => {
    // Its words from the most severe instance (credentials raise a finding's severity).
    const [worst] = [...group].sort((a, b) => rank(b.finding.severity) - rank(a.finding.severity));
    const labels = [...new Set(group.map((x) => x.label))];
    return {
      id: worst?.finding.id ?? group[0]?.finding.id,
      title: worst?.finding.title ?? '',
      severity: worst?.finding.severity ?? 'info',
      count: labels.length,
      message: worst?.finding.message ?? '',
      fix: worst?.finding.fix ?? '',
      operations: labels,
    } as FindingGroup;
  });
  // Most severe first, then the most widespread.
  return groups.sort((a, b) => rank(b.severity) - rank(a.severity) || b.count - a.count);
}

/** `2 high, 1 low`, `clean`, or why there is no audit. */
function summaryOf(a: AuditedOperation): string {
  if (a.report === undefined) return `not audited: ${a.error?.code ?? 'error'}`;
  if (a.report.error !== null) return `no audit: ${a.report.error.code}`;
  const per = [...SEVERITY_ORDER].reverse().flatMap((s) => {
    const n = a.report?.findings.filter((f) => f.severity === s).length ?? 0;
    return n === 0 ? [] : [`${n} ${s}`];
  });
  const errors = a.report.errors.length > 0 ? [`${a.report.errors.length} network errors`] : [];
  return [...per, ...errors].join(', ') || 'clean';
}

/** The `--json` document. */
export function operationAuditsReport(trustedOrigin: string, audited: readonly AuditedOperation[]) {
  return {
    trustedOrigin,
    total: audited.length,
    groups: findingGroups(audited),
    operations: audited.map((a) => ({
      method: a.operation.method,
      path: a.operation.path,
      url: a.operation.url,
      operationId: a.operation.operationId,
      tags: a.operation.tags,
      summary: summaryOf(a),
      ...(a.report === undefined ? { error: a.error } : { report: a.report }),
    })),
  };
}

/**
 * The per-operation audit for a terminal.
 *
 * @example
 * process.stdout.write(formatOperationAudits('https://app.example', 'chromium', audited));
 */
export function formatOperationAudits(
  trustedOrigin: string,
  browser: BrowserName,
  audited: readonly AuditedOperation[],
  options: { readonly color?: boolean } = {},
): string {
  const paint = painter(options.color === true);
  const out = [
    `${paint('bold', 'AUDIT')}  ${audited.length} operation${audited.length === 1 ? '' : 's'}  (trusted origin ${trustedOrigin}, ${browserProfile(browser).displayName} rules)`,
    '',
  ];
  const methodWidth = Math.max(...audited.map((a) => a.operation.method.length));
  const pathWidth = Math.min(60, Math.max(...audited.map((a) => a.operation.path.length)));
  const summaryWidth = Math.max(...audited.map((a) => summaryOf(a).length));
  for (const a of audited) {
    const id = a.operation.operationId === null ? '' : paint('dim', a.operation.operationId);
    out.push(
      `  ${a.operation.method.padEnd(methodWidth)}  ${a.operation.path.padEnd(pathWidth)}  ${summaryOf(a).padEnd(summaryWidth)}  ${id}`.trimEnd(),
    );
  }
  const groups = findingGroups(audited);
  if (groups.length > 0) out.push('', paint('bold', 'Findings, by cause:'));
  for (const g of groups) {
    out.push(
      '',
      `${paint(SEVERITY_STYLE[g.severity], `[${g.severity}]`)} ${paint('bold', g.id)}  ${g.title} (${g.count} operation${g.count === 1 ? '' : 's'})`,
      `  ${g.message}`,
      `  ${paint('bold', 'Fix:')} ${g.fix}`,
      `  ${paint('dim', g.operations.join(', '))}`,
    );
  }
  const failed = audited.filter((a) => a.report === undefined || a.report.error !== null);
  if (failed.length > 0) out.push('', paint('bold', 'Not audited:'));
  for (const a of failed) {
    const why =
      a.report === undefined
        ? (a.error?.message ?? '')
        : `the trusted origin's own GET failed: ${a.report.error?.code}: ${a.report.error?.message}`;
    out.push(`  ${operationLabel(a.operation)}: ${why}`);
  }
  const serious = groups.filter((g) => severityAtLeast(g.severity, 'medium')).length;
  out.push(
    '',
    serious === 0
      ? paint('green', 'No finding of medium severity or above.')
      : paint(
          'red',
          `${serious} kind${serious === 1 ? '' : 's'} of finding of medium severity or above.`,
        ),
  );
  return `${out.join('\n')}\n`;
}
