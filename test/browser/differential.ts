/**
 * The run both differential suites (Chromium, Firefox) share: every case is fetched by the browser
 * from the harness page and checked by `check()` from the same origin, against the same loopback
 * case servers, and what each side saw is kept for the suite's assertions.
 *
 * Each side fetches its own URL (its own `__nonce`), which the server log tells apart and neither
 * side's preflight cache can carry over to the other; unless the suite compares console lines
 * naming the URL word for word (Chromium's), where both fetch one URL and the log tells the sides
 * apart by the browser's User-Agent (`fromBrowser`).
 */

import type { Dispatcher } from 'undici';
import type { BrowserName, CheckResult } from '../../src/check/index.js';
import { CheckInputError, check, createCheckDispatcher } from '../../src/check/index.js';
import type { DiffCase } from './checker-cases.js';
import { type CaseServers, type LoggedRequest, startCaseServers } from './checker-server.js';
import { type BrowserFetchInit, type BrowserFetchOptions, nonceOf, uniqueUrl } from './harness.js';
import { onUntrustedHost, UNTRUSTED_HOST } from './untrusted-host.js';

/** Cases run concurrently in batches of this size (one page per origin, correlated by nonce). */
const BATCH = 12;

/** What a differential run needs of a browser harness. */
export interface DifferentialBrowser<O> {
  readonly pageOrigin: string;
  originFor(host: string): string;
  fetch(url: string, init?: BrowserFetchInit, options?: BrowserFetchOptions): Promise<O>;
}

/** What both sides saw of one case. */
export interface Observed<O> {
  readonly outcome: O;
  readonly checker: CheckResult | CheckInputError;
  readonly browserRequests: string[];
  readonly checkerRequests: string[];
}

export interface Differential<O> {
  readonly servers: CaseServers;
  readonly dispatcher: Dispatcher;
  readonly observed: ReadonlyMap<DiffCase, Observed<O>>;
  /** Closes the case servers and the checker's dispatcher (not the browser). */
  close(): Promise<void>;
}

/** A request as both sides must have sent it. */
export function describeRequest(r: LoggedRequest): string {
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
 * Start the case servers and the checker's dispatcher, then run every case through `browser` and
 * through `check()` (with the `checkerBrowser` profile). Case ids are `idPrefix` + index.
 */
export async function runDifferential<O>(
  browser: DifferentialBrowser<O>,
  cases: readonly DiffCase[],
  options: {
    readonly idPrefix: string;
    readonly checkerBrowser?: BrowserName;
    /** Both sides fetch the same URL (see above). */
    readonly oneUrl?: boolean;
  },
): Promise<Differential<O>> {
  const servers = await startCaseServers(() => browser.pageOrigin);
  const dispatcher = createCheckDispatcher({
    connections: 16,
    resolve: { [UNTRUSTED_HOST]: '127.0.0.1' },
  });
  const observed = new Map<DiffCase, Observed<O>>();
  const requestsOf = (id: string, url: string, side: (r: LoggedRequest) => boolean) => {
    const nonce = nonceOf(url);
    return servers.log
      .filter((r) => r.caseId === id && r.nonce === nonce && side(r))
      .map(describeRequest);
  };

  const runCase = async (c: DiffCase, index: number) => {
    const id = `${options.idPrefix}${index}`;
    servers.register(id, c.hops);
    const target = c.untrusted ? onUntrustedHost(servers.target) : servers.target;
    const browserUrl = uniqueUrl(`${target}/c/${id}/0`);
    const checkerUrl = options.oneUrl ? browserUrl : uniqueUrl(`${target}/c/${id}/0`);
    const from = c.from === undefined ? browser.pageOrigin : browser.originFor(c.from);
    const outcome = await browser.fetch(browserUrl, c.init, { timeoutMs: 8_000, from });
    let result: CheckResult | CheckInputError;
    try {
      result = await check({
        url: checkerUrl,
        origin: from,
        ...(options.checkerBrowser !== undefined ? { browser: options.checkerBrowser } : {}),
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
    const bySide = (fromBrowser: boolean, url: string) =>
      requestsOf(id, url, options.oneUrl ? (r) => r.fromBrowser === fromBrowser : () => true);
    observed.set(c, {
      outcome,
      checker: result,
      browserRequests: bySide(true, browserUrl),
      checkerRequests: bySide(false, checkerUrl),
    });
  };

  try {
    for (let i = 0; i < cases.length; i += BATCH) {
      await Promise.all(cases.slice(i, i + BATCH).map((c, j) => runCase(c, i + j)));
    }
  } catch (error) {
    await dispatcher.close();
    await servers.close();
    throw error;
  }
  return {
    servers,
    dispatcher,
    observed,
    async close() {
      await dispatcher.close();
      await servers.close();
    },
  };
}

/**
 * Access-Control-Max-Age measured through the browser's preflight cache: under a preflight that
 * allows PUT with these `Access-Control-Max-Age` lines, the same PUT twice (`waitMs` apart), and how
 * many preflights the browser sent; and what `check()` (with `checkerBrowser`'s profile) predicts
 * for the same exchange. The target is the case server on `host` (default its 127.0.0.1).
 */
export async function measurePreflightCache<O>(
  browser: DifferentialBrowser<O>,
  d: Differential<O>,
  id: string,
  maxAge: readonly string[],
  options: {
    readonly waitMs?: number;
    readonly host?: string;
    readonly checkerBrowser?: BrowserName;
  } = {},
): Promise<{ preflights: number; result: CheckResult }> {
  d.servers.register(id, [
    {
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', '{origin}'],
          ['Access-Control-Allow-Methods', 'PUT'],
          ...maxAge.map((v) => ['Access-Control-Max-Age', v] as const),
        ],
      },
      actual: { headers: [['Access-Control-Allow-Origin', '{origin}']] },
    },
  ]);
  const target = new URL(d.servers.target);
  if (options.host !== undefined) target.hostname = options.host;
  const url = uniqueUrl(`${target.origin}/c/${id}/0`);
  await browser.fetch(url, { method: 'PUT' });
  // What is measured is a lifetime: only the clock can make it run out.
  if (options.waitMs) await new Promise((resolve) => setTimeout(resolve, options.waitMs));
  await browser.fetch(url, { method: 'PUT' });
  const nonce = nonceOf(url);
  const preflights = d.servers.log.filter(
    (r) => r.caseId === id && r.nonce === nonce && r.method === 'OPTIONS',
  ).length;
  const result = await check({
    url: uniqueUrl(`${target.origin}/c/${id}/0`),
    origin: browser.pageOrigin,
    method: 'PUT',
    ...(options.checkerBrowser !== undefined ? { browser: options.checkerBrowser } : {}),
    dispatcher: d.dispatcher,
  });
  return { preflights, result };
}
