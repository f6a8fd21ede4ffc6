/**
 * The three kinds of exchange an audit makes, each sent through the checker so that what goes out
 * is what a browser sends and what comes back is judged by the browser's rules:
 * - the GET leg: `fetch(url)` from an origin (safe to send: GET does not change data);
 * - the preflight leg: the preflight for a state-changing request, with `preflightOnly` so the
 *   request itself is never sent;
 * - a GET without Origin, as caches and non-browser clients send it (for the Vary comparison).
 */

import type { HeaderEntry } from 'corsproof/spec';
import {
  ACAC,
  ACAH,
  ACAM,
  ACAO,
  ACMA,
  ACRM,
  ACRPN,
  asciiLowercase,
  checkPreflightResponse,
  getHeader,
  type HeaderList,
  isRedirectResponse,
  VARY,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import type {
  BrowserName,
  BrowserProfile,
  CheckResult,
  FailureCode,
  NetworkError,
  Step,
} from '../check/index.js';
import { check, DEFAULT_TIMEOUT_MS, exchange } from '../check/index.js';
import type { Evidence } from './findings.js';
import { finalResponse, type Passes, preflightPasses, readPasses } from './judge.js';
import type { LegSummary } from './report.js';
import type { ReadAnswer } from './status-weight.js';

/** What every leg of a run shares. */
export interface LegContext {
  readonly url: URL;
  /** Headers the calling page sets. */
  readonly headers: readonly (readonly [string, string])[];
  readonly cookie: string | null;
  readonly credentials: boolean;
  readonly browser: BrowserName;
  readonly profile: BrowserProfile;
  readonly timeoutMs: number | null;
  readonly dispatcher: Dispatcher;
  /** Cancels the requests in flight when it aborts. */
  readonly signal: AbortSignal | undefined;
}

/** One leg as sent and judged. */
export interface Leg {
  readonly summary: LegSummary;
  /** Every exchange of the leg, headers and all (cookies redacted). */
  readonly evidence: readonly Evidence[];
  /** The response that ended the chain, null when it ended at a redirect or an error. */
  readonly final: { readonly status: number; readonly headers: HeaderList } | null;
  /** The final response's status, body length and Content-Type (never its content); GET legs. */
  readonly answer: ReadAnswer | null;
  /** The response of the preflight, for preflight legs. */
  readonly preflight: { readonly status: number; readonly headers: HeaderList } | null;
  readonly result: CheckResult | null;
  readonly error: NetworkError | null;
  /** Requests that went out. */
  readonly requests: number;
}

const NO_PASS: Passes = Object.freeze({ omit: false, include: false, wildcard: false });
const SECRET_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/** Session secrets stay out of reports, which end up in CI logs and SARIF uploads. */
function redact(headers: readonly HeaderEntry[]): [string, string][] {
  return headers.map(([n, v]) => [n, SECRET_HEADERS.has(asciiLowercase(n)) ? '(redacted)' : v]);
}

function stepEvidence(step: Step, label: string): Evidence {
  const hop = step.hop > 0 ? ` (redirect hop ${step.hop})` : '';
  return {
    label: `${label}${hop}`,
    request: {
      method: step.request.method,
      url: step.request.url,
      headers: redact(step.request.headers),
    },
    ...(step.outcome === 'response'
      ? { response: { status: step.response.status, headers: redact(step.response.headers) } }
      : {}),
  };
}

function summarize(
  method: string,
  requestMethod: string | null,
  steps: readonly Step[],
  head: { readonly status: number; readonly headers: HeaderList } | null,
  passes: Passes,
  result: CheckResult | null,
  error: NetworkError | null,
): LegSummary {
  const h = (name: string) => (head === null ? null : getHeader(head.headers, name));
  const redirect = head !== null && isRedirectResponse(head.status, head.headers);
  const failure: FailureCode | null =
    result !== null && result.verdict === 'blocked' ? result.failures[0].code : null;
  return {
    method,
    requestMethod,
    sent: steps.length > 0,
    status: head?.status ?? null,
    acao: h(ACAO),
    acac: h(ACAC),
    vary: h(VARY),
    acam: h(ACAM),
    acah: h(ACAH),
    maxAge: h(ACMA),
    location: redirect ? h('location') : null,
    redirects: steps.filter((s) => s.kind === 'request' && s.hop > 0).length,
    passes,
    failure,
    error: error?.code ?? null,
  };
}

/** What a final response held, by size and type only: the body itself stays out of reports. */
function answerOf(steps: readonly Step[]): ReadAnswer | null {
  const last = steps[steps.length - 1];
  if (last === undefined || last.outcome !== 'response' || last.kind !== 'request') return null;
  const { status, headers, body } = last.response;
  return {
    status,
    bytes: body.bytes,
    truncated: body.truncated,
    contentType: getHeader(headers, 'content-type'),
  };
}

function lastResponse(
  steps: readonly Step[],
): { readonly status: number; readonly headers: HeaderList } | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step !== undefined && step.outcome === 'response') return step.response;
  }
  return null;
}

function common(ctx: LegContext) {
  return {
    url: ctx.url,
    credentials: ctx.credentials ? ('include' as const) : ('omit' as const),
    ...(ctx.cookie === null ? {} : { cookie: ctx.cookie }),
    browser: ctx.browser,
    ...(ctx.timeoutMs === null ? {} : { timeoutMs: ctx.timeoutMs }),
    dispatcher: ctx.dispatcher,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  };
}

/**
 * `fetch(url)` from `origin`, redirects followed as the browser follows them.
 *
 * @example
 * const leg = await sendGet(ctx, 'https://cp1.example');
 * leg.summary.passes.omit // true when script at https://cp1.example could read the response
 */
export async function sendGet(ctx: LegContext, origin: string): Promise<Leg> {
  const result = await check({ ...common(ctx), origin, method: 'GET', headers: ctx.headers });
  const passes = readPasses(result.steps, ctx.profile);
  const error = result.verdict === 'error' ? result.error : null;
  const label = `GET from ${origin}`;
  return {
    summary: summarize(
      'GET',
      null,
      result.steps,
      lastResponse(result.steps),
      passes,
      result,
      error,
    ),
    evidence: result.steps.map((s) =>
      stepEvidence(s, s.kind === 'preflight' ? `preflight before the ${label}` : label),
    ),
    final: finalResponse(result.steps),
    answer: answerOf(result.steps),
    preflight: null,
    result,
    error,
    requests: result.steps.length,
  };
}

/**
 * The preflight a browser at `origin` sends before `method` with `Content-Type: application/json`
 * (or `contentType: null` for none). Only the preflight is sent.
 *
 * @example
 * const leg = await sendPreflight(ctx, 'https://cp1.example', 'PUT');
 * leg.summary.passes.omit // true when the browser would go on to send the PUT
 */
export async function sendPreflight(
  ctx: LegContext,
  origin: string,
  method: string,
  extraHeaders: readonly (readonly [string, string])[] = [['Content-Type', 'application/json']],
): Promise<Leg> {
  const replaced = new Set(extraHeaders.map(([n]) => asciiLowercase(n)));
  const headers = [
    ...ctx.headers.filter(([n]) => !replaced.has(asciiLowercase(n))),
    ...extraHeaders,
  ];
  const result = await check({
    ...common(ctx),
    origin,
    method,
    headers,
    preflightOnly: true,
  });
  const passes = preflightPasses(result.steps, ctx.profile);
  const error = result.verdict === 'error' ? result.error : null;
  const step = result.steps.find((s) => s.kind === 'preflight');
  const head = step !== undefined && step.outcome === 'response' ? step.response : null;
  return {
    summary: summarize('OPTIONS', method, result.steps, head, passes, result, error),
    evidence: result.steps.map((s) => stepEvidence(s, `preflight from ${origin} for ${method}`)),
    final: null,
    answer: null,
    preflight: head,
    result,
    error,
    requests: result.steps.length,
  };
}

/**
 * One request sent as is, outside the checker: its response (or error) and its evidence, cookies
 * redacted. A cancelled request is no evidence: the run is over, so it throws.
 */
async function sendRaw(
  ctx: LegContext,
  method: string,
  headers: readonly HeaderEntry[],
  label: string,
): Promise<{
  readonly head: { readonly status: number; readonly headers: HeaderList } | null;
  readonly error: NetworkError | null;
  readonly evidence: Evidence;
}> {
  const request = { method, url: ctx.url.href, headers, body: null };
  const exchanged = await exchange(
    ctx.dispatcher,
    request,
    ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ctx.url,
    ctx.signal,
  );
  ctx.signal?.throwIfAborted();
  const head = exchanged.ok ? exchanged.response : null;
  return {
    head,
    error: exchanged.ok ? null : exchanged.error,
    evidence: {
      label,
      request: { method, url: ctx.url.href, headers: redact(headers) },
      ...(head === null
        ? {}
        : { response: { status: head.status, headers: redact(head.headers) } }),
    },
  };
}

/**
 * The Private Network Access preflight Chromium sends before a public page's request to a private
 * address, even a simple GET: OPTIONS with `Access-Control-Request-Private-Network: true`. Sent
 * as is (the checker does not model it); judged as a preflight for GET, per credentials mode, and
 * the caller looks for `Access-Control-Allow-Private-Network: true`.
 * https://wicg.github.io/private-network-access/#cors-preflight
 */
export async function sendPrivateNetworkPreflight(ctx: LegContext, origin: string): Promise<Leg> {
  const headers: HeaderEntry[] = [
    ['Accept', '*/*'],
    ['Origin', origin],
    [ACRM, 'GET'],
    [ACRPN, 'true'],
    ['User-Agent', ctx.profile.userAgent],
  ];
  const label = `private network preflight from ${origin}`;
  const { head, error, evidence } = await sendRaw(ctx, 'OPTIONS', headers, label);
  const judge = (credentialsInclude: boolean) =>
    head !== null &&
    checkPreflightResponse(
      head,
      { method: 'GET', unsafeHeaderNames: [], origin, credentialsInclude },
      ctx.profile,
    ).ok;
  const omit = judge(false);
  const passes: Passes = {
    omit,
    include: judge(true),
    wildcard: omit && head !== null && getHeader(head.headers, ACAO) === '*',
  };
  return {
    summary: { ...summarize('OPTIONS', 'GET', [], head, passes, null, error), sent: true },
    evidence: [evidence],
    final: null,
    answer: null,
    preflight: head,
    result: null,
    error,
    requests: 1,
  };
}

/**
 * A GET without Origin: what a cache stores when a non-browser client (or a same-origin page)
 * asks first. Redirects are not followed: the Vary comparison is about this URL's answer.
 */
export async function sendWithoutOrigin(ctx: LegContext): Promise<Leg> {
  const headers: HeaderEntry[] = [
    ...ctx.headers.map(([n, v]) => [n, v] as HeaderEntry),
    ['Accept', '*/*'],
    ['User-Agent', ctx.profile.userAgent],
  ];
  if (ctx.credentials && ctx.cookie !== null) headers.push(['Cookie', ctx.cookie]);
  const { head, error, evidence } = await sendRaw(ctx, 'GET', headers, 'GET without Origin');
  return {
    summary: { ...summarize('GET', null, [], head, NO_PASS, null, error), sent: true },
    evidence: [evidence],
    final: head,
    answer: null,
    preflight: null,
    result: null,
    error,
    requests: 1,
  };
}
