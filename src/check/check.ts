/**
 * `check()`: would a page at origin X be able to call this API with fetch()? It sends what the
 * browser would send (the preflight when one is needed, then the request, following redirects by
 * hand) and judges every response with the browser's rules.
 *
 * The loop follows https://fetch.spec.whatwg.org/#main-fetch: each redirect hop re-enters main
 * fetch, so each hop gets its own port and mixed-content gates, its own preflight when the
 * request is still CORS-unsafe, and its own CORS check.
 */
import type { Dispatcher } from 'undici';
import { corsCheck } from '../spec/cors-check.js';
import { ACAC, ACAO } from '../spec/header-names.js';
import { asciiLowercase } from '../spec/http-grammar.js';
import { isSafelistedMethod } from '../spec/methods.js';
import { isSameOrigin, type Origin, originOfUrl } from '../spec/origin.js';
import {
  checkPreflightResponse,
  isRedirectResponse,
  isRedirectStatus,
} from '../spec/preflight-check.js';
import { getHeader } from '../spec/response-headers.js';
import { describeFailure, type FailureContext, type FailureDetail } from './failures.js';
import { runGalxe } from './galxe.js';
import { isBadPort, isMixedContent, isPotentiallyTrustworthy } from './gates.js';
import { type CheckOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { actualRequest, clientHintsAt, referrerFor } from './outgoing.js';
import { runPreflight } from './preflight.js';
import { type BrowserProfile, browserProfile } from './profiles.js';
import { readableResponse } from './readable.js';
import { followRedirect, locationOf, type RedirectState } from './redirects.js';
import { planRequest, unsafeHeaderNamesAt } from './request-plan.js';
import { type PinnedHosts, pinsOf } from './resolve.js';
import type {
  CheckResult,
  Failure,
  NetworkError,
  PreflightCacheReport,
  ReadableResponse,
  ReceivedResponse,
  RequestPlan,
  Step,
  Warning,
} from './result.js';
import { curlCommands, networkErrorStep, responseStep, withPinnedCurl } from './steps.js';
import { createCheckDispatcher, exchange } from './transport.js';
import {
  AUTHORIZATION_WILDCARD_WARNING,
  planWarnings,
  preflightCacheReport,
  redirectWarnings,
} from './warnings.js';

/**
 * Checks whether `fetch(url, { method, headers, credentials, body })` from a page at `origin`
 * would succeed in the chosen browser, by sending the same requests and judging the responses.
 *
 * Throws a `CheckInputError` (a TypeError) for arguments fetch() would refuse; network failures
 * are a result (`verdict: 'error'`), not an exception. With a `signal` that aborts, it rejects
 * with the signal's reason, as fetch() does.
 *
 * @example
 * import { check } from 'corsproof/check';
 *
 * const result = await check({
 *   url: 'https://api.example.com/items',
 *   origin: 'https://app.example.com',
 *   method: 'PUT',
 *   headers: { 'content-type': 'application/json' },
 *   credentials: 'include',
 * });
 * if (result.verdict === 'blocked') console.log(result.failures[0].message, result.failures[0].fix);
 */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const resolved = resolveOptions(options);
  const profile = browserProfile(resolved.browser);
  const plan = planRequest(resolved, profile);
  // fetch.bs "fetch()" step 4: an already aborted signal rejects before anything is sent.
  resolved.signal?.throwIfAborted();
  const run = (dispatcher: Dispatcher): Promise<CheckResult> => {
    const pins = pinsOf(dispatcher);
    const running = resolved.galxe
      ? runGalxe({ resolved, plan, profile, dispatcher })
      : runCheck(resolved, plan, profile, dispatcher, pins);
    // The usual case costs no extra promise.
    if (resolved.signal === undefined && pins === undefined) return running;
    return running.then((result) => {
      // An abort cancelled the exchange in flight, which ended the run as a network error: the
      // caller asked for no verdict, so give none.
      resolved.signal?.throwIfAborted();
      return pins === undefined ? result : withPinnedCurl(result, pins);
    });
  };
  if (options.dispatcher) return run(options.dispatcher);
  // No pool given: one for this check alone, closed when it is done.
  const own = createCheckDispatcher({ connections: 2 });
  try {
    return await run(own);
  } finally {
    await own.close();
  }
}

// Shared by every result, so frozen: a caller that mutates one cannot change the others.
const DECISIVE: readonly string[] = Object.freeze([ACAO]);
const CREDENTIALED_DECISIVE: readonly string[] = Object.freeze([ACAO, ACAC]);
const NONE_DECISIVE: readonly string[] = Object.freeze([]);

/** What a run has gathered so far. */
interface Run {
  readonly resolved: ResolvedOptions;
  readonly plan: RequestPlan;
  readonly profile: BrowserProfile;
  readonly page: Origin;
  readonly steps: Step[];
  readonly warnings: Warning[];
  preflightCache: PreflightCacheReport | null;
}

async function runCheck(
  resolved: ResolvedOptions,
  plan: RequestPlan,
  profile: BrowserProfile,
  dispatcher: Dispatcher,
  /** The dispatcher's pinned names, if it has any (createCheckDispatcher's `resolve`). */
  pins: PinnedHosts | undefined,
): Promise<CheckResult> {
  const run: Run = {
    resolved,
    plan,
    profile,
    page: resolved.page,
    steps: [],
    warnings: planWarnings(
      resolved,
      plan,
      profile,
      resolved.page,
      pins?.addressForUrl(resolved.url) ?? null,
    ),
    preflightCache: null,
  };
  const credentialsInclude = plan.credentials === 'include';
  let state: RedirectState = {
    url: resolved.url,
    method: plan.method,
    headers: plan.headers,
    body: plan.body,
    redirectCount: 0,
    tainted: false,
  };
  // fetch.bs "response tainting": basic until a cross-origin URL is involved, then cors for good.
  let corsTainting = false;
  // Whether a preflight was needed so far (Firefox then preflights every later hop).
  let preflighted = false;
  // Whether the profile's client hints are still on the request (clientHintsAt), and the method
  // of the hop before, whose change restarts the request.
  let clientHints = false;
  let previousMethod = state.method;
  // Whether the first URL and the one the last redirect left are potentially trustworthy.
  const firstTrustworthy = isPotentiallyTrustworthy(resolved.url);
  let previousTrustworthy: boolean | null = null;
  const urlList: URL[] = [];

  for (;;) {
    const hop = state.redirectCount;
    urlList.push(state.url);
    const requestOrigin = state.tainted ? 'null' : plan.origin;
    // Firefox sends a preflight after a redirect as a new request from the page, with its origin.
    const preflightOrigin = profile.preflightAfterRedirectFromPage ? plan.origin : requestOrigin;
    const unsafeHeaderNames = unsafeHeaderNamesAt(plan, state.headers, profile);
    const context = (
      step: number | null,
      origin = requestOrigin,
      response?: ReceivedResponse,
    ): FailureContext => ({
      profile,
      pageOrigin: plan.origin,
      requestOrigin: origin,
      firstUrl: resolved.url.href,
      url: state.url.href,
      hop,
      method: state.method,
      credentials: plan.credentials,
      unsafeHeaderNames,
      step,
      ...(response ? { response: responseFacts(response) } : {}),
    });

    // Main fetch steps 4-7: port blocking and mixed content, before anything is sent.
    if (isBadPort(state.url)) {
      return blocked(run, [
        describeFailure({ code: 'UnsafePort', url: state.url.href }, context(null)),
      ]);
    }
    if (isMixedContent(run.page, state.url)) {
      return blocked(run, [
        describeFailure({ code: 'MixedContent', url: state.url.href }, context(null)),
      ]);
    }

    // Main fetch step 12: same-origin with basic tainting needs no CORS; anything else is a CORS
    // request, preflighted when its method or a header is not safelisted.
    const sameOrigin = !corsTainting && isSameOrigin(originOfUrl(state.url), run.page);
    const becameCors = !sameOrigin && !corsTainting;
    if (!sameOrigin) corsTainting = true;
    const site = profile.fetchSite(run.page, urlList);
    const referrer = referrerFor(run.page, state.url);
    const needsPreflight =
      corsTainting &&
      ((profile.preflightsEveryRedirect && preflighted) ||
        !isSafelistedMethod(state.method) ||
        unsafeHeaderNames.length > 0);

    const trustworthy = hop === 0 ? firstTrustworthy : isPotentiallyTrustworthy(state.url);
    clientHints = clientHintsAt(clientHints, {
      first: firstTrustworthy,
      from: previousTrustworthy,
      to: trustworthy,
      restart: needsPreflight || becameCors || (corsTainting && state.method !== previousMethod),
    });
    previousMethod = state.method;
    previousTrustworthy = trustworthy;

    if (needsPreflight) {
      preflighted = true;
      const preflight = await runPreflight({
        dispatcher,
        timeoutMs: resolved.timeoutMs,
        signal: resolved.signal,
        url: state.url,
        trustworthy,
        hop,
        method: state.method,
        unsafeHeaderNames,
        origin: preflightOrigin,
        credentialsInclude,
        site: profile.preflightAfterRedirectFromPage
          ? profile.fetchSite(run.page, [state.url])
          : site,
        referrer,
        profile,
      });
      run.steps.push(preflight.step);
      const stepIndex = run.steps.length - 1;
      if (!preflight.sent) return errored(run, preflight.error, stepIndex);
      const { response } = preflight;
      if (!preflight.result.ok) {
        const failures = [
          describeFailure(preflight.result.failure, context(stepIndex, preflightOrigin, response)),
        ];
        // The browser stops at the method; say now which headers would fail next.
        if (preflight.result.failure.code === 'MethodDisallowedByPreflightResponse') {
          const headersToo = checkPreflightResponse(
            response,
            { method: 'GET', unsafeHeaderNames, origin: preflightOrigin, credentialsInclude },
            profile,
          );
          if (!headersToo.ok) {
            failures.push(
              describeFailure(headersToo.failure, context(stepIndex, preflightOrigin, response)),
            );
          }
        }
        return blocked(run, failures as [Failure, ...Failure[]]);
      }
      if (preflight.result.authorizationByWildcard) {
        run.warnings.push(AUTHORIZATION_WILDCARD_WARNING);
      }
      const cache = preflightCacheReport(response.headers, state.url);
      run.preflightCache = cache.report;
      if (cache.warning) run.warnings.push(cache.warning);
    }

    if (resolved.preflightOnly) {
      if (needsPreflight) return allowed(run, null, 'preflight-only');
      return inconclusive(
        run,
        sameOrigin
          ? 'The URL is same-origin with the page, so no preflight (and no CORS) applies; with --preflight-only nothing was sent.'
          : `A browser sends this ${state.method} request without a preflight, so its own response decides; with --preflight-only it was not sent. Run without --preflight-only to check it.`,
      );
    }

    // Fetch.bs "append a request Origin header": always on CORS requests; on same-origin ones
    // only for methods other than GET and HEAD.
    const sendOrigin = corsTainting || (state.method !== 'GET' && state.method !== 'HEAD');
    // The credentials flag: include, or same-origin while the tainting is still basic.
    const credentialsFlag =
      plan.credentials === 'include' || (plan.credentials === 'same-origin' && !corsTainting);
    const request = actualRequest({
      url: state.url,
      trustworthy,
      method: state.method,
      headers: state.headers,
      body: state.body,
      origin: sendOrigin ? requestOrigin : null,
      site,
      referrer,
      cookie: credentialsFlag ? resolved.cookie : null,
      clientHints,
      profile,
    });
    const exchanged = await exchange(
      dispatcher,
      request,
      resolved.timeoutMs,
      state.url,
      resolved.signal,
    );
    if (!exchanged.ok) {
      run.steps.push(networkErrorStep('request', hop, request, exchanged.error));
      return errored(run, exchanged.error, run.steps.length - 1);
    }
    const response = exchanged.response;
    const stepIndex = run.steps.length;

    // HTTP-redirect fetch step 4: an unparseable Location is a network error, which Chromium
    // raises before the CORS check (measured: even without Access-Control-Allow-Origin). An empty
    // Location is a response in Chromium and a redirect to the same URL in Firefox.
    const isRedirect = profile.emptyLocationRedirects
      ? isRedirectStatus(response.status) && getHeader(response.headers, 'location') !== null
      : isRedirectResponse(response.status, response.headers);
    const location = isRedirect ? locationOf(response.headers, state.url) : null;
    // HTTP fetch step 4.3: with cors tainting, every response (each redirect included) must pass
    // the CORS check; Chromium runs it before its other redirect checks (measured).
    const corsChecked = corsTainting && (location === null || 'url' in location);
    const failure = corsChecked
      ? corsCheck(response.headers, { origin: requestOrigin, credentialsInclude })
      : null;
    const next =
      failure === null && location !== null && 'url' in location
        ? followRedirect(
            {
              state,
              status: response.status,
              origin: run.page,
              corsTainting,
              maxRedirects: resolved.maxRedirects,
            },
            location.url,
          )
        : null;
    run.steps.push(
      responseStep(
        'request',
        hop,
        request,
        response,
        corsChecked ? (failure === null ? 'passed' : 'failed') : 'not-applicable',
        corsTainting ? (credentialsInclude ? CREDENTIALED_DECISIVE : DECISIVE) : NONE_DECISIVE,
        next?.ok ? next.next.url.href : null,
      ),
    );

    if (location !== null && 'error' in location) {
      const detail: FailureDetail = { code: 'InvalidRedirect', location: location.error };
      return blocked(run, [describeFailure(detail, context(stepIndex))]);
    }
    if (failure !== null) {
      const detail: FailureDetail = {
        code: failure,
        allowOrigin: getHeader(response.headers, ACAO),
        allowCredentials: getHeader(response.headers, ACAC),
        status: response.status,
      };
      return blocked(run, [describeFailure(detail, context(stepIndex, requestOrigin, response))]);
    }
    if (next === null) {
      const readable = readableResponse({
        headers: response.headers,
        url: state.url,
        status: response.status,
        hop,
        cors: corsTainting,
        credentialsInclude,
      });
      return allowed(run, readable, 'full');
    }
    if (!next.ok) return blocked(run, [describeFailure(next.detail, context(stepIndex))]);
    run.warnings.push(...redirectWarnings(plan.origin, state, next.next, next.removedHeaders));
    state = next.next;
  }
}

/** What Firefox's console line needs to know about a failed response. */
function responseFacts(response: ReceivedResponse): NonNullable<FailureContext['response']> {
  const allowOriginLines = response.headers.filter(([name]) => asciiLowercase(name) === ACAO);
  return { status: response.status, allowOriginLines: allowOriginLines.length };
}

function scopeOf(run: Run): 'full' | 'preflight-only' {
  return run.resolved.preflightOnly ? 'preflight-only' : 'full';
}

function finalWarnings(run: Run, scope: 'full' | 'preflight-only'): Warning[] {
  if (scope !== 'preflight-only') return run.warnings;
  return [
    ...run.warnings,
    {
      code: 'PREFLIGHT_ONLY',
      message:
        'Only the preflight was sent (--preflight-only): the verdict covers the preflight; the response to the request itself must also carry Access-Control-Allow-Origin.',
    },
  ];
}

/** The fields every verdict's result has. */
type CommonField =
  | 'browser'
  | 'scope'
  | 'plan'
  | 'steps'
  | 'curl'
  | 'warnings'
  | 'preflightCache'
  | 'galxe';
/** What sets a verdict's result apart: the fields after the common ones. */
type Outcome = CheckResult extends infer R
  ? R extends CheckResult
    ? Omit<R, CommonField>
    : never
  : never;

/**
 * The result: the fields every verdict has, then the outcome's. `Object.assign` rather than object
 * spread, which V8 makes about fifty times slower here, and a check builds one result per call.
 */
function result(run: Run, scope: 'full' | 'preflight-only', outcome: Outcome): CheckResult {
  const common = {
    browser: run.profile.name,
    scope,
    plan: run.plan,
    steps: run.steps,
    curl: curlCommands(run.steps),
    warnings: finalWarnings(run, scope),
    preflightCache: run.preflightCache,
    galxe: null,
  };
  return Object.assign(common, outcome);
}

function allowed(
  run: Run,
  response: ReadableResponse | null,
  scope: 'full' | 'preflight-only',
): CheckResult {
  return result(run, scope, { verdict: 'allowed', allowed: true, response });
}

function blocked(run: Run, failures: [Failure, ...Failure[]]): CheckResult {
  return result(run, scopeOf(run), { verdict: 'blocked', allowed: false, failures });
}

function errored(run: Run, error: NetworkError, step: number): CheckResult {
  return result(run, scopeOf(run), {
    verdict: 'error',
    allowed: false,
    error: { code: error.code, message: error.message, detail: error.detail, step },
  });
}

function inconclusive(run: Run, reason: string): CheckResult {
  return result(run, 'preflight-only', { verdict: 'inconclusive', allowed: false, reason });
}
