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
import type { Dispatcher } from 'undici';
import { corsCheck } from '../spec/cors-check.js';
import { ACAM, ACAO } from '../spec/header-names.js';
import { asciiLowercase } from '../spec/http-grammar.js';
import { parseTokenList } from '../spec/list-value.js';
import { isOkStatus } from '../spec/preflight-check.js';
import { getHeader } from '../spec/response-headers.js';
import { curlCommand } from './curl.js';
import { CheckInputError } from './errors.js';
import { describeFailure } from './failures/describe.js';
import type { FailureDetail } from './failures/detail.js';
import { GALXE_ORIGIN, type ResolvedOptions } from './options.js';
import type { BrowserProfile } from './profiles.js';
import type {
  CheckResult,
  GalxeFailureCode,
  RequestPlan,
  SentRequest,
  Step,
  Warning,
} from './result.js';
import { exchange } from './transport.js';

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

export async function runGalxe(input: GalxeRunInput): Promise<CheckResult> {
  const { resolved, plan, profile, dispatcher } = input;
  if (plan.method !== 'GET' && plan.method !== 'POST') {
    throw new CheckInputError(
      'INVALID_OPTION',
      'method',
      `Galxe credential APIs are called with GET or POST, not ${JSON.stringify(plan.method)}`,
    );
  }
  const steps: Step[] = [];
  const warnings: Warning[] = [
    {
      code: 'GALXE',
      message:
        "Galxe mode: the verdict is Galxe's CORS Check (always a preflight from https://dashboard.galxe.com), not a browser's. A browser sends a plain GET, or a POST with a form or text Content-Type, without any preflight.",
    },
  ];
  if (resolved.url.port !== '') {
    warnings.push({
      code: 'GALXE',
      message: `The URL uses port ${resolved.url.port}; Galxe reportedly only calls APIs on the default ports 80 and 443 (from our notes, not from Galxe's documentation).`,
    });
  }
  const base = {
    browser: profile.name,
    scope: resolved.preflightOnly ? ('preflight-only' as const) : ('full' as const),
    plan,
    steps,
    warnings,
    preflightCache: null,
  };

  const preflight = galxePreflightRequest(resolved.url, plan.method);
  const sent = await exchange(
    dispatcher,
    preflight,
    resolved.timeoutMs,
    undefined,
    resolved.signal,
  );
  if (!sent.ok) {
    steps.push({
      kind: 'preflight',
      hop: 0,
      request: preflight,
      curl: curlCommand(preflight),
      outcome: 'network-error',
      error: sent.error,
    });
    return {
      ...base,
      curl: steps.map((s) => s.curl),
      galxe: null,
      verdict: 'error',
      allowed: false,
      error: { ...sent.error, step: 0 },
    };
  }
  const failure = judgeGalxePreflight(sent.response.status, sent.response.headers, plan.method);
  steps.push({
    kind: 'preflight',
    hop: 0,
    request: preflight,
    curl: curlCommand(preflight),
    outcome: 'response',
    response: sent.response,
    cors: failure === null ? 'passed' : 'failed',
    decisiveHeaders: [ACAO, ACAM],
    redirectTo: null,
  });

  // The request itself, as Galxe's backend sends it (no preflight), to spot the trap.
  let actualPasses: boolean | null = null;
  if (!resolved.preflightOnly) {
    const request: SentRequest = {
      method: plan.method,
      url: resolved.url.href,
      headers: [...plan.headers, ['Origin', GALXE_ORIGIN]],
      body: plan.body,
    };
    const actual = await exchange(
      dispatcher,
      request,
      resolved.timeoutMs,
      undefined,
      resolved.signal,
    );
    if (actual.ok) {
      actualPasses =
        corsCheck(actual.response.headers, { origin: GALXE_ORIGIN, credentialsInclude: false }) ===
        null;
      steps.push({
        kind: 'request',
        hop: 0,
        request,
        curl: curlCommand(request),
        outcome: 'response',
        response: actual.response,
        cors: 'not-applicable',
        decisiveHeaders: [ACAO],
        redirectTo: null,
      });
    } else {
      steps.push({
        kind: 'request',
        hop: 0,
        request,
        curl: curlCommand(request),
        outcome: 'network-error',
        error: actual.error,
      });
    }
  }

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
  const galxe = { origin: GALXE_ORIGIN, passed: failure === null, trap, notes };
  const result = { ...base, curl: steps.map((s) => s.curl), galxe };
  if (failure === null) {
    const final = steps[1];
    const response =
      final?.outcome === 'response'
        ? {
            url: resolved.url.href,
            status: final.response.status,
            redirected: false,
            readableHeaders: [...new Set(final.response.headers.map(([n]) => asciiLowercase(n)))],
            hiddenHeaders: [],
          }
        : null;
    return { ...result, verdict: 'allowed', allowed: true, response };
  }
  const headers = sent.response.headers;
  const detail: FailureDetail = {
    code: failure,
    status: sent.response.status,
    allowOrigin: getHeader(headers, ACAO),
    allowMethods: getHeader(headers, ACAM),
    method: plan.method,
  };
  const described = describeFailure(detail, {
    profile,
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
  return { ...result, verdict: 'blocked', allowed: false, failures: [described] };
}
