/**
 * What counts as passed, failed or error, for the counts of a batch and the transitions of a
 * monitor. One place, so the two never disagree.
 */
import { severityAtLeast } from '../../audit/index.js';
import type { CheckResult } from '../../check/index.js';
import type { Outcome } from '../routes/shared.schema.js';
import type { AuditReport } from './runner.js';

/**
 * allowed -> passed, blocked -> failed. `error` and `inconclusive` are both `error`: neither gives
 * a verdict on the CORS configuration (no response, or nothing that could be judged).
 */
export function checkOutcome(result: CheckResult): Outcome {
  if (result.verdict === 'allowed') return 'passed';
  if (result.verdict === 'blocked') return 'failed';
  return 'error';
}

/**
 * Failed when a finding is of medium severity or above, as `corsproof audit` exits 1; an audit
 * that reports an `error` (the target could not be reached) is an error.
 */
export function auditOutcome(report: AuditReport): Outcome {
  if (report.error !== undefined && report.error !== null) return 'error';
  return report.findings.some((f) => severityAtLeast(f.severity, 'medium')) ? 'failed' : 'passed';
}
