/** A batch target reduced to what its table row shows and sorts by. */
import type {
  AuditReport,
  BatchKind,
  BatchTarget,
  CheckResult,
  Severity,
  TaskFailure,
  Verdict,
} from '../../types';
import { auditState, auditSummary } from '../audit/audit-state';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  high: 0,
  medium: 1,
  low: 2,
  info: 3,
};

export type TargetResult =
  | { readonly kind: 'check'; readonly result: CheckResult }
  | { readonly kind: 'audit'; readonly result: AuditReport }
  | { readonly kind: 'failure'; readonly result: TaskFailure }
  | { readonly kind: 'none' };

/** Tells the stored result apart: a check result has a plan, an audit report has findings. */
export function targetResult(target: BatchTarget): TargetResult {
  const result = target.result;
  if (result === null) return { kind: 'none' };
  if ('plan' in result) return { kind: 'check', result };
  if ('findings' in result) return { kind: 'audit', result };
  return { kind: 'failure', result };
}

export interface Row {
  readonly position: number;
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly state: BatchTarget['state'];
  readonly verdict: Verdict | null;
  readonly severity: Severity | null;
  readonly findings: number;
  /** An audit whose exchanges partly failed: what it found is not all there may be. */
  readonly incomplete: boolean;
  readonly detail: string;
  readonly hasDetails: boolean;
}

function worstSeverity(report: AuditReport): Severity | null {
  let worst: Severity | null = null;
  for (const finding of report.findings) {
    if (worst === null || SEVERITY_RANK[finding.severity] < SEVERITY_RANK[worst]) {
      worst = finding.severity;
    }
  }
  return worst;
}

function checkDetail(result: CheckResult): string {
  switch (result.verdict) {
    case 'allowed':
      return result.scope === 'preflight-only' ? 'Preflight only' : '';
    case 'blocked':
      return result.failures[0].code;
    case 'error':
      return result.error.message;
    case 'inconclusive':
      return result.reason;
  }
}

export function toRow(target: BatchTarget): Row {
  const base = {
    position: target.position,
    url: target.input.url,
    origin: target.input.origin,
    method: target.input.method,
    state: target.state,
    verdict: null,
    severity: null,
    findings: 0,
    incomplete: false,
    detail: target.state === 'done' ? '' : target.state === 'running' ? 'Running…' : 'Waiting…',
    hasDetails: false,
  };
  const found = targetResult(target);
  switch (found.kind) {
    case 'none':
      return base;
    case 'failure':
      return { ...base, verdict: 'error', detail: found.result.error.message };
    case 'check':
      return {
        ...base,
        verdict: found.result.verdict,
        detail: checkDetail(found.result),
        hasDetails: true,
      };
    case 'audit': {
      const state = auditState(found.result);
      // An unreachable target was not audited: an error, never "no findings".
      if (state.kind === 'unreachable') {
        return { ...base, verdict: 'error', detail: auditSummary(found.result), hasDetails: true };
      }
      return {
        ...base,
        severity: worstSeverity(found.result),
        findings: found.result.findings.length,
        incomplete: state.kind === 'partial',
        detail:
          state.kind === 'partial'
            ? auditSummary(found.result)
            : (found.result.findings[0]?.title ?? 'No findings'),
        hasDetails: true,
      };
    }
  }
}

export type { BatchKind };
