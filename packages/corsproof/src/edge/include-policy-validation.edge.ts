/**
 * `includePolicyValidation()` in the edge build (scripts/build-edge.mjs puts this module in place
 * of include-policy-validation.ts): hands the validator to policy/validate-input.edge.ts, so a
 * bundler leaves the validator out of a Worker that never calls this.
 */

import { validateOptionsAndWarn } from '../policy/validate-and-warn.js';
import { usePolicyValidator } from '../policy/validate-input.edge.js';

/** See include-policy-validation.ts. */
export function includePolicyValidation(): void {
  usePolicyValidator(validateOptionsAndWarn);
}
