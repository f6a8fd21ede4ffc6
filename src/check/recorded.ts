/**
 * Judging an exchange that already happened, offline: a request, its preflight and their responses
 * as a browser recorded them (a HAR from its developer tools), put through the same rules `check()`
 * applies to what it sends itself. Pure: no network, no undici, so the page can load it.
 *
 * What a recording cannot say is reported rather than guessed: a response the browser did not
 * record is "unknown", never "allowed".
 */
import {
  ACAC,
  ACAO,
  asciiLowercase,
  checkPreflightResponse,
  corsCheck,
  corsUnsafeRequestHeaderNames,
  getHeader,
  type HeaderList,
  isForbiddenRequestHeaderName,
  isSafelistedMethod,
  parseTokenList,
} from 'corsproof/spec';
import { describeFailure } from './failures/describe.js';
import type { FailureContext, FailureDetail } from './failures/detail.js';
import { type BrowserName, browserProfile } from './profiles.js';
import { readableResponse } from './readable.js';
import type { Failure, ReadableResponse } from './result.js';

/** A response as recorded: its status and its header lines. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: HeaderList;
}

/** One cross-origin request as a browser recorded it. */
export interface RecordedExchange {
  /** The browser whose rules (and console wording) apply. */
  readonly browser: BrowserName;
  /** The page's origin, serialized (`https://app.example`). */
  readonly pageOrigin: string;
  /**
   * The Origin the request carried when it differs from the page's: `null` on a hop after a
   * cross-origin redirect (fetch.bs "tainted origin"). The page's origin when absent.
   */
  readonly requestOrigin?: string;
  readonly url: string;
  readonly method: string;
  /** The request's header lines as recorded; those the browser adds itself are ignored. */
  readonly requestHeaders: HeaderList;
  readonly credentialsInclude: boolean;
  /** The preflight's request headers, when one was recorded: its Access-Control-Request-Headers names the unsafe headers. */
  readonly preflightRequestHeaders: HeaderList | null;
  /** The preflight's response; null when none was recorded (or the browser recorded it without one). */
  readonly preflight: RecordedResponse | null;
  /** The response; null when the browser recorded none. */
  readonly response: RecordedResponse | null;
}

export type RecordedJudgement =
  | {
      readonly verdict: 'allowed';
      readonly preflightNeeded: boolean;
      /** What script can read of the response. */
      readonly readable: ReadableResponse;
    }
  | {
      readonly verdict: 'blocked';
      readonly preflightNeeded: boolean;
      /** Which response failed. */
      readonly at: 'preflight' | 'response';
      readonly failures: readonly [Failure, ...Failure[]];
    }
  | {
      readonly verdict: 'unknown';
      readonly preflightNeeded: boolean;
      /** Why the recording does not decide it, in a sentence. */
      readonly reason: string;
    };

/**
 * Headers the browser writes itself, which the page never set: the forbidden names (Origin, Host,
 * `Sec-*`, ...) and the ones Chromium and Firefox add although fetch.bs no longer forbids them.
 */
const BROWSER_ADDED = new Set(['user-agent', 'priority', 'accept-language', 'accept']);

/** The page-set header lines of a recorded request (an HTTP/2 pseudo-header is no header). */
export function pageSetHeaders(headers: HeaderList): HeaderList {
  return headers.filter(([name]) => {
    const lower = asciiLowercase(name);
    return (
      !lower.startsWith(':') && !isForbiddenRequestHeaderName(lower) && !BROWSER_ADDED.has(lower)
    );
  });
}

/**
 * The CORS-unsafe header names of the request: the preflight's Access-Control-Request-Headers
 * when a preflight was recorded (the browser's own list), else computed from the request's lines
 * with the browser's safelist.
 */
function unsafeHeaderNamesOf(exchange: RecordedExchange): readonly string[] {
  const requested =
    exchange.preflightRequestHeaders === null
      ? null
      : getHeader(exchange.preflightRequestHeaders, 'access-control-request-headers');
  if (requested !== null) {
    const parsed = parseTokenList(requested);
    if (parsed.ok) return parsed.items.map(asciiLowercase).sort();
  }
  const profile = browserProfile(exchange.browser);
  return corsUnsafeRequestHeaderNames(
    pageSetHeaders(exchange.requestHeaders),
    profile.isSafelistedRequestHeader,
  );
}

/**
 * Judges a recorded cross-origin exchange with `browser`'s rules: the preflight (when the request
 * needed one) by https://fetch.spec.whatwg.org/#cors-preflight-fetch, then the response by the
 * CORS check (https://fetch.spec.whatwg.org/#concept-cors-check), as `check()` does for one hop.
 *
 * @example
 * const judged = judgeRecordedExchange({
 *   browser: 'chromium', pageOrigin: 'https://app.example', url: 'https://api.example/x',
 *   method: 'GET', requestHeaders: [], credentialsInclude: false, preflightRequestHeaders: null,
 *   preflight: null, response: { status: 200, headers: [] },
 * });
 * judged.verdict; // 'blocked' (MissingAllowOriginHeader)
 */
export function judgeRecordedExchange(exchange: RecordedExchange): RecordedJudgement {
  const profile = browserProfile(exchange.browser);
  const method = exchange.method;
  const origin = exchange.requestOrigin ?? exchange.pageOrigin;
  const unsafeHeaderNames = unsafeHeaderNamesOf(exchange);
  const preflightNeeded = !isSafelistedMethod(method) || unsafeHeaderNames.length > 0;
  const context = (step: number, response: RecordedResponse): FailureContext => ({
    profile,
    pageOrigin: exchange.pageOrigin,
    requestOrigin: origin,
    firstUrl: exchange.url,
    url: exchange.url,
    hop: 0,
    method,
    credentials: exchange.credentialsInclude ? 'include' : 'omit',
    unsafeHeaderNames,
    step,
    response: {
      status: response.status,
      allowOriginLines: response.headers.filter(([name]) => asciiLowercase(name) === ACAO).length,
    },
  });
  if (preflightNeeded && exchange.preflight !== null) {
    const result = checkPreflightResponse(
      exchange.preflight,
      {
        method,
        unsafeHeaderNames,
        // The Origin the preflight carried (Firefox sends the page's after a redirect).
        origin: preflightOrigin(exchange) ?? origin,
        credentialsInclude: exchange.credentialsInclude,
      },
      {
        authorizationCoveredByWildcard: profile.authorizationCoveredByWildcard,
        maxAge: profile.maxAge,
      },
    );
    if (!result.ok) {
      const failure = describeFailure(result.failure, context(0, exchange.preflight));
      return { verdict: 'blocked', preflightNeeded, at: 'preflight', failures: [failure] };
    }
  }
  const response = exchange.response;
  if (response === null) {
    return {
      verdict: 'unknown',
      preflightNeeded,
      reason: missingResponseReason(exchange, preflightNeeded),
    };
  }
  const failure = corsCheck(response.headers, {
    origin,
    credentialsInclude: exchange.credentialsInclude,
  });
  if (failure !== null) {
    const detail: FailureDetail = {
      code: failure,
      allowOrigin: getHeader(response.headers, ACAO),
      allowCredentials: getHeader(response.headers, ACAC),
      status: response.status,
    };
    const failures: [Failure] = [describeFailure(detail, context(1, response))];
    return { verdict: 'blocked', preflightNeeded, at: 'response', failures };
  }
  const readable = readableResponse({
    headers: response.headers,
    url: new URL(exchange.url),
    status: response.status,
    hop: 0,
    cors: true,
    credentialsInclude: exchange.credentialsInclude,
  });
  return { verdict: 'allowed', preflightNeeded, readable };
}

function preflightOrigin(exchange: RecordedExchange): string | null {
  return exchange.preflightRequestHeaders === null
    ? null
    : getHeader(exchange.preflightRequestHeaders, 'origin');
}

function missingResponseReason(exchange: RecordedExchange, preflightNeeded: boolean): string {
  if (preflightNeeded && exchange.preflight === null) {
    return 'The browser recorded neither the preflight’s response nor the response: the request failed before either was kept (Firefox records a refused preflight without its headers).';
  }
  return 'The browser recorded no response for this request (it failed before one arrived, or the recording left it out).';
}
