/**
 * Failures as a developer meets them: the code (after Chromium's `CorsError`), the line the browser
 * console prints, an explanation in plain words, and the fix. One table holds it all, one entry per
 * code (./cors.ts, ./preflight.ts, ./request.ts), so a new failure is added in one
 * place and a code without an entry does not compile. The Chromium wording was captured from
 * Chromium 156 by the differential suite (test/browser/checker-differential.test.ts); the Firefox
 * wording is from its `security.properties` strings, compared with Firefox ESR 153 by
 * test/browser/firefox-differential.test.ts; the WebKit wording is from its source
 * (CrossOriginAccessControl.cpp and CrossOriginPreflightResultCache.cpp), which its differential
 * suite cannot compare because WebDriver classic does not expose the console.
 */
import { isSafelistedMethod } from 'corsproof/spec';
import type { NeededPolicy } from '../fixes.js';
import type { BrowserFailureCode, Failure, Fix } from '../result.js';
import { PREFLIGHT_CORS_FAILURES, RESPONSE_CORS_FAILURES } from './cors.js';
import type { FailureContext, FailureDetail, FailureEntry, FailureTable } from './detail.js';
import { PREFLIGHT_FAILURES } from './preflight.js';
import { REQUEST_FAILURES } from './request.js';

const FAILURES: FailureTable = {
  ...RESPONSE_CORS_FAILURES,
  ...PREFLIGHT_CORS_FAILURES,
  ...PREFLIGHT_FAILURES,
  ...REQUEST_FAILURES,
};

/** Every browser failure code, in the table's order. */
export const FAILURE_CODES = Object.keys(FAILURES) as readonly BrowserFailureCode[];

/** The table's entry for `code`. */
export function entryFor(code: BrowserFailureCode): FailureEntry<BrowserFailureCode> {
  return FAILURES[code];
}

/** Builds the full failure record: message, explanation, failed parameter and fix. */
export function describeFailure(detail: FailureDetail, ctx: FailureContext): Failure {
  const entry = entryFor(detail.code);
  return {
    code: detail.code,
    step: ctx.step,
    message: entry[ctx.profile.name](detail, ctx),
    explanation: entry.explain(detail, ctx),
    failedParameter: entry.failedParameter?.(detail) ?? '',
    fix: entry.fix(detail, ctx, neededPolicy(ctx)),
  };
}

/** Chromium's console line (`cors_error_string.cc` wording, verified on Chromium 156). */
export function chromiumMessage(detail: FailureDetail, ctx: FailureContext): string {
  return entryFor(detail.code).chromium(detail, ctx);
}

/** WebKit's console line (from its source; WebDriver classic cannot read WebKit's console). */
export function webkitMessage(detail: FailureDetail, ctx: FailureContext): string {
  return entryFor(detail.code).webkit(detail, ctx);
}

/**
 * Firefox's console line (`security.properties` `CORS*` strings, as `nsCORSListenerProxy.cpp` fills
 * them; compared with Firefox ESR 153). Firefox counts Access-Control-Allow-Origin lines, so one line
 * holding a list "does not match" while two lines are "multiple"; only a missing header and a failed
 * preflight status name the status code; a redirect Firefox refuses is a request that "did not
 * succeed", named by the URL that redirected.
 */
export function firefoxMessage(detail: FailureDetail, ctx: FailureContext): string {
  return entryFor(detail.code).firefox(detail, ctx);
}

/** The fix for a failure: the header (and value) to send, and the configuration that does it. */
export function fixFor(detail: FailureDetail, ctx: FailureContext): Fix {
  return entryFor(detail.code).fix(detail, ctx, neededPolicy(ctx));
}

/** What the server must allow for the request that failed, and nothing more. */
export function neededPolicy(ctx: FailureContext): NeededPolicy {
  return {
    origin: ctx.requestOrigin === 'null' && ctx.pageOrigin !== 'null' ? '*' : ctx.pageOrigin,
    credentials: ctx.credentials === 'include',
    methods: isSafelistedMethod(ctx.method) ? [] : [ctx.method],
    requestHeaders: ctx.unsafeHeaderNames,
  };
}
