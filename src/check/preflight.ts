/**
 * Sending a CORS preflight and judging its response (https://fetch.spec.whatwg.org/#cors-preflight-fetch),
 * with the browser profile's rules.
 */

import {
  ACAC,
  ACAH,
  ACAM,
  ACAO,
  checkPreflightResponse,
  type HeaderEntry,
  isSafelistedMethod,
  type PreflightCheckResult,
  type PreflightFailure,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import type { Deadline } from './deadline.js';
import type { BrowserProfile } from './profiles.js';
import type { NetworkError, ReceivedResponse, SentRequest, Step } from './result.js';
import { networkErrorStep, responseStep } from './steps.js';
import { type ExchangeResult, exchange } from './transport.js';

export interface PreflightInput {
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  /** When the whole check must be over. */
  readonly deadline: Deadline;
  readonly signal: AbortSignal | undefined;
  readonly url: URL;
  /** The preflight to send (outgoing.ts `preflightRequest`). */
  readonly request: SentRequest;
  readonly hop: number;
  /** The actual request's method and CORS-unsafe header names. */
  readonly method: string;
  readonly unsafeHeaderNames: readonly string[];
  /** The request origin at this point (`null` once tainted). */
  readonly origin: string;
  /** Whether the actual request's credentials mode is "include". */
  readonly credentialsInclude: boolean;
  readonly profile: BrowserProfile;
  /** The clock as the preflight starts, when the caller has just read it (`exchange`'s). */
  readonly startedAt?: number;
}

export type PreflightRun =
  | {
      readonly sent: true;
      readonly step: Step;
      readonly response: ReceivedResponse;
      readonly result: PreflightCheckResult;
    }
  | { readonly sent: false; readonly step: Step; readonly error: NetworkError };

/** Sends the preflight; `preflightRun` judges what came back. */
export function sendPreflight(input: PreflightInput): Promise<ExchangeResult> {
  return exchange(
    input.dispatcher,
    input.request,
    input.timeoutMs,
    input.url,
    input.signal,
    input.deadline,
    input.profile.combinesRepeatedResponseHeaders,
    input.startedAt,
  );
}

/**
 * The preflight's step and judgement, from its exchange. Apart from `sendPreflight` so that the
 * check awaits the exchange itself, not one more promise around it.
 */
export function preflightRun(input: PreflightInput, exchanged: ExchangeResult): PreflightRun {
  const request = input.request;
  if (!exchanged.ok) {
    return {
      sent: false,
      error: exchanged.error,
      step: networkErrorStep('preflight', input.hop, request, exchanged.error),
    };
  }
  const response = exchanged.response;
  const result = preflightJudgement(response, input);
  const step = responseStep(
    'preflight',
    input.hop,
    request,
    response,
    result.ok ? 'passed' : 'failed',
    result.ok ? passingHeaders(input) : failingHeaders(result.failure),
    null,
  );
  return { sent: true, step, response, result };
}

/**
 * The last preflight that passed, and what it was judged for. The judgement is a pure function of
 * the response's status and header lines and of the request; lines of a head seen before are
 * shared and frozen (received-lines.ts), so a server answering the same preflight with the same
 * head hands the same array again, which is then not judged again: at about a microsecond,
 * judging was a quarter of a preflighted check's own cost. Only a pass is kept: its judgement is
 * read here and never put into a result.
 */
let lastPassed: {
  readonly status: number;
  readonly headers: readonly HeaderEntry[];
  readonly method: string;
  readonly unsafeHeaderNames: readonly string[];
  readonly origin: string;
  readonly credentialsInclude: boolean;
  readonly profile: BrowserProfile;
  readonly result: PreflightCheckResult;
} | null = null;

function preflightJudgement(
  response: ReceivedResponse,
  input: PreflightInput,
): PreflightCheckResult {
  const last = lastPassed;
  if (
    last !== null &&
    last.headers === response.headers &&
    last.status === response.status &&
    last.method === input.method &&
    last.origin === input.origin &&
    last.credentialsInclude === input.credentialsInclude &&
    last.profile === input.profile &&
    sameList(last.unsafeHeaderNames, input.unsafeHeaderNames)
  ) {
    return last.result;
  }
  const result = checkPreflightResponse(
    response,
    {
      method: input.method,
      unsafeHeaderNames: input.unsafeHeaderNames,
      origin: input.origin,
      credentialsInclude: input.credentialsInclude,
    },
    {
      authorizationCoveredByWildcard: input.profile.authorizationCoveredByWildcard,
      maxAge: input.profile.maxAge,
    },
  );
  if (result.ok && Object.isFrozen(response.headers)) {
    lastPassed = {
      status: response.status,
      headers: response.headers,
      method: input.method,
      unsafeHeaderNames: [...input.unsafeHeaderNames],
      origin: input.origin,
      credentialsInclude: input.credentialsInclude,
      profile: input.profile,
      result,
    };
  }
  return result;
}

/**
 * The headers that made a preflight pass, for highlighting. Access-Control-Max-Age is not one: it
 * says how long the answer is cached, never whether the preflight passes.
 */
function passingHeaders(input: PreflightInput): string[] {
  const names = [ACAO];
  if (input.credentialsInclude) names.push(ACAC);
  if (!isSafelistedMethod(input.method)) names.push(ACAM);
  if (input.unsafeHeaderNames.length > 0) names.push(ACAH);
  return names;
}

/** The header at fault in a failed preflight. */
function failingHeaders(failure: PreflightFailure): string[] {
  switch (failure.code) {
    case 'PreflightDisallowedRedirect':
      return ['location'];
    case 'PreflightInvalidAllowCredentials':
      return [ACAC];
    case 'PreflightInvalidStatus':
      return [];
    case 'InvalidAllowMethodsPreflightResponse':
    case 'MethodDisallowedByPreflightResponse':
      return [ACAM];
    case 'InvalidAllowHeadersPreflightResponse':
    case 'HeaderDisallowedByPreflightResponse':
      return [ACAH];
    default:
      return [ACAO];
  }
}

/** Whether two lists of strings are equal, element by element. */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
