/**
 * How `compilePolicy` wraps a policy that has `onDecision`, in the Node build: with the decision
 * log, always there. The edge build has decision-report.edge.ts instead (scripts/build-edge.mjs
 * swaps it in), which reports only once the Worker calls `includeDecisionLog()`.
 */
export { reportingDecide } from './decision-log.js';
