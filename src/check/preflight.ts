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
  isSafelistedMethod,
  type PreflightCheckResult,
  type PreflightFailure,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import type { Deadline } from './deadline.js';
import type { BrowserProfile } from './profiles.js';
import type { NetworkError, ReceivedResponse, SentRequest, Step } from './result.js';
import { networkErrorStep, responseStep } from './steps.js';
import { exchange } from './transport.js';

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
}

export type PreflightRun =
  | {
      readonly sent: true;
      readonly step: Step;
      readonly response: ReceivedResponse;
      readonly result: PreflightCheckResult;
    }
  | { readonly sent: false; readonly step: Step; readonly error: NetworkError };

/** Sends the preflight and validates its response. */
export async function runPreflight(input: PreflightInput): Promise<PreflightRun> {
  const request = input.request;
  const exchanged = await exchange(
    input.dispatcher,
    request,
    input.timeoutMs,
    input.url,
    input.signal,
    input.deadline,
    input.profile.combinesRepeatedResponseHeaders,
  );
  if (!exchanged.ok) {
    return {
      sent: false,
      error: exchanged.error,
      step: networkErrorStep('preflight', input.hop, request, exchanged.error),
    };
  }
  const response = exchanged.response;
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
