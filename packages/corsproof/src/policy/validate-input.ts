/**
 * What `compilePolicy` validates with, in the Node build: options go through the full validator;
 * a prevalidated policy (validated-policy.ts) is checked and validated again from the options it
 * was made from. The edge build has validate-input.edge.ts instead (scripts/build-edge.mjs swaps
 * it in), which loads prevalidated policies without the validator.
 */
import { validateOptions } from './validate.js';
import { validateOptionsAndWarn } from './validate-and-warn.js';
import { isValidatedPolicy, revalidatePolicy, type ValidationResult } from './validated-policy.js';

/** Validates options or a prevalidated policy. */
export function validatePolicyInput(input: unknown): ValidationResult {
  return isValidatedPolicy(input)
    ? revalidatePolicy(input, validateOptions)
    : validateOptionsAndWarn(input);
}
