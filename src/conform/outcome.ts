/**
 * Running one case against a server (live, or the intended one) and reducing what happened to the
 * facts conformance compares: the verdict, which response headers script can read, whether the
 * response varies on Origin, how long the preflight may be cached, and whether private network
 * access is granted.
 */

import {
  ACAPN,
  ACEH,
  ACRM,
  ACRPN,
  checkPreflightResponse,
  corsExposedHeaderNames,
  getHeader,
  isCorsReadable,
  ORIGIN,
  VARY,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import type { CheckResult, SentRequest, Step } from '../check/index.js';
import { type BrowserName, browserProfile, check, curlCommand, exchange } from '../check/index.js';
import type { ConformCase } from './case.js';

/** Per exchange: conform runs many cases, so one slow answer should not hold a CI job long. */
const TIMEOUT_MS = 10_000;

/** What a case came to on one server. */
export interface Outcome {
  /** As `check()` says: `error` when no response came back (the server is down, a timeout). */
  readonly verdict: CheckResult['verdict'];
  /** The browser's console message when blocked, the network error when errored; else null. */
  readonly message: string | null;
  /** The failure code when blocked (a Chromium `CorsError` name), the network code when errored. */
  readonly code: string | null;
  /** Of the case's `exposeProbe`, the names script can read; null when nothing was readable. */
  readonly readable: readonly string[] | null;
  /** Whether the final non-preflight response lists Origin (or `*`) in Vary; null if none came. */
  readonly varyOrigin: boolean | null;
  /** Seconds the browser caches the passing preflight; null when no preflight passed. */
  readonly preflightSeconds: number | null;
  /** A curl command per request sent. */
  readonly curl: readonly string[];
}

export interface RunContext {
  readonly baseUrl: URL;
  readonly browser: BrowserName;
  readonly dispatcher: Dispatcher;
  readonly signal?: AbortSignal | undefined;
}

/** The URL a case requests. */
export function caseUrl(base: URL, c: ConformCase): URL {
  return new URL(c.path, base);
}

function lastResponse(steps: readonly Step[]) {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step?.kind === 'request' && step.outcome === 'response') return step.response;
  }
  return null;
}

/** Whether a Vary value (lines joined) names Origin, or is `*`. */
export function variesOnOrigin(vary: string | null): boolean {
  if (vary === null) return false;
  return vary.split(',').some((part) => {
    const name = part.trim().toLowerCase();
    return name === ORIGIN || name === '*';
  });
}

function readableOf(c: ConformCase, result: CheckResult): readonly string[] | null {
  if (result.verdict !== 'allowed' || result.response === null) return null;
  const response = lastResponse(result.steps);
  if (response === null) return null;
  const exposed = corsExposedHeaderNames(
    getHeader(response.headers, ACEH),
    c.credentials === 'include',
  );
  return c.exposeProbe.filter((name) => isCorsReadable(name, exposed));
}

/** Reduces a check result to an outcome. */
export function outcomeOfCheck(c: ConformCase, result: CheckResult, browser: BrowserName): Outcome {
  const response = lastResponse(result.steps);
  const base = {
    verdict: result.verdict,
    readable: readableOf(c, result),
    varyOrigin: response === null ? null : variesOnOrigin(getHeader(response.headers, VARY)),
    preflightSeconds:
      result.verdict === 'allowed' && result.preflightCache !== null
        ? result.preflightCache[browser].seconds
        : null,
    curl: result.curl,
  };
  switch (result.verdict) {
    case 'blocked':
      return { ...base, message: result.failures[0].message, code: result.failures[0].code };
    case 'error':
      return { ...base, message: result.error.message, code: result.error.code };
    case 'inconclusive':
      return { ...base, message: result.reason, code: null };
    default:
      return { ...base, message: null, code: null };
  }
}

/**
 * The Private Network Access preflight Chromium sends before a public page fetches a private
 * address: OPTIONS with `Access-Control-Request-Private-Network: true`. Access is granted when the
 * preflight passes as for the request itself and answers `Access-Control-Allow-Private-Network:
 * true`. https://wicg.github.io/private-network-access/#cors-preflight
 */
async function runPrivateNetwork(c: ConformCase, context: RunContext): Promise<Outcome> {
  const url = caseUrl(context.baseUrl, c);
  const request: SentRequest = {
    method: 'OPTIONS',
    url: url.href,
    headers: [
      ['Origin', c.origin],
      ['Access-Control-Request-Method', c.method],
      ['Access-Control-Request-Private-Network', 'true'],
    ],
    body: null,
  };
  const curl = [curlCommand(request)];
  const sent = await exchange(context.dispatcher, request, TIMEOUT_MS, url, context.signal);
  context.signal?.throwIfAborted();
  const none = { readable: null, varyOrigin: null, preflightSeconds: null, curl };
  if (!sent.ok) {
    return { ...none, verdict: 'error', message: sent.error.message, code: sent.error.code };
  }
  const profile = browserProfile(context.browser);
  const judged = checkPreflightResponse(
    sent.response,
    {
      method: c.method,
      unsafeHeaderNames: [],
      origin: c.origin,
      credentialsInclude: c.credentials === 'include',
    },
    profile,
  );
  if (!judged.ok) {
    return {
      ...none,
      verdict: 'blocked',
      message: `the private network preflight fails the CORS checks (${judged.failure.code})`,
      code: judged.failure.code,
    };
  }
  const allow = getHeader(sent.response.headers, ACAPN);
  if (allow !== 'true') {
    return {
      ...none,
      verdict: 'blocked',
      message: `the private network preflight answers ${allow === null ? `no ${ACAPN}` : `${ACAPN}: ${allow}`}; Chromium needs ${ACAPN}: true (the request sent ${ACRPN}: true with ${ACRM}: ${c.method})`,
      code: 'PrivateNetworkAccessNotAllowed',
    };
  }
  return { ...none, verdict: 'allowed', message: null, code: null };
}

/**
 * Runs a case against the server behind `context.dispatcher`. Rejects only when the signal aborts
 * (or for arguments `check()` refuses, which derived cases never are).
 */
export async function runCase(c: ConformCase, context: RunContext): Promise<Outcome> {
  if (c.probe === 'private-network') return runPrivateNetwork(c, context);
  const result = await check({
    url: caseUrl(context.baseUrl, c),
    origin: c.origin,
    method: c.method,
    headers: c.headers,
    credentials: c.credentials,
    browser: context.browser,
    preflightOnly: c.preflightOnly,
    dispatcher: context.dispatcher,
    timeoutMs: TIMEOUT_MS,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
  return outcomeOfCheck(c, result, context.browser);
}
