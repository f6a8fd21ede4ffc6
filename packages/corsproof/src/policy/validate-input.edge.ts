/**
 * What `compilePolicy` validates with in the edge build of corsproof (the `workerd`, `worker` and
 * `browser` export conditions; scripts/build-edge.mjs puts this module in place of
 * validate-input.ts). Validating options with messages that say how to fix each problem is the
 * largest part of the engine, and a policy written in the Worker's code is the same on every
 * start; so the edge build takes a policy validated at build time (`prevalidatePolicy()`, in
 * Node), checked for its format, version and checksum, and validates options at run time only
 * once the Worker calls `includePolicyValidation()` (edge/include-policy-validation.edge.ts),
 * which hands the validator over here. Either way every rule of the Node build applies.
 */
import { EdgeOptInError } from './opt-in-error.js';
import {
  isValidatedPolicy,
  loadValidatedPolicy,
  type ValidationResult,
} from './validated-policy.js';

/** Thrown by `compilePolicy` in the edge build for options when the Worker has not included the validator. */
const absent = () =>
  new EdgeOptInError('PolicyValidation', 'options (rather than a policy from prevalidatePolicy())');

let validate: ((options: unknown) => ValidationResult) | null = null;

/** Gives the edge build the validator (through a function, so that without it none is bundled). */
export function usePolicyValidator(validateOptions: (options: unknown) => ValidationResult): void {
  validate = validateOptions;
}

/** Loads a prevalidated policy; validates options once the validator is included. */
export function validatePolicyInput(input: unknown): ValidationResult {
  // A record is loaded the same way with or without the validator: it was validated at build
  // time, by the Node build, with the full Public Suffix List.
  if (isValidatedPolicy(input)) return loadValidatedPolicy(input);
  if (validate === null) throw absent();
  return validate(input);
}
