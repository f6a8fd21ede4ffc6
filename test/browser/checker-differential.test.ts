/**
 * The checker against real Chromium: every case is fetched by Chromium from the harness page and
 * checked by `check()` from the same origin, against the same loopback server. Chromium is the
 * oracle: the verdicts must be equal, and so must the failure code (CDP's CorsIssue), the console
 * message, the readable response headers and the requests each side sent (method, Origin,
 * Access-Control-Request-Method/-Headers, Authorization, hop by hop).
 */

import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.js';
import { CheckInputError } from '../../src/check/errors.js';
import type { CheckResult } from '../../src/check/result.js';
import { createCheckDispatcher } from '../../src/check/transport.js';
import { DIFF_CASES, type DiffCase } from './checker-cases.js';
import { type CaseServers, type LoggedRequest, startCaseServers } from './checker-server.js';
import { expectSameVerdict } from './differential-assertions.js';
import {
  type BrowserFetchOutcome,
  type BrowserHarness,
  chromiumSkipReason,
  launchBrowser,
  uniqueUrl,
} from './harness.js';
import { onUntrustedHost, UNTRUSTED_HOST } from './untrusted-host.js';

const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`[checker differential] ${skipReason}`);

/** Cases run concurrently in batches of this size (one page, correlated by unique URL). */
const BATCH = 12;

interface Observed {
  readonly browser: BrowserFetchOutcome;
  readonly checker: CheckResult | CheckInputError;
  readonly browserRequests: string[];
  readonly checkerRequests: string[];
}

/** A request as both sides must have sent it. */
function describeRequest(r: LoggedRequest): string {
  const parts = [`${r.server}${r.hop} ${r.method}`, `origin=${r.origin ?? '-'}`];
  if (r.acrm !== undefined) parts.push(`acrm=${r.acrm}`);
  if (r.acrh !== undefined) parts.push(`acrh=${r.acrh}`);
  if (r.authorization !== undefined) parts.push(`authorization=${r.authorization}`);
  if (r.method !== 'OPTIONS' && r.contentType !== undefined)
    parts.push(`content-type=${r.contentType}`);
  for (const [name, value] of Object.entries(r.added)) {
    if (value !== undefined) parts.push(`${name}=${value}`);
  }
  return parts.join(' ');
}

/**
 * DevTools' failedParameter drops header bytes above 0x7F (measured: an ACAO ending in 0xE9 is
 * reported without it), while we keep them (latin-1). Compare the ASCII parts.
 */
function ascii(s: string): string {
  return s.replace(/[\u0080-\uffff]/g, '');
}

describe.skipIf(skipReason !== undefined)('checker differential against Chromium', () => {
  let browser: BrowserHarness;
  let servers: CaseServers;
  let dispatcher: Agent;
  const observed = new Map<DiffCase, Observed>();

  const runCase = async (c: DiffCase, index: number) => {
    const id = `k${index}`;
    servers.register(id, c.hops);
    const target = c.untrusted ? onUntrustedHost(servers.target) : servers.target;
    const url = uniqueUrl(`${target}/c/${id}/0`);
    const nonce = new URL(url).searchParams.get('__nonce');
    const from = c.from === undefined ? browser.pageOrigin : browser.originFor(c.from);
    const outcome = await browser.fetch(url, c.init, { timeoutMs: 8_000, from });
    let result: CheckResult | CheckInputError;
    try {
      result = await check({
        url,
        origin: from,
        ...(c.init?.method !== undefined ? { method: c.init.method } : {}),
        ...(c.init?.headers !== undefined ? { headers: c.init.headers } : {}),
        ...(c.init?.credentials !== undefined ? { credentials: c.init.credentials } : {}),
        body: c.init?.body ?? null,
        dispatcher,
        timeoutMs: 8_000,
      });
    } catch (error) {
      if (!(error instanceof CheckInputError)) throw error;
      result = error;
    }
    const requests = servers.log.filter((r) => r.caseId === id && r.nonce === nonce);
    observed.set(c, {
      browser: outcome,
      checker: result,
      browserRequests: requests.filter((r) => r.fromBrowser).map(describeRequest),
      checkerRequests: requests.filter((r) => !r.fromBrowser).map(describeRequest),
    });
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    servers = await startCaseServers(() => browser.pageOrigin);
    dispatcher = createCheckDispatcher({
      connections: 16,
      resolve: { [UNTRUSTED_HOST]: '127.0.0.1' },
    });
    const started = Date.now();
    for (let i = 0; i < DIFF_CASES.length; i += BATCH) {
      await Promise.all(DIFF_CASES.slice(i, i + BATCH).map((c, j) => runCase(c, i + j)));
    }
    console.log(
      `[checker differential] Chromium ${browser.version}: ${DIFF_CASES.length} cases in ${Date.now() - started} ms`,
    );
  }, 240_000);

  afterAll(async () => {
    await dispatcher?.close();
    await browser?.close();
    await servers?.close();
  });

  it('predicts whether Chromium caches a preflight (Access-Control-Max-Age)', async () => {
    const values: (string | string[])[] = [
      [],
      '10',
      '0',
      '-0',
      '-1',
      'abc',
      '+10',
      '10.5',
      '',
      ['10', '20'],
      '99999999999999999999',
    ];
    const mismatches: string[] = [];
    await Promise.all(
      values.map(async (value, i) => {
        const id = `max-age-${i}`;
        const lines = (Array.isArray(value) ? value : [value]).map(
          (v) => ['Access-Control-Max-Age', v] as const,
        );
        servers.register(id, [
          {
            preflight: {
              status: 204,
              headers: [
                ['Access-Control-Allow-Origin', '{origin}'],
                ['Access-Control-Allow-Methods', 'PUT'],
                ...lines,
              ],
            },
            actual: { headers: [['Access-Control-Allow-Origin', '{origin}']] },
          },
        ]);
        const url = uniqueUrl(`${servers.target}/c/${id}/0`);
        const nonce = new URL(url).searchParams.get('__nonce');
        await browser.fetch(url, { method: 'PUT' });
        await browser.fetch(url, { method: 'PUT' });
        const preflights = servers.log.filter(
          (r) => r.caseId === id && r.nonce === nonce && r.fromBrowser && r.method === 'OPTIONS',
        ).length;
        const result = await check({ url, origin: browser.pageOrigin, method: 'PUT', dispatcher });
        const seconds = result.preflightCache?.chromium.seconds ?? -1;
        if ((preflights === 1) !== seconds > 0) {
          mismatches.push(
            `${JSON.stringify(value)}: Chromium sent ${preflights} preflights, we predict ${seconds} s`,
          );
        }
      }),
    );
    expect(mismatches).toEqual([]);
  });

  it('has at least 200 cases with distinct names', () => {
    expect(DIFF_CASES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(DIFF_CASES.map((c) => c.name)).size).toBe(DIFF_CASES.length);
  });

  it.each(DIFF_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const seen = observed.get(c);
    expect(seen, `${name}: not run`).toBeDefined();
    if (!seen) return;
    const { browser: b, checker: result } = seen;
    const label = (what: string) => `case "${name}": ${what}`;

    const checker = expectSameVerdict({
      browser: 'Chromium',
      networkError: 'TypeError: Failed to fetch',
      label,
      outcome: b,
      checker: result,
      browserRequests: seen.browserRequests,
      checkerRequests: seen.checkerRequests,
    });
    if (checker === null || b.ok) return;
    const loadFailed = b.consoleMessages.find((m) => m.startsWith('Failed to load resource'));
    if (checker.verdict === 'error') {
      // A network error on our side must be one on Chromium's too (no CORS message).
      expect(b.consoleMessage, label(`network error ${checker.error.code}`)).toBeUndefined();
      return;
    }
    expect(checker.verdict, label('a failure is "blocked"')).toBe('blocked');
    if (checker.verdict !== 'blocked') return;
    const first = checker.failures[0];
    if (b.corsError) {
      expect(first.code, label('failure code (CDP CorsIssue)')).toBe(b.corsError.code);
      if (first.code === 'HeaderDisallowedByPreflightResponse') {
        // Chromium names the first disallowed header in its internal header-map order (found by
        // this suite), not predictable from outside; we name the first in sorted order and list
        // all of them in the fix. The one Chromium names must be among them.
        const all = first.fix.header?.value.split(', ') ?? [];
        expect(all, label('disallowed headers')).toContain(b.corsError.failedParameter);
      } else {
        expect(ascii(first.failedParameter), label('failed parameter (ASCII part)')).toBe(
          ascii(b.corsError.failedParameter),
        );
      }
    }
    if (b.consoleMessage) {
      const expected =
        first.code === 'HeaderDisallowedByPreflightResponse'
          ? b.consoleMessage.replace(
              /Request header field \S+ /,
              `Request header field ${first.failedParameter} `,
            )
          : b.consoleMessage;
      expect(first.message, label('console message')).toBe(expected);
    } else if (loadFailed) {
      // Network-level refusals print "Failed to load resource: net::ERR_..." (when correlated).
      expect(first.message, label('console message')).toBe(loadFailed);
    }
  });
});
