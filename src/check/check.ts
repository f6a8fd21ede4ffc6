/**
 * `check()`: would a page at origin X be able to call this API with fetch()? It sends what the
 * browser would send (the preflight when one is needed, then the request, following redirects by
 * hand) and judges every response with the browser's rules.
 *
 * The loop follows https://fetch.spec.whatwg.org/#main-fetch: each redirect hop re-enters main
 * fetch, so each hop gets its own port and mixed-content gates, its own preflight when the
 * request is still CORS-unsafe, and its own CORS check.
 */

import type { FetchSite } from 'corsproof/spec';
import {
  ACAC,
  ACAO,
  asciiLowercase,
  type CorsCheckFailure,
  checkPreflightResponse,
  corsCheck,
  getHeader,
  type HeaderEntry,
  isBlockedByBadPort,
  isPotentiallyTrustworthyUrl,
  isRedirectResponse,
  isRedirectStatus,
  isSafelistedMethod,
  isSameOrigin,
  type Origin,
  originOfUrl,
  type PreflightFailure,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import { describeFailure } from './failures/describe.js';
import type { FailureContext, FailureDetail } from './failures/detail.js';
import { isMixedContent } from './gates.js';
import {
  type CheckOptions,
  type ResolvedOptions,
  resolveOptions,
  withRunOptions,
} from './options.js';
import { actualRequest, clientHintsAt, preflightRequest, referrerFor } from './outgoing.js';
import { deepFreeze, type FirstHop, keepPlanned, type Planned, plannedFor } from './planned.js';
import {
  type PreflightInput,
  type PreflightRun,
  preflightRun,
  sendPreflight,
} from './preflight.js';
import { type BrowserProfile, browserProfile } from './profiles.js';
import { readableResponse } from './readable.js';
import {
  followRedirect,
  locationOf,
  type RedirectOutcome,
  type RedirectState,
} from './redirects.js';
import { planRequest, unsafeHeaderNamesAt } from './request-plan.js';
import { curlFlagsOf, type PinnedHosts, pinsOf } from './resolve.js';
import type {
  CheckResult,
  Failure,
  NetworkError,
  PreflightCacheReport,
  ReadableResponse,
  ReceivedResponse,
  RequestPlan,
  SentRequest,
  Step,
  Warning,
} from './result.js';
import { curlCommands, keepCurl, networkErrorStep, responseStep, withPinnedCurl } from './steps.js';
import { createCheckDispatcher, exchange, prepareExchange } from './transport.js';
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
export function check(options: CheckOptions): Promise<CheckResult> {
  // Not an async function: with a pool given (the usual call) the run's own promise is returned,
  // not one more wrapped around it. Bad options still reject rather than throw, as with fetch().
  try {
    const prepared = prepare(options);
    // fetch.bs "fetch()" step 4: an already aborted signal rejects before anything is sent.
    prepared.resolved.signal?.throwIfAborted();
    if (options.dispatcher) return run(prepared, options.dispatcher);
    return runAlone(prepared);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Runs the check through a pool of its own, closed when it is done. */
async function runAlone(prepared: Prepared): Promise<CheckResult> {
  const own = createCheckDispatcher({ connections: 2 });
  try {
    return await run(prepared, own);
  } finally {
    await own.close();
  }
}

/** Runs the check (or the emulated checker) through `dispatcher`. */
function run(prepared: Prepared, dispatcher: Dispatcher): Promise<CheckResult> {
  const { resolved, profile, plan, planned } = prepared;
  const pins = pinsOf(dispatcher);
  const flags = curlFlagsOf(dispatcher);
  const running = resolved.emulation
    ? resolved.emulation.run({ resolved, plan, profile, dispatcher })
    : runCheck(resolved, plan, profile, dispatcher, pins, planned);
  // The usual case costs no extra promise.
  if (resolved.signal === undefined && pins === undefined && flags === undefined) return running;
  return running.then((result) => {
    // An abort cancelled the exchange in flight, which ended the run as a network error: the
    // caller asked for no verdict, so give none.
    resolved.signal?.throwIfAborted();
    return pins === undefined && flags === undefined ? result : withPinnedCurl(result, pins, flags);
  });
}

/** What `prepare` works out before anything is sent. */
interface Prepared {
  readonly resolved: ResolvedOptions;
  readonly profile: BrowserProfile;
  readonly plan: RequestPlan;
  readonly planned: Planned | null;
}

/**
 * The options resolved and the request planned: worked out afresh, or taken from the last check
 * with the same request options (planned.ts), whose plan is then shared and frozen.
 */
function prepare(options: CheckOptions): Prepared {
  const known = plannedFor(options);
  if (known !== undefined) {
    const resolved = withRunOptions(known.resolved, options);
    return { resolved, profile: known.profile, plan: known.plan, planned: known };
  }
  const resolved = resolveOptions(options);
  const profile = browserProfile(resolved.browser);
  const plan = planRequest(resolved, profile);
  const planned = keepPlanned(options, resolved, profile, plan);
  return { resolved, profile, plan: planned?.plan ?? plan, planned };
}

// Shared by every result, so frozen: a caller that mutates one cannot change the others.
const DECISIVE: readonly string[] = Object.freeze([ACAO]);
const CREDENTIALED_DECISIVE: readonly string[] = Object.freeze([ACAO, ACAC]);
const NONE_DECISIVE: readonly string[] = Object.freeze([]);

/**
 * One exchange: what it has gathered so far, the request as the redirects left it, and the
 * current hop's facts. One object for the whole check, updated hop by hop, so that following a
 * redirect allocates nothing for the state itself.
 */
interface Exchange {
  readonly resolved: ResolvedOptions;
  readonly plan: RequestPlan;
  readonly profile: BrowserProfile;
  readonly dispatcher: Dispatcher;
  /** Kept from the checks before with the same options, and kept for the next ones. */
  readonly planned: Planned | null;
  readonly page: Origin;
  readonly credentialsInclude: boolean;
  readonly steps: Step[];
  readonly warnings: Warning[];
  preflightCache: PreflightCacheReport | null;
  /** The request as the redirects so far have left it. */
  request: RedirectState;
  /** Every URL asked for so far (fetch.bs "URL list"), for Sec-Fetch-Site. */
  readonly urlList: URL[];
  /** The first hop's facts (whether its URL is potentially trustworthy, its Sec-Fetch-Site, Referer). */
  readonly first: FirstHop;
  /** fetch.bs "response tainting": basic until a cross-origin URL is involved, then cors for good. */
  corsTainting: boolean;
  /** Whether a preflight was needed so far (Firefox then preflights every later hop). */
  preflighted: boolean;
  /** Whether the profile's client hints are still on the request (clientHintsAt). */
  clientHints: boolean;
  /**
   * The last clock reading (`performance.now()`): the run's start, then the end of each response.
   * The next exchange starts from it rather than reading the clock again, which costs as much as
   * judging a response on some machines; its time then includes the judging before it (µs).
   */
  clock: number;
  /** The method of the hop before, whose change restarts the request. */
  previousMethod: string;
  /** Whether the URL of the hop before is potentially trustworthy (null before the first hop). */
  previousTrustworthy: boolean | null;
  /** This hop's redirect count; it and the fields below are set by enterHop and planHop. */
  hop: number;
  /** The Origin this hop's request carries (`null` once tainted). */
  requestOrigin: string;
  unsafeHeaderNames: readonly string[];
  sameOrigin: boolean;
  needsPreflight: boolean;
  trustworthy: boolean;
  site: FetchSite;
  referrer: string | null;
}

async function runCheck(
  resolved: ResolvedOptions,
  plan: RequestPlan,
  profile: BrowserProfile,
  dispatcher: Dispatcher,
  /** The dispatcher's pinned names, if it has any (createCheckDispatcher's `resolve`). */
  pins: PinnedHosts | undefined,
  planned: Planned | null,
): Promise<CheckResult> {
  const x = startExchange(resolved, plan, profile, dispatcher, pins, planned);
  for (;;) {
    const gated = enterHop(x);
    if (gated !== null) return gated;
    planHop(x);
    if (x.needsPreflight) {
      x.preflighted = true;
      const preflight = preflightInputOf(x);
      const sent = await sendPreflight(preflight);
      if (sent.ok) x.clock = sent.endedAt;
      const refused = judgePreflight(x, preflightRun(preflight, sent));
      if (refused !== null) return refused;
    }
    if (resolved.preflightOnly) return preflightOnlyResult(x);
    const request = requestOf(x);
    const url = x.request.url;
    const exchanged = await exchange(
      dispatcher,
      request,
      resolved.timeoutMs,
      url,
      resolved.signal,
      resolved.deadline,
      profile.combinesRepeatedResponseHeaders,
      x.clock,
    );
    if (!exchanged.ok) return networkFailure(x, request, exchanged.error);
    x.clock = exchanged.endedAt;
    const verdict = judgeResponse(x, request, exchanged.response);
    if (verdict !== null) return verdict;
  }
}

function startExchange(
  resolved: ResolvedOptions,
  plan: RequestPlan,
  profile: BrowserProfile,
  dispatcher: Dispatcher,
  pins: PinnedHosts | undefined,
  planned: Planned | null,
): Exchange {
  const page = resolved.page;
  const address = pins?.addressForUrl(resolved.url) ?? null;
  return {
    resolved,
    plan,
    profile,
    dispatcher,
    planned,
    page,
    credentialsInclude: plan.credentials === 'include',
    steps: [],
    warnings: warningsOf(resolved, plan, profile, address, planned),
    preflightCache: null,
    request: {
      url: resolved.url,
      method: plan.method,
      headers: plan.headers,
      body: plan.body,
      redirectCount: 0,
      tainted: false,
    },
    urlList: [],
    first: firstHopOf(resolved, profile, planned),
    corsTainting: false,
    preflighted: false,
    clientHints: false,
    clock: resolved.deadline.setAt,
    previousMethod: plan.method,
    previousTrustworthy: null,
    hop: 0,
    requestOrigin: plan.origin,
    unsafeHeaderNames: [],
    sameOrigin: false,
    needsPreflight: false,
    trustworthy: false,
    site: 'cross-site',
    referrer: null,
  };
}

/** The first hop's facts: they depend on the page and the URL alone, so a kept plan has them. */
function firstHopOf(
  resolved: ResolvedOptions,
  profile: BrowserProfile,
  planned: Planned | null,
): FirstHop {
  if (planned?.firstHop) return planned.firstHop;
  const url = resolved.url;
  const first: FirstHop = {
    gate: gateOf(resolved.page, url),
    trustworthy: isPotentiallyTrustworthyUrl(url),
    site: profile.fetchSite(resolved.page, [url]),
    referrer: referrerFor(resolved.page, url),
  };
  if (planned !== null) planned.firstHop = Object.freeze(first);
  return first;
}

/** The warnings known before anything is sent (a copy: the check adds its own). */
function warningsOf(
  resolved: ResolvedOptions,
  plan: RequestPlan,
  profile: BrowserProfile,
  address: string | null,
  planned: Planned | null,
): Warning[] {
  if (planned === null) return planWarnings(resolved, plan, profile, resolved.page, address);
  const kept = planned.warnings;
  if (kept !== null && kept.address === address) return kept.list.slice();
  const list = planWarnings(resolved, plan, profile, resolved.page, address);
  // The warnings are shared, so frozen; the list is never handed out (each check gets a copy).
  for (const warning of list) deepFreeze(warning);
  planned.warnings = { address, list };
  return list.slice();
}

/**
 * Enters a hop (main fetch), and applies its steps 4-7, port blocking and mixed content, before
 * anything is sent: the blocked result, or null to go on.
 */
function enterHop(x: Exchange): CheckResult | null {
  const url = x.request.url;
  x.hop = x.request.redirectCount;
  x.urlList.push(url);
  x.requestOrigin = x.request.tainted ? 'null' : x.plan.origin;
  x.unsafeHeaderNames = unsafeHeaderNamesAt(
    x.plan,
    x.profile.preflightKeepsRemovedHeaders ? x.plan.headers : x.request.headers,
    x.profile,
  );
  // The first hop's gates depend on the page and the URL alone: judged once (planned.ts).
  const gate = x.hop === 0 ? x.first.gate : gateOf(x.page, url);
  if (gate === null) return null;
  return blocked(x, describeFailure({ code: gate, url: url.href }, failureContext(x, null)));
}

/** The gate a request to `url` from `page` fails (main fetch steps 4-7), or null. */
function gateOf(page: Origin, url: URL): FirstHop['gate'] {
  if (isBlockedByBadPort(url)) return 'UnsafePort';
  if (isMixedContent(page, url)) return 'MixedContent';
  return null;
}

/**
 * Main fetch step 12: same-origin with basic tainting needs no CORS; anything else is a CORS
 * request, preflighted when its method or a header is not safelisted. Also what the request
 * carries at this hop: Sec-Fetch-Site, Referer and client hints.
 */
function planHop(x: Exchange): void {
  const { url, method } = x.request;
  // The first hop's facts depend on the page and the URL alone: worked out once (planned.ts).
  const first = x.hop === 0;
  const sameOrigin =
    !x.corsTainting && (first ? x.plan.sameOrigin : isSameOrigin(originOfUrl(url), x.page));
  const becameCors = !sameOrigin && !x.corsTainting;
  if (!sameOrigin) x.corsTainting = true;
  x.sameOrigin = sameOrigin;
  x.site = first ? x.first.site : x.profile.fetchSite(x.page, x.urlList);
  x.referrer = first ? x.first.referrer : referrerFor(x.page, url);
  x.needsPreflight =
    x.corsTainting &&
    ((x.profile.preflightsEveryRedirect && x.preflighted) ||
      !isSafelistedMethod(method) ||
      x.unsafeHeaderNames.length > 0);
  const trustworthy = first ? x.first.trustworthy : isPotentiallyTrustworthyUrl(url);
  x.clientHints = clientHintsAt(x.clientHints, {
    first: x.first.trustworthy,
    from: x.previousTrustworthy,
    to: trustworthy,
    restart: x.needsPreflight || becameCors || (x.corsTainting && method !== x.previousMethod),
  });
  x.trustworthy = trustworthy;
  x.previousMethod = method;
  x.previousTrustworthy = trustworthy;
}

/** The Origin of this hop's preflight: Firefox sends it as a new request from the page. */
function preflightOriginOf(x: Exchange): string {
  return x.profile.preflightAfterRedirectFromPage ? x.plan.origin : x.requestOrigin;
}

/** What sending and judging this hop's preflight needs. */
function preflightInputOf(x: Exchange): PreflightInput {
  const { url, method } = x.request;
  return {
    dispatcher: x.dispatcher,
    timeoutMs: x.resolved.timeoutMs,
    deadline: x.resolved.deadline,
    signal: x.resolved.signal,
    startedAt: x.clock,
    url,
    request: preflightOf(x),
    hop: x.hop,
    method,
    unsafeHeaderNames: x.unsafeHeaderNames,
    origin: preflightOriginOf(x),
    credentialsInclude: x.credentialsInclude,
    profile: x.profile,
  };
}

/** This hop's preflight; the first hop's is the same for every check with these options. */
function preflightOf(x: Exchange): SentRequest {
  const planned = x.hop === 0 ? x.planned : null;
  if (planned?.firstPreflight) return planned.firstPreflight;
  const request = preflightRequest({
    url: x.request.url,
    trustworthy: x.trustworthy,
    method: x.request.method,
    unsafeHeaderNames: x.unsafeHeaderNames,
    origin: preflightOriginOf(x),
    site: preflightSiteOf(x),
    referrer: x.referrer,
    profile: x.profile,
  });
  if (planned !== null) planned.firstPreflight = keepRequest(request, x.request.url);
  return request;
}

/** Records the preflight: the result when it failed, else null (and its warnings kept). */
function judgePreflight(x: Exchange, preflight: PreflightRun): CheckResult | null {
  x.steps.push(preflight.step);
  const stepIndex = x.steps.length - 1;
  if (!preflight.sent) return errored(x, preflight.error, stepIndex);
  const { response, result } = preflight;
  if (!result.ok) return blockedPreflight(x, result.failure, response, stepIndex);
  if (result.authorizationByWildcard) x.warnings.push(AUTHORIZATION_WILDCARD_WARNING);
  const cache = preflightCacheReport(response.headers, x.request.url);
  x.preflightCache = cache.report;
  if (cache.warning) x.warnings.push(cache.warning);
  return null;
}

function blockedPreflight(
  x: Exchange,
  failure: PreflightFailure,
  response: ReceivedResponse,
  stepIndex: number,
): CheckResult {
  const origin = preflightOriginOf(x);
  const context = failureContext(x, stepIndex, origin, response);
  const failures: [Failure, ...Failure[]] = [describeFailure(failure, context)];
  // The browser stops at the method; say now which headers would fail next.
  if (failure.code === 'MethodDisallowedByPreflightResponse') {
    const headersToo = checkPreflightResponse(
      response,
      {
        method: 'GET',
        unsafeHeaderNames: x.unsafeHeaderNames,
        origin,
        credentialsInclude: x.credentialsInclude,
      },
      x.profile,
    );
    if (!headersToo.ok) failures.push(describeFailure(headersToo.failure, context));
  }
  return result(x, scopeOf(x), { verdict: 'blocked', allowed: false, failures });
}

/** With --preflight-only the request itself is not sent: what the preflight (or its absence) says. */
function preflightOnlyResult(x: Exchange): CheckResult {
  if (x.needsPreflight) return allowed(x, null, 'preflight-only');
  return inconclusive(
    x,
    x.sameOrigin
      ? 'The URL is same-origin with the page, so no preflight (and no CORS) applies; with --preflight-only nothing was sent.'
      : `A browser sends this ${x.request.method} request without a preflight, so its own response decides; with --preflight-only it was not sent. Run without --preflight-only to check it.`,
  );
}

/** This hop's request, as the browser writes it; the first hop's is the same for every check with
 * these options. */
function requestOf(x: Exchange): SentRequest {
  const planned = x.hop === 0 ? x.planned : null;
  if (planned?.firstRequest) return planned.firstRequest;
  const request = buildRequest(x);
  if (planned !== null) planned.firstRequest = keepRequest(request, x.request.url);
  return request;
}

/** This hop's request, built from the exchange's facts. */
function buildRequest(x: Exchange): SentRequest {
  const { url, method, headers, body } = x.request;
  const plan = x.plan;
  // Fetch.bs "append a request Origin header": always on CORS requests; on same-origin ones
  // only for methods other than GET and HEAD.
  const sendOrigin = x.corsTainting || (method !== 'GET' && method !== 'HEAD');
  // The credentials flag: include, or same-origin while the tainting is still basic.
  const credentialsFlag =
    plan.credentials === 'include' || (plan.credentials === 'same-origin' && !x.corsTainting);
  return actualRequest({
    url,
    trustworthy: x.trustworthy,
    method,
    headers,
    body,
    origin: sendOrigin ? x.requestOrigin : null,
    site: x.site,
    referrer: x.referrer,
    cookie: credentialsFlag ? x.resolved.cookie : null,
    clientHints: x.clientHints,
    withoutFetchMetadata: x.profile.dropsFetchMetadataAcrossOrigins && enteredAcrossOrigins(x),
    profile: x.profile,
  });
}

/**
 * A first-hop request kept for the next checks with the same options: frozen (every result holding
 * it shares it), with its undici options and curl command built now, once.
 */
function keepRequest(request: SentRequest, url: URL): SentRequest {
  deepFreeze(request);
  prepareExchange(request, url);
  keepCurl(request);
  return request;
}

/** Whether this hop was reached by a redirect from another origin. */
function enteredAcrossOrigins(x: Exchange): boolean {
  const before = x.urlList[x.urlList.length - 2];
  return before !== undefined && before.origin !== x.request.url.origin;
}

/** The Sec-Fetch-Site of this hop's preflight. */
function preflightSiteOf(x: Exchange): FetchSite {
  if (x.profile.preflightAfterRedirectFromPage) return x.profile.fetchSite(x.page, [x.request.url]);
  // WebKit compares the request's origin, opaque once tainted, with the URL's.
  if (x.profile.dropsFetchMetadataAcrossOrigins && x.requestOrigin === 'null') return 'cross-site';
  return x.site;
}

function networkFailure(x: Exchange, request: SentRequest, error: NetworkError): CheckResult {
  x.steps.push(networkErrorStep('request', x.hop, request, error));
  return errored(x, error, x.steps.length - 1);
}

/**
 * Judges this hop's response: the result when it ends the check, or null once the redirect it
 * carries has been followed (the next hop is then in `x.request`).
 */
function judgeResponse(
  x: Exchange,
  request: SentRequest,
  response: ReceivedResponse,
): CheckResult | null {
  const location = redirectLocationOf(x, response);
  // HTTP fetch step 4.3: with cors tainting, every response (each redirect included) must pass
  // the CORS check; Chromium runs it before its other redirect checks (measured).
  const corsChecked = x.corsTainting && (location === null || 'url' in location);
  const failure = corsChecked
    ? corsCheckOf(response.headers, x.requestOrigin, x.credentialsInclude)
    : null;
  const next =
    failure === null && location !== null && 'url' in location
      ? followRedirect(
          {
            state: x.request,
            status: response.status,
            origin: x.page,
            corsTainting: x.corsTainting,
            maxRedirects: x.resolved.maxRedirects,
            deleteBecomesGetAcrossOrigins: x.profile.deleteBecomesGetAcrossOrigins,
          },
          location.url,
        )
      : null;
  const stepIndex = x.steps.length;
  x.steps.push(responseStepOf(x, request, response, corsChecked, failure, next));
  if (location !== null && 'error' in location) {
    const detail: FailureDetail = { code: 'InvalidRedirect', location: location.error };
    return blocked(x, describeFailure(detail, failureContext(x, stepIndex)));
  }
  if (failure !== null) return blockedResponse(x, failure, response, stepIndex);
  if (next === null) return allowed(x, readableOf(x, response), 'full');
  if (!next.ok) return blocked(x, describeFailure(next.detail, failureContext(x, stepIndex)));
  x.warnings.push(...redirectWarnings(x.plan.origin, x.request, next.next, next.removedHeaders));
  x.request = next.next;
  return null;
}

/**
 * The last lines that passed the CORS check, and for what. Lines of a head seen before are shared
 * and frozen (received-lines.ts), so a server answering the same request with the same head hands
 * the same array again, which then need not be checked again.
 */
let lastCorsPass: {
  readonly headers: readonly HeaderEntry[];
  readonly origin: string;
  readonly credentialsInclude: boolean;
} | null = null;

/** fetch.bs "CORS check": null when it passes, else the failure. */
function corsCheckOf(
  headers: readonly HeaderEntry[],
  origin: string,
  credentialsInclude: boolean,
): CorsCheckFailure | null {
  const last = lastCorsPass;
  if (
    last !== null &&
    last.headers === headers &&
    last.origin === origin &&
    last.credentialsInclude === credentialsInclude
  ) {
    return null;
  }
  const failure = corsCheck(headers, { origin, credentialsInclude });
  if (failure === null && Object.isFrozen(headers)) {
    lastCorsPass = { headers, origin, credentialsInclude };
  }
  return failure;
}

/**
 * HTTP-redirect fetch step 4: an unparseable Location is a network error, which Chromium raises
 * before the CORS check (measured: even without Access-Control-Allow-Origin). An empty Location is
 * a response in Chromium, a redirect to the same URL in Firefox and a network error in WebKit.
 * Null when no redirect.
 */
function redirectLocationOf(
  x: Exchange,
  response: ReceivedResponse,
): ReturnType<typeof locationOf> | null {
  const emptyLocation = x.profile.emptyLocation;
  const isRedirect =
    emptyLocation === 'response'
      ? isRedirectResponse(response.status, response.headers)
      : isRedirectStatus(response.status) && getHeader(response.headers, 'location') !== null;
  if (
    isRedirect &&
    emptyLocation === 'network-error' &&
    getHeader(response.headers, 'location')?.trim() === ''
  ) {
    return { error: '' };
  }
  return isRedirect
    ? locationOf(response.headers, x.request.url, x.profile.combinesRepeatedResponseHeaders)
    : null;
}

function responseStepOf(
  x: Exchange,
  request: SentRequest,
  response: ReceivedResponse,
  corsChecked: boolean,
  failure: CorsCheckFailure | null,
  next: RedirectOutcome | null,
): Step {
  return responseStep(
    'request',
    x.hop,
    request,
    response,
    corsChecked ? (failure === null ? 'passed' : 'failed') : 'not-applicable',
    x.corsTainting ? (x.credentialsInclude ? CREDENTIALED_DECISIVE : DECISIVE) : NONE_DECISIVE,
    next?.ok ? next.next.url.href : null,
  );
}

function blockedResponse(
  x: Exchange,
  failure: CorsCheckFailure,
  response: ReceivedResponse,
  stepIndex: number,
): CheckResult {
  const detail: FailureDetail = {
    code: failure,
    allowOrigin: getHeader(response.headers, ACAO),
    allowCredentials: getHeader(response.headers, ACAC),
    status: response.status,
  };
  return blocked(
    x,
    describeFailure(detail, failureContext(x, stepIndex, x.requestOrigin, response)),
  );
}

function readableOf(x: Exchange, response: ReceivedResponse): ReadableResponse {
  return readableResponse({
    headers: response.headers,
    url: x.request.url,
    status: response.status,
    hop: x.hop,
    cors: x.corsTainting,
    credentialsInclude: x.credentialsInclude,
  });
}

/** Where and for what request a failure of this hop happened. */
function failureContext(
  x: Exchange,
  step: number | null,
  origin: string = x.requestOrigin,
  response?: ReceivedResponse,
): FailureContext {
  return {
    profile: x.profile,
    pageOrigin: x.plan.origin,
    requestOrigin: origin,
    firstUrl: x.resolved.url.href,
    url: x.request.url.href,
    hop: x.hop,
    method: x.request.method,
    credentials: x.plan.credentials,
    unsafeHeaderNames: x.unsafeHeaderNames,
    step,
    response: response === undefined ? undefined : responseFacts(response),
  };
}

/** What Firefox's console line needs to know about a failed response. */
function responseFacts(response: ReceivedResponse): NonNullable<FailureContext['response']> {
  const allowOriginLines = response.headers.filter(([name]) => asciiLowercase(name) === ACAO);
  return { status: response.status, allowOriginLines: allowOriginLines.length };
}

function scopeOf(x: Exchange): 'full' | 'preflight-only' {
  return x.resolved.preflightOnly ? 'preflight-only' : 'full';
}

function finalWarnings(x: Exchange, scope: 'full' | 'preflight-only'): Warning[] {
  if (scope !== 'preflight-only') return x.warnings;
  return [
    ...x.warnings,
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
  | 'emulation';
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
function result(x: Exchange, scope: 'full' | 'preflight-only', outcome: Outcome): CheckResult {
  const common = {
    browser: x.profile.name,
    scope,
    plan: x.plan,
    steps: x.steps,
    curl: curlCommands(x.steps),
    warnings: finalWarnings(x, scope),
    preflightCache: x.preflightCache,
    emulation: null,
  };
  return Object.assign(common, outcome);
}

function allowed(
  x: Exchange,
  response: ReadableResponse | null,
  scope: 'full' | 'preflight-only',
): CheckResult {
  return result(x, scope, { verdict: 'allowed', allowed: true, response });
}

function blocked(x: Exchange, failure: Failure): CheckResult {
  return result(x, scopeOf(x), { verdict: 'blocked', allowed: false, failures: [failure] });
}

function errored(x: Exchange, error: NetworkError, step: number): CheckResult {
  return result(x, scopeOf(x), {
    verdict: 'error',
    allowed: false,
    error: { code: error.code, message: error.message, detail: error.detail, step },
  });
}

function inconclusive(x: Exchange, reason: string): CheckResult {
  return result(x, 'preflight-only', { verdict: 'inconclusive', allowed: false, reason });
}
