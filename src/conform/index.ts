/**
 * corsproof/conform: does the live server answer as the policy file says? For CI after a deploy,
 * and to prove generated server configurations against the real servers.
 */
export type { CaseAspect, ConformCase, ProbeKind } from './case.js';
export { type ConformDifference, compareOutcomes, type DifferenceKind } from './compare.js';
export { type CaseResult, type ConformOptions, type ConformReport, conform } from './conform.js';
export { deriveCases, type PathSample, samplePaths } from './derive.js';
export { formatConformReport } from './format.js';
export { toJUnit } from './junit.js';
export { type OriginSample, originSamples } from './origin-samples.js';
export type { Outcome } from './outcome.js';
export { toConformSarif } from './sarif.js';
