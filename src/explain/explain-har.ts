/**
 * `corsproof explain session.har`: every cross-origin request of a recording judged offline with
 * the checker's rules, each with the browser's words, the fix and the `corsproof check` command
 * that reproduces it, then a summary grouped by cause.
 */
import type {
  BrowserName,
  Failure,
  FailureCode,
  RecordedExchange,
  RecordedJudgement,
} from '../check/index.js';
import { checkCommand } from './check-command.js';
import type { ExplainEngine } from './engine.js';
import {
  type CredentialsEvidence,
  type CrossOriginRequest,
  crossOriginRequests,
} from './exchanges.js';
import { type HarEntry, type HarFile, headerValue, readHar } from './har.js';

export interface ExplainHarOptions {
  /** Whose rules and wording; by default the browser that wrote the file (Chromium if unknown). */
  readonly browser?: BrowserName;
}

/** One cross-origin request of the recording, judged. */
export interface ExplainedRequest {
  /** Position of the request in the HAR's entries, from 0. */
  readonly entry: number;
  readonly method: string;
  readonly url: string;
  readonly pageOrigin: string;
  readonly credentials: CredentialsEvidence & {
    /** Inferred from the browser's error: the request fails only with credentials. */
    readonly inferred: boolean;
  };
  /** The recorded preflight (its entry and status, 0 when recorded without a response), or null. */
  readonly preflight: { readonly entry: number; readonly status: number } | null;
  readonly preflightNeeded: boolean;
  readonly verdict: 'allowed' | 'blocked' | 'unknown';
  /** The browser's own error for the request (`net::ERR_FAILED`, `NS_ERROR_DOM_BAD_URI`), or null. */
  readonly browserError: string | null;
  /** Why it was blocked, in the browser's words, with the fix (empty unless blocked). */
  readonly failures: readonly Failure[];
  /** Why the recording does not decide it (unknown only). */
  readonly reason: string | null;
  /** Response header names script can read, and those hidden from it (allowed only). */
  readonly readableHeaders: readonly string[];
  readonly hiddenHeaders: readonly string[];
  /** The `corsproof check` command that sends the same request live. */
  readonly checkCommand: string;
}

/** The requests that failed for one cause. */
export interface ExplainCause {
  readonly code: FailureCode;
  readonly requests: readonly string[];
  /** The first request's fix (the others differ only in the URL). */
  readonly fix: string;
}

export interface HarExplanation {
  readonly browser: BrowserName;
  /** The tool that wrote the file (`log.creator.name`). */
  readonly creator: string;
  readonly requests: readonly ExplainedRequest[];
  /** Requests that look cross-origin but name no page origin (no Origin, Referer or page). */
  readonly unattributed: number;
  readonly summary: {
    readonly allowed: number;
    readonly blocked: number;
    readonly unknown: number;
    readonly causes: readonly ExplainCause[];
  };
}

/** The browser that wrote the file, from the HAR's creator and browser names. */
export function browserOfHar(har: HarFile): BrowserName | null {
  const names = `${har.creator} ${har.browser ?? ''}`.toLowerCase();
  if (/firefox|gecko/.test(names)) return 'firefox';
  if (/webinspector|chrom|edge|opera|brave/.test(names)) return 'chromium';
  return null;
}

function recordedResponse(entry: HarEntry | null): RecordedExchange['response'] {
  // Status 0 is "no response recorded" in both browsers' exports.
  if (entry === null || entry.status === 0) return null;
  return { status: entry.status, headers: entry.responseHeaders };
}

function exchangeOf(
  request: CrossOriginRequest,
  browser: BrowserName,
  credentialsInclude: boolean,
): RecordedExchange {
  return {
    browser,
    pageOrigin: request.pageOrigin,
    // After a cross-origin redirect the request carries `Origin: null` (a tainted origin).
    ...(headerValue(request.entry.requestHeaders, 'origin') === 'null'
      ? { requestOrigin: 'null' }
      : {}),
    url: request.entry.url,
    method: request.entry.method,
    requestHeaders: request.entry.requestHeaders,
    credentialsInclude,
    preflightRequestHeaders: request.preflight?.requestHeaders ?? null,
    preflight: recordedResponse(request.preflight),
    response: recordedResponse(request.entry),
  };
}

/**
 * Judges the request; when the browser reported an error although the headers pass without
 * credentials, the request was credentialed (nothing else in a HAR tells, for a cookie-less
 * request): judged again so.
 */
function judge(
  request: CrossOriginRequest,
  browser: BrowserName,
  engine: ExplainEngine,
): { judged: RecordedJudgement; include: boolean; inferred: boolean } {
  const include = request.credentials.include;
  const judged = engine.judgeRecordedExchange(exchangeOf(request, browser, include));
  if (judged.verdict !== 'allowed' || include || request.entry.error === null) {
    return { judged, include, inferred: false };
  }
  const credentialed = engine.judgeRecordedExchange(exchangeOf(request, browser, true));
  return credentialed.verdict === 'blocked'
    ? { judged: credentialed, include: true, inferred: true }
    : { judged, include, inferred: false };
}

function unknownReason(
  request: CrossOriginRequest,
  judged: RecordedJudgement,
  browser: BrowserName,
): string | null {
  const preflight = request.preflight;
  if (judged.verdict === 'unknown') {
    if (preflight !== null && preflight.status === 0) {
      return `The preflight (OPTIONS) was recorded as failed${preflight.error === null ? '' : ` (${preflight.error})`} without its response, so the recording cannot say why; ${browser === 'firefox' ? 'Firefox records a refused preflight so' : 'the browser kept no response'}. Run the check command below, or paste the console line into \`corsproof explain --message\`.`;
    }
    return `${judged.reason} Run the check command below.`;
  }
  if (judged.verdict === 'allowed' && request.entry.error !== null) {
    return `The recorded headers pass the CORS rules, yet the browser reported ${request.entry.error}: the failure is not a CORS one (the connection, a cancelled request, a blocked port or an extension).`;
  }
  return null;
}

function explainRequest(
  request: CrossOriginRequest,
  browser: BrowserName,
  engine: ExplainEngine,
): ExplainedRequest {
  const { judged, include, inferred } = judge(request, browser, engine);
  const reason = unknownReason(request, judged, browser);
  const verdict = reason !== null && judged.verdict === 'allowed' ? 'unknown' : judged.verdict;
  const entry = request.entry;
  const unsafe = engine.pageSetHeaders(entry.requestHeaders);
  const requested = request.preflight
    ? headerValue(request.preflight.requestHeaders, 'access-control-request-headers')
    : null;
  return {
    entry: entry.index,
    method: entry.method,
    url: entry.url,
    pageOrigin: request.pageOrigin,
    credentials: { ...request.credentials, include, inferred },
    preflight:
      request.preflight === null
        ? null
        : { entry: request.preflight.index, status: request.preflight.status },
    preflightNeeded: judged.preflightNeeded,
    verdict,
    browserError: entry.error,
    failures: judged.verdict === 'blocked' ? judged.failures : [],
    reason,
    readableHeaders:
      judged.verdict === 'allowed' && verdict === 'allowed' ? judged.readable.readableHeaders : [],
    hiddenHeaders:
      judged.verdict === 'allowed' && verdict === 'allowed' ? judged.readable.hiddenHeaders : [],
    checkCommand: checkCommand({
      url: entry.url,
      origin: request.pageOrigin,
      method: entry.method,
      headers: unsafe,
      requestedHeaderNames: requested,
      credentials: include,
      browser,
    }),
  };
}

function causesOf(requests: readonly ExplainedRequest[]): ExplainCause[] {
  const byCode = new Map<FailureCode, { requests: string[]; fix: string }>();
  for (const request of requests) {
    const [first] = request.failures;
    if (first === undefined) continue;
    const group = byCode.get(first.code) ?? { requests: [], fix: first.fix.summary };
    group.requests.push(`${request.method} ${request.url}`);
    byCode.set(first.code, group);
  }
  return [...byCode]
    .map(([code, group]) => ({ code, ...group }))
    .sort((a, b) => b.requests.length - a.requests.length);
}

/**
 * Explains every cross-origin request of a HAR (its text or parsed JSON), offline.
 * Throws a `HarError` when the input is not a HAR.
 *
 * @example
 * import * as engine from '../check/index.js';
 * const report = explainHar(await readFile('session.har', 'utf8'), {}, engine);
 * for (const r of report.requests) console.log(r.verdict, r.method, r.url, r.failures[0]?.message);
 */
export function explainHar(
  input: string | unknown,
  options: ExplainHarOptions,
  engine: ExplainEngine,
): HarExplanation {
  const har = readHar(input);
  const browser = options.browser ?? browserOfHar(har) ?? 'chromium';
  const { requests, unattributed } = crossOriginRequests(har);
  const explained = requests.map((r) => explainRequest(r, browser, engine));
  const count = (v: ExplainedRequest['verdict']) => explained.filter((r) => r.verdict === v).length;
  return {
    browser,
    creator: har.creator,
    requests: explained,
    unattributed: unattributed.length,
    summary: {
      allowed: count('allowed'),
      blocked: count('blocked'),
      unknown: count('unknown'),
      causes: causesOf(explained),
    },
  };
}
