/**
 * `includeDecisionLog()` in the edge build (scripts/build-edge.mjs puts this module in place of
 * include-decision-log.ts): hands the decision log to policy/decision-report.edge.ts, so a bundler
 * leaves the log and `explainDecision` out of a Worker that never calls this.
 */
import { reportingDecide } from '../policy/decision-log.js';
import { useDecisionReport } from '../policy/decision-report.edge.js';

/** See include-decision-log.ts. */
export function includeDecisionLog(): void {
  useDecisionReport(reportingDecide);
}
