/**
 * corsproof/audit: which origins does an endpoint (or a corsproof policy) really trust? Crafted
 * origins judged with the exact browser rules, findings with stable ids and severities.
 */

export { audit } from './audit.js';
export { type ClassifyOptions, classifyProbes, type ProbeVerdict } from './classify.js';
export { AuditInputError, type AuditInputErrorCode } from './errors.js';
export {
  type Evidence,
  FINDING_KINDS,
  type Finding,
  type FindingId,
  type FindingKind,
  findingKind,
  makeFinding,
  raiseSeverity,
  SEVERITY_ORDER,
  type Severity,
  severityAtLeast,
  sortFindings,
} from './findings.js';
export { type AuditOptions, DEFAULT_CONCURRENCY } from './options.js';
export { auditPolicy, type PolicyAuditOptions } from './policy-audit.js';
export { deriveProbes, type Probe, type ProbeBrowsers, type ProbeInput } from './probes.js';
export type {
  AuditError,
  AuditReport,
  Baseline,
  LegSummary,
  Passes,
  ProbeRecord,
} from './report.js';
export { type AuditedOperation, type AuditedTarget, toSarif } from './sarif.js';
