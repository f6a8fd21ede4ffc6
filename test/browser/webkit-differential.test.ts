/**
 * The checker's webkit profile against real WebKit (WebKitGTK's MiniBrowser over WebKitWebDriver):
 * every case of the Chromium and Firefox suites (checker-cases.ts, firefox-cases.ts) plus the
 * WebKit-specific ones (webkit-cases.ts) is fetched by WebKit from the harness page and checked by
 * `check({ browser: 'webkit' })` from the same origin, against the same loopback servers. WebKit is
 * the oracle: the verdicts must be equal, and so must the readable response headers and the
 * requests each side sent (method, Origin, Access-Control-Request-Method/-Headers, Authorization and
 * the headers the browser adds, hop by hop). WebKit's console cannot be read through WebDriver
 * classic, so failures are compared by verdict, not by wording.
 *
 * Left out: the cases on the untrusted host name (untrusted-host.ts), which WebKit cannot be told
 * to resolve (webkit.ts).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIFF_CASES, type DiffCase } from './checker-cases.js';
import { type Differential, measurePreflightCache, runDifferential } from './differential.js';
import { expectSameVerdict } from './differential-assertions.js';
import { FIREFOX_CASES } from './firefox-cases.js';
import {
  launchWebKit,
  WEBKIT_NETWORK_ERROR,
  type WebKitFetchOutcome,
  type WebKitHarness,
  webkitSkipReason,
} from './webkit.js';
import { WEBKIT_CASES } from './webkit-cases.js';

const skipReason = webkitSkipReason();
if (skipReason) console.warn(`[webkit differential] ${skipReason}`);

/** Whether a case needs the untrusted host name, directly or by a redirect to it. */
const needsUntrustedHost = (c: DiffCase) =>
  c.untrusted === true || JSON.stringify(c.hops).includes('untrusted');

const CASES: readonly DiffCase[] = [...DIFF_CASES, ...FIREFOX_CASES, ...WEBKIT_CASES].filter(
  (c) => !needsUntrustedHost(c),
);

describe.skipIf(skipReason !== undefined)('checker differential against WebKit', () => {
  let webkit: WebKitHarness;
  let run: Differential<WebKitFetchOutcome>;

  beforeAll(async () => {
    webkit = await launchWebKit();
    const started = Date.now();
    run = await runDifferential(webkit, CASES, { idPrefix: 'k', checkerBrowser: 'webkit' });
    console.log(
      `[webkit differential] WebKitGTK ${webkit.version} (${webkit.userAgent}): ${CASES.length} cases in ${Date.now() - started} ms`,
    );
  }, 180_000);

  afterAll(async () => {
    await run?.close();
    await webkit?.close();
  });

  it('has distinct case names and at least 250 cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(250);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const seen = run.observed.get(c);
    expect(seen, `${name}: not run`).toBeDefined();
    if (!seen) return;
    const label = (what: string) => `case "${name}": ${what}`;
    const checker = expectSameVerdict({
      browser: 'WebKit',
      networkError: WEBKIT_NETWORK_ERROR,
      label,
      outcome: seen.outcome,
      checker: seen.checker,
      browserRequests: seen.browserRequests,
      checkerRequests: seen.checkerRequests,
    });
    if (checker === null) return;
    expect(['blocked', 'error'], label('a failure is "blocked" or a network error')).toContain(
      checker.verdict,
    );
  });

  /**
   * Access-Control-Max-Age measured through the preflight cache: the same PUT twice, and whether
   * the second one was preflighted again. The limit itself (600 s) cannot be measured in a test;
   * what can is that a value is used (one preflight) or not (two), and that a short one expires.
   */
  it('predicts whether WebKit caches a preflight (Access-Control-Max-Age)', async () => {
    const values: (string | string[])[] = [
      [],
      '10',
      '0',
      '-1',
      'abc',
      '+10',
      '10.5',
      '',
      ['10', '20'],
      '600',
      '601',
      '99999999999999999999',
    ];
    const mismatches: string[] = [];
    const measured: string[] = [];
    const preflightsFor = async (id: string, maxAge: string[], waitMs = 0) => {
      const { preflights, result } = await measurePreflightCache(webkit, run, id, maxAge, {
        waitMs,
        checkerBrowser: 'webkit',
      });
      return { preflights, predicted: result.preflightCache?.webkit ?? null };
    };
    await Promise.all([
      ...values.map(async (value, i) => {
        const { preflights, predicted } = await preflightsFor(
          `wk-max-age-${i}`,
          Array.isArray(value) ? value : [value],
        );
        measured.push(`${JSON.stringify(value)}: ${preflights === 1 ? 'cached' : 'not cached'}`);
        if (predicted === null || (preflights === 1) !== predicted.seconds > 0) {
          mismatches.push(
            `${JSON.stringify(value)}: WebKit sent ${preflights} preflights, we predict ${JSON.stringify(predicted)}`,
          );
        }
      }),
      // A lifetime runs out: 1 s is over after 1.5 s (a second preflight), 30 s is not.
      ...[
        ['1', 2],
        ['30', 1],
      ].map(async ([value, expected]) => {
        const { preflights, predicted } = await preflightsFor(
          `wk-max-age-expiry-${value}`,
          [String(value)],
          1_500,
        );
        if (preflights !== expected || predicted?.seconds !== Number(value)) {
          mismatches.push(
            `${value} s, 1.5 s apart: WebKit sent ${preflights} preflights (expected ${expected}), we predict ${JSON.stringify(predicted)}`,
          );
        }
      }),
    ]);
    console.log(`[webkit differential] Access-Control-Max-Age: ${measured.sort().join('; ')}`);
    expect(mismatches).toEqual([]);
  }, 60_000);
});
