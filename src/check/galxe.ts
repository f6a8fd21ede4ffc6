/**
 * Galxe's "CORS Check", reproduced from its documentation
 * (docs.galxe.com/quest/credential-api/overview/cross-domain-check): before a credential API is
 * saved, Galxe's backend sends a preflight from `https://dashboard.galxe.com`, for GET as well as
 * POST, with `Access-Control-Request-Headers: Content-Type` (its curl recipe), and passes on a 2xx
 * status, `Access-Control-Allow-Origin` equal to that origin or `*`, and the method listed in
 * `Access-Control-Allow-Methods`. Galxe's code is not public: comparing the method
 * case-insensitively and accepting `*` there are our assumptions.
 *
 * The classic trap: the API answers the GET or POST itself with CORS headers (Galxe's "Test" button
 * works) but not the OPTIONS preflight, so the CORS Check fails and the credential cannot be saved.
 */

import {
  ACAM,
  ACAO,
  asciiLowercase,
  corsCheck,
  getHeader,
  isOkStatus,
  parseTokenList,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import { CheckInputError } from './errors.js';
import { describeFailure } from './failures/describe.js';
import type { FailureDetail } from './failures/detail.js';
import { GALXE_ORIGIN, type ResolvedOptions } from './options.js';
import type { BrowserProfile } from './profiles.js';
import type {
  CheckResult,
  Failure,
  GalxeFailureCode,
  GalxeReport,
  ReadableResponse,
  ReceivedResponse,
  RequestPlan,
  SentRequest,
  Step,
  Warning,
} from './result.js';
import { curlCommands, networkErrorStep, responseStep } from './steps.js';
import { type ExchangeResult, exchange } from './transport.js';

export interface GalxeRunInput {
  readonly resolved: ResolvedOptions;
  readonly plan: RequestPlan;
  readonly profile: BrowserProfile;
  readonly dispatcher: Dispatcher;
}

/**
 * The preflight Galxe sends (its documented curl recipe, plus curl's default Accept).
 *
 * @example
 * curlCommand(galxePreflightRequest(new URL('https://api.example/cred'), 'GET'))
 */
export function galxePreflightRequest(url: URL, method: string): SentRequest {
  return {
    method: 'OPTIONS',
    url: url.href,
    headers: [
      ['Accept', '*/*'],
      ['Origin', GALXE_ORIGIN],
      ['Access-Control-Request-Method', method],
      ['Access-Control-Request-Headers', 'Content-Type'],
    ],
    body: null,
  };
}

/**
 * Galxe's pass rule over the preflight response: null on pass, else the first failing rule.
 *
 * @example
 * judgeGalxePreflight(204, [['Access-Control-Allow-Origin', '*'],
 *   ['Access-Control-Allow-Methods', 'GET, POST,OPTIONS']], 'POST') // null
 * judgeGalxePreflight(404, [], 'GET') // 'GalxeInvalidStatus'
 */
export function judgeGalxePreflight(
  status: number,
  headers: readonly (readonly [string, string])[],
  method: string,
): GalxeFailureCode | null {
  if (!isOkStatus(status)) return 'GalxeInvalidStatus';
  const allowOrigin = getHeader(headers, ACAO);
  if (allowOrigin === null) return 'GalxeMissingAllowOrigin';
  if (allowOrigin !== GALXE_ORIGIN && allowOrigin !== '*') return 'GalxeAllowOriginMismatch';
  const methods = parseTokenList(getHeader(headers, ACAM) ?? '');
  const listed = methods.ok ? methods.items.map((m) => m.toUpperCase()) : [];
  if (!listed.includes(method.toUpperCase()) && !listed.includes('*'))
    return 'GalxeMethodNotAllowed';
  return null;
}

/** Galxe's CORS Check on the URL, and the request itself as Galxe's backend sends it. */
export async function runGalxe(input: GalxeRunInput): Promise<CheckResult> {
  const { resolved, plan } = input;
  assertGalxeMethod(plan.method);
  const steps: Step[] = [];
  const base = resultBase(input, steps);
  const preflight = galxePreflightRequest(resolved.url, plan.method);
  const sent = await send(input, preflight);
  if (!sent.ok) {
    steps.push(networkErrorStep('preflight', 0, preflight, sent.error));
    return {
      ...base,
      curl: curlCommands(steps),
      galxe: null,
      verdict: 'error',
      allowed: false,
      error: { ...sent.error, step: 0 },
    };
  }
  const failure = judgeGalxePreflight(sent.response.status, sent.response.headers, plan.method);
  const cors = failure === null ? 'passed' : 'failed';
  steps.push(responseStep('preflight', 0, preflight, sent.response, cors, [ACAO, ACAM], null));
  const actualPasses = resolved.preflightOnly ? null : await sendRequest(input, steps);
  const result = {
    ...base,
    curl: curlCommands(steps),
    galxe: galxeReport(input, failure, actualPasses),
  };
  if (failure === null) {
    return {
      ...result,
      verdict: 'allowed',
      allowed: true,
      response: readableOf(resolved, steps[1]),
    };
  }
  const failures: [Failure] = [galxeFailure(input, failure, sent.response)];
  return { ...result, verdict: 'blocked', allowed: false, failures };
}

/** The fields every Galxe result starts with; `steps` fills in as the run goes. */
function resultBase(input: GalxeRunInput, steps: Step[]) {
  return {
    browser: input.profile.name,
    scope: input.resolved.preflightOnly ? ('preflight-only' as const) : ('full' as const),
    plan: input.plan,
    steps,
    warnings: galxeWarnings(input.resolved.url),
    preflightCache: null,
  };
}

function assertGalxeMethod(method: string): void {
  if (method !== 'GET' && method !== 'POST') {
    throw new CheckInputError(
      'INVALID_OPTION',
      'method',
      `Galxe credential APIs are called with GET or POST, not ${JSON.stringify(method)}`,
    );
  }
}

function galxeWarnings(url: URL): Warning[] {
  const warnings: Warning[] = [
    {
      code: 'GALXE',
      message:
        "Galxe mode: the verdict is Galxe's CORS Check (always a preflight from https://dashboard.galxe.com), not a browser's. A browser sends a plain GET, or a POST with a form or text Content-Type, without any preflight.",
    },
  ];
  if (url.port !== '') {
    warnings.push({
      code: 'GALXE',
      message: `The URL uses port ${url.port}; Galxe reportedly only calls APIs on the default ports 80 and 443 (from our notes, not from Galxe's documentation).`,
    });
  }
  return warnings;
}

function send(input: GalxeRunInput, request: SentRequest): Promise<ExchangeResult> {
  const { resolved } = input;
  const { timeoutMs, signal, deadline } = resolved;
  return exchange(input.dispatcher, request, timeoutMs, undefined, signal, deadline);
}

/**
 * Sends the request itself, as Galxe's backend sends it (no preflight), to spot the trap: whether
 * its response passes the CORS check for Galxe's origin, null when it got none.
 */
async function sendRequest(input: GalxeRunInput, steps: Step[]): Promise<boolean | null> {
  const { resolved, plan } = input;
  const request: SentRequest = {
    method: plan.method,
    url: resolved.url.href,
    headers: [...plan.headers, ['Origin', GALXE_ORIGIN]],
    body: plan.body,
  };
  const actual = await send(input, request);
  if (!actual.ok) {
    steps.push(networkErrorStep('request', 0, request, actual.error));
    return null;
  }
  steps.push(responseStep('request', 0, request, actual.response, 'not-applicable', [ACAO], null));
  const origin = { origin: GALXE_ORIGIN, credentialsInclude: false };
  return corsCheck(actual.response.headers, origin) === null;
}

/** Whether Galxe's check passed, and whether the API fell into the trap it is known for. */
function galxeReport(
  input: GalxeRunInput,
  failure: GalxeFailureCode | null,
  actualPasses: boolean | null,
): GalxeReport {
  const { plan, resolved } = input;
  const trap = failure !== null && actualPasses === true;
  const notes: string[] = [];
  if (trap) {
    notes.push(
      `The trap: your API answers ${plan.method} with Access-Control-Allow-Origin (so Galxe's "Test" works), but not the OPTIONS preflight that Galxe's CORS Check sends, so the test succeeded but the save failed. Make the server answer OPTIONS ${resolved.url.pathname} with 204 and the CORS headers.`,
    );
  }
  if (failure === null && actualPasses === false) {
    notes.push(
      `The preflight passes, but the ${plan.method} response itself carries no matching Access-Control-Allow-Origin; Galxe's check does not look at it, browsers would.`,
    );
  }
  return { origin: GALXE_ORIGIN, passed: failure === null, trap, notes };
}

/** The response to the request itself, all of it readable (Galxe's backend is no browser). */
function readableOf(resolved: ResolvedOptions, step: Step | undefined): ReadableResponse | null {
  if (step?.outcome !== 'response') return null;
  return {
    url: resolved.url.href,
    status: step.response.status,
    redirected: false,
    readableHeaders: [...new Set(step.response.headers.map(([n]) => asciiLowercase(n)))],
    hiddenHeaders: [],
  };
}

function galxeFailure(
  input: GalxeRunInput,
  failure: GalxeFailureCode,
  response: ReceivedResponse,
): Failure {
  const { resolved, plan } = input;
  const detail: FailureDetail = {
    code: failure,
    status: response.status,
    allowOrigin: getHeader(response.headers, ACAO),
    allowMethods: getHeader(response.headers, ACAM),
    method: plan.method,
  };
  return describeFailure(detail, {
    profile: input.profile,
    pageOrigin: GALXE_ORIGIN,
    requestOrigin: GALXE_ORIGIN,
    firstUrl: resolved.url.href,
    url: resolved.url.href,
    hop: 0,
    method: plan.method,
    credentials: 'omit',
    unsafeHeaderNames: ['content-type'],
    step: 0,
  });
}
