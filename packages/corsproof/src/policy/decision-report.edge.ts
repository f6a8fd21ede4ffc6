/**
 * How `compilePolicy` wraps a policy that has `onDecision` in the edge build of corsproof (the
 * `workerd`, `worker` and `browser` export conditions; scripts/build-edge.mjs puts this module in
 * place of decision-report.ts). The decision log and the explanations its events carry are a
 * tenth of the engine, gzipped, and cost nothing unless `onDecision` is set; so the edge build
 * carries them only once the Worker calls `includeDecisionLog()`
 * (edge/include-decision-log.edge.ts), which hands the log over here.
 */

import type { Decision } from './decision.js';
import type { DecisionLog } from './decision-log-options.js';
import { EdgeOptInError } from './opt-in-error.js';
import type { CorsRequest } from './options.js';

type Decide = (request: CorsRequest) => Decision | Promise<Decision>;

/** Thrown by `compilePolicy` in the edge build for `onDecision` when the Worker has not included the log. */
const absent = () => new EdgeOptInError('DecisionLog', 'onDecision');

let wrap: ((decide: Decide, log: DecisionLog) => Decide) | null = null;

/** Gives the edge build the decision log (through a function, so that without it none is bundled). */
export function useDecisionReport(reporting: (decide: Decide, log: DecisionLog) => Decide): void {
  wrap = reporting;
}

/** Wraps a decision function so every sampled decision is reported, once the log is included. */
export function reportingDecide(decide: Decide, log: DecisionLog): Decide {
  if (wrap === null) throw absent();
  return wrap(decide, log);
}
