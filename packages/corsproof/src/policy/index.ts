export { type CorsPolicy, compilePolicy, type PolicyJSON } from './compile.js';
// For the static auditor (corsproof's tools), which reads a policy's origin entries as the engine does.
// For corsproof's tools (the static auditor, generate, conform, import), which read a policy's
// entries and limits exactly as the engine does instead of re-deriving them.
export { MAX_ORIGIN_LENGTH, REQUEST_HEADERS_LIMITS } from './decide.js';
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
  POLICY_FILE_SCHEMA_ID,
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
export { type ParsedOriginSpec, parseOriginSpec } from './origin-pattern.js';
export { prevalidatePolicy } from './prevalidate.js';
export * from './routes/index.js';
export {
  compilePathPattern,
  isPatternProblem,
  type PathPattern,
  type PatternProblem,
} from './routes/path.js';
export type {
  StoredValidatedPolicy,
  ValidatedConfigJSON,
  ValidatedPolicy,
} from './validated-policy.js';
