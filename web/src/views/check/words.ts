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

/**
 * Who judged the result: the browser, or the emulated server-side checker.
 *
 * @example
 * judgeOf(result) // "in Chromium", or "by Galxe’s CORS Check"
 */
export function judgeOf(result: CheckResult): string {
  const emulation = emulationReportOf(result);
  return emulation === null
    ? `in ${BROWSER_NAMES[result.browser]}`
    : `by ${typographic(emulation.name)}`;
}

/**
 * The result's emulation report, or null. Checks stored before emulations were generic have no
 * `emulation` field at all (theirs was `galxe`): they read as a browser's.
 */
export function emulationReportOf(result: CheckResult): CheckResult['emulation'] {
  return result.emulation ?? null;
}

/** Straight apostrophes made typographic, as the page writes them. */
export function typographic(text: string): string {
  return text.replace(/'/g, '’');
}

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
