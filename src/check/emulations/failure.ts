/** An emulation's failure record, built from its table as the browser failures are from theirs. */
import type { Failure } from '../result.js';
import type { Emulation, EmulationFailureDetail } from './emulation.js';

/** The full failure record of `detail`, which happened at `step`. */
export function describeEmulationFailure(
  emulation: Emulation,
  detail: EmulationFailureDetail,
  step: number,
): Failure {
  const entry = emulation.failures[detail.code as keyof typeof emulation.failures];
  if (entry === undefined) {
    throw new Error(`corsproof: the ${emulation.id} emulation has no entry for ${detail.code}`);
  }
  return {
    code: detail.code as Failure['code'],
    step,
    message: entry.message(detail),
    explanation: entry.explain(detail),
    failedParameter: entry.failedParameter(detail),
    fix: entry.fix(detail),
  };
}
