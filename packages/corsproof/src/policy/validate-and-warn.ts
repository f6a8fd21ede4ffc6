/**
 * Options validated, and a warning for a policy whose origins predicate accepts anything. The
 * warning calls the predicate, which only options can hold (a prevalidated policy cannot), so it
 * comes with the validator: in the Node build always, in the edge build with
 * `includePolicyValidation()`.
 */
import type { NormalizedConfig } from './validate.js';
import { validateOptions } from './validate.js';
import type { ValidationResult } from './validated-policy.js';

/** A random origin no one allows on purpose, to catch predicates that accept everything. */
function probeOrigin(): string {
  return `https://corsproof-probe-${Math.random().toString(36).slice(2, 10)}.example`;
}

function warnIfPredicateAcceptsAnything(config: NormalizedConfig): void {
  const { logger, origins } = config;
  if (logger === null || !config.credentials || typeof origins !== 'function') return;
  const origin = probeOrigin();
  const warn = (accepted: unknown) => {
    if (accepted === true || (accepted as { allow?: unknown } | null)?.allow === true) {
      logger.warn(
        `corsproof: the origins predicate accepted the random origin ${JSON.stringify(origin)} while credentials are on: any site could act as the signed-in user. Return true only for origins you trust.`,
      );
    }
  };
  try {
    const result = origins(origin, { method: 'GET', origin });
    if (typeof result === 'object' && result !== null && 'then' in result) {
      Promise.resolve(result).then(warn, () => {});
    } else warn(result);
  } catch {
    // A predicate that throws on an unknown origin is not accepting it.
  }
}

/** Validates options as `compilePolicy` does, warning (in debug mode) of a predicate that accepts anything. */
export function validateOptionsAndWarn(input: unknown): ValidationResult {
  const result = validateOptions(input);
  if (result.ok) warnIfPredicateAcceptsAnything(result.config);
  return result;
}
