export { type CorsPolicy, compilePolicy, type PolicyJSON } from './compile.js';
export type {
  ActualAllowedDecision,
  ActualRefusedDecision,
  Decision,
  HeaderPair,
  NotCorsDecision,
  PreflightAcceptedDecision,
  PreflightRefusedDecision,
  Refusal,
  RefusalCode,
} from './decision.js';
export { isPreflight } from './decision.js';
export { type CorsConfigCode, CorsConfigError, type CorsConfigIssue } from './errors.js';
export { type Explanation, explain, explainDecision } from './explain.js';
export {
  type PathChoice,
  type PathRule,
  type PolicyFile,
  type PolicyFileEntry,
  type PolicySetJSON,
  parsePolicyFile,
} from './file.js';
export type {
  CorsLogger,
  CorsOptions,
  CorsRequest,
  DecisionEvent,
  DecisionListener,
  DecisionLogOptions,
  DecisionSampling,
  OnDecisionOption,
  OriginPredicate,
  OriginsOption,
  OriginVerdict,
} from './options.js';
// For the static auditor (corsproof's tools), which reads a policy's origin entries as the engine does.
export type { ParsedOriginSpec } from './origin-pattern.js';
export * from './routes/index.js';
