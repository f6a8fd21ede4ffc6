/**
 * The assertions both differential suites (Chromium, Firefox) make before their browser-specific
 * checks of the failure: the checker refuses what fetch() refuses, sends the same requests, and
 * reaches the same verdict, with the same status and readable headers when the browser allows.
 */
import { expect } from 'vitest';
import type { CheckResult } from '../../src/check/index.js';
import { CheckInputError } from '../../src/check/index.js';

/** A browser's outcome, as both harnesses report it. */
export type BrowserOutcome =
  | { readonly ok: true; readonly status: number; readonly headers: Record<string, string> }
  | { readonly ok: false; readonly error: string; readonly errorName: string };

export interface Compared {
  /** The browser's name, for messages. */
  readonly browser: string;
  /** How the browser words a network-level failure (`TypeError: Failed to fetch` in Chromium). */
  readonly networkError: string;
  readonly label: (what: string) => string;
  readonly outcome: BrowserOutcome;
  readonly checker: CheckResult | CheckInputError;
  readonly browserRequests: readonly string[];
  readonly checkerRequests: readonly string[];
}

/**
 * Asserts what every case has in common. Returns the checker's result when both refused the
 * request (for the suite to compare how), or null when there is nothing more to compare.
 */
export function expectSameVerdict(c: Compared): CheckResult | null {
  const { outcome: o, checker, label, browser } = c;
  // fetch() refused the arguments: the checker must refuse them too.
  if (!o.ok && o.error !== c.networkError && o.errorName === 'TypeError') {
    expect(checker, label(`${browser} threw ${o.error}`)).toBeInstanceOf(CheckInputError);
    return null;
  }
  expect(checker, label('the checker threw')).not.toBeInstanceOf(CheckInputError);
  if (checker instanceof CheckInputError) return null;

  expect(c.checkerRequests, label(`requests sent (checker vs ${browser})`)).toEqual(
    c.browserRequests,
  );
  expect(checker.allowed, label(`verdict (${browser}: ${o.ok ? 'allowed' : o.error})`)).toBe(o.ok);
  if (o.ok && checker.verdict === 'allowed') {
    expect(checker.response?.status, label('status')).toBe(o.status);
    expect(
      [...(checker.response?.readableHeaders ?? [])].sort(),
      label('readable headers'),
    ).toEqual(Object.keys(o.headers).sort());
  }
  return o.ok ? null : checker;
}
