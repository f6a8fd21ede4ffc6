/**
 * corsproof: the policy engine. Framework adapters live in their own entry points
 * (`corsproof/node`, ...), so importing this one pulls in no framework.
 */

export { includeDecisionLog } from './edge/include-decision-log.js';
export { includePathTables } from './edge/include-path-tables.js';
export { includePolicyValidation } from './edge/include-policy-validation.js';
export { includePublicSuffixList } from './edge/include-public-suffix-list.js';
export * from './policy/index.js';
export { mergeVary } from './spec/vary.js';
