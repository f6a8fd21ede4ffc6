/** Wording shared by the result's parts. */
import type { BrowserName, CheckResult, Step } from '../../types';

export const BROWSER_NAMES: Readonly<Record<BrowserName, string>> = {
  chromium: 'Chromium',
  firefox: 'Firefox',
  webkit: 'WebKit (Safari)',
};

/** What fetch() rejects with when the browser blocks a response. */
export const REJECTION: Readonly<Record<BrowserName, string>> = {
  chromium: 'TypeError: Failed to fetch',
  firefox: 'TypeError: NetworkError when attempting to fetch resource.',
  webkit: 'TypeError: Load failed',
};

export function stepTitle(step: Step): string {
  if (step.kind === 'preflight') {
    return step.hop === 0 ? 'Preflight' : `Preflight after redirect ${step.hop}`;
  }
  return step.hop === 0 ? 'Request' : `Request after redirect ${step.hop}`;
}

/** Index of the step the browser stopped at, or -1 (also when it stopped before sending). */
export function decisiveStepIndex(result: CheckResult): number {
  if (result.verdict === 'blocked') return result.failures[0].step ?? -1;
  if (result.verdict === 'error') return result.error.step;
  return -1;
}
