/**
 * How far an audit got. An audit that could not reach its target has no findings because it
 * looked at nothing, and one whose probes partly failed has not judged those origins: neither may
 * read as "no findings" (the CLI exits 2 for the first).
 */
import type { AuditProblem, AuditReport } from '../../types';

export type AuditState =
  /** The trusted origin's own request failed: nothing was audited. */
  | { readonly kind: 'unreachable'; readonly problem: AuditProblem }
  /** Some exchanges failed: the origins they carried were not judged. */
  | { readonly kind: 'partial'; readonly problems: readonly AuditProblem[] }
  | { readonly kind: 'complete' };

export function auditState(report: AuditReport): AuditState {
  if (report.error !== undefined && report.error !== null) {
    return { kind: 'unreachable', problem: report.error };
  }
  const problems = report.errors ?? [];
  return problems.length > 0 ? { kind: 'partial', problems } : { kind: 'complete' };
}

/** One sentence for the live region and the batch table. */
export function auditSummary(report: AuditReport): string {
  const state = auditState(report);
  if (state.kind === 'unreachable') return `Could not audit: ${state.problem.message}`;
  const count = report.findings.length;
  const found = count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`;
  if (state.kind === 'partial') {
    const n = state.problems.length;
    return `Incomplete audit: ${found}, but ${n} exchange${n === 1 ? '' : 's'} failed and ${n === 1 ? 'was' : 'were'} not judged.`;
  }
  return count === 0 ? 'No findings.' : `${found[0]?.toUpperCase()}${found.slice(1)}.`;
}
