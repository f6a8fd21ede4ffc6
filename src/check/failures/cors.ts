/**
 * The CORS check's failures (https://fetch.spec.whatwg.org/#concept-cors-check), on the response
 * itself and on a preflight's (`Preflight…`): the same rule, the same browser sentence, and fixes
 * that differ in where the header goes.
 */
import type { CorsCheckFailure, PreflightCorsFailure } from 'corsproof/spec';
import { type NeededPolicy, serverFix, taintedOriginFix } from '../fixes.js';
import type { Fix } from '../result.js';
import type { FailureContext, FailureTable } from './detail.js';
import {
  afterRedirects,
  CHROMIUM_PREFLIGHT,
  chromiumBlocked,
  escapeNonAscii,
  firefoxBlocked,
  firefoxNoMatch,
  firefoxStatus,
  ONE_ORIGIN,
  taintedOriginNote,
  webkitAllowOrigin,
} from './wording.js';

/** What a failed CORS check quotes, on a response or a preflight's. */
interface AllowOriginDetail {
  readonly code: CorsCheckFailure | PreflightCorsFailure;
  readonly allowOrigin: string | null;
  readonly allowCredentials: string | null;
}

const VALID_VALUE = ' Have the server send the header with a valid value.';

/** Chromium's sentence for each CORS-check failure, shared by the response and the preflight. */
const CHROMIUM_SENTENCES: {
  readonly [C in CorsCheckFailure]: (allowOrigin: string, allowCredentials: string) => string;
} = {
  MissingAllowOriginHeader: () =>
    "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
  MultipleAllowOriginValues: (allowOrigin) =>
    `The 'Access-Control-Allow-Origin' header contains multiple values '${allowOrigin}', but only one is allowed.${VALID_VALUE}`,
  InvalidAllowOriginValue: (allowOrigin) =>
    `The 'Access-Control-Allow-Origin' header contains the invalid value '${allowOrigin}'.${VALID_VALUE}`,
  AllowOriginMismatch: (allowOrigin) =>
    `The 'Access-Control-Allow-Origin' header has a value '${allowOrigin}' that is not equal to the supplied origin.${VALID_VALUE}`,
  WildcardOriginNotAllowed: () =>
    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
  InvalidAllowCredentials: (_, allowCredentials) =>
    `The value of the 'Access-Control-Allow-Credentials' header in the response is '${allowCredentials}' which must be 'true' when the request's credentials mode is 'include'.`,
};

function chromiumSentence(code: CorsCheckFailure, detail: AllowOriginDetail): string {
  return CHROMIUM_SENTENCES[code](
    escapeNonAscii(detail.allowOrigin ?? ''),
    escapeNonAscii(detail.allowCredentials ?? ''),
  );
}

function chromiumResponse(
  detail: AllowOriginDetail & { readonly code: CorsCheckFailure },
  ctx: FailureContext,
): string {
  return chromiumBlocked(ctx) + chromiumSentence(detail.code, detail);
}

function chromiumPreflight(
  detail: AllowOriginDetail & { readonly code: PreflightCorsFailure },
  ctx: FailureContext,
): string {
  const code = detail.code.slice('Preflight'.length) as CorsCheckFailure;
  return chromiumBlocked(ctx) + CHROMIUM_PREFLIGHT + chromiumSentence(code, detail);
}

function firefoxMissing(_: AllowOriginDetail, ctx: FailureContext): string {
  return `${firefoxBlocked(ctx.url)}CORS header ‘Access-Control-Allow-Origin’ missing).${firefoxStatus(ctx)}`;
}

/** Firefox counts lines: one line holding a list "does not match", two lines are "multiple". */
function firefoxMultiple(detail: AllowOriginDetail, ctx: FailureContext): string {
  return (ctx.response?.allowOriginLines ?? 2) > 1
    ? `${firefoxBlocked(ctx.url)}Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`
    : firefoxNoMatch(ctx, detail.allowOrigin);
}

function firefoxNoMatchOf(detail: AllowOriginDetail, ctx: FailureContext): string {
  return firefoxNoMatch(ctx, detail.allowOrigin);
}

function firefoxWildcard(_: AllowOriginDetail, ctx: FailureContext): string {
  // The only string that quotes the URL.
  return `${firefoxBlocked(`‘${ctx.url}’`)}Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`;
}

function firefoxCredentials(_: AllowOriginDetail, ctx: FailureContext): string {
  return `${firefoxBlocked(ctx.url)}expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`;
}

function explainMultiple(detail: AllowOriginDetail): string {
  return `Access-Control-Allow-Origin must hold ${ONE_ORIGIN}; it holds ${JSON.stringify(detail.allowOrigin)}. Two header lines (often one from the application and one from a proxy or CDN) are combined into one list, and a list never matches.`;
}

function explainInvalid(detail: AllowOriginDetail, ctx: FailureContext): string {
  return `Access-Control-Allow-Origin is ${JSON.stringify(detail.allowOrigin)}, which is neither "*" nor an origin. It must be ${ONE_ORIGIN}: ${JSON.stringify(ctx.requestOrigin)}.${taintedOriginNote(ctx)}`;
}

function explainMismatch(detail: AllowOriginDetail, ctx: FailureContext): string {
  const origin = ctx.requestOrigin;
  return `Access-Control-Allow-Origin is ${JSON.stringify(detail.allowOrigin)} but the request's origin is ${JSON.stringify(origin)}. Browsers compare the two byte for byte${mismatchHint(detail.allowOrigin ?? '', origin)}.${taintedOriginNote(ctx)}`;
}

function explainWildcard(_: AllowOriginDetail, ctx: FailureContext): string {
  return `The request is sent with credentials (credentials: 'include'), and then "*" is not accepted: the server must name the origin (${JSON.stringify(ctx.requestOrigin)}) and send Access-Control-Allow-Credentials: true.${taintedOriginNote(ctx)}`;
}

function explainCredentials(detail: AllowOriginDetail): string {
  const subject = detail.code.startsWith('Preflight') ? 'preflight response' : 'response';
  return `With credentials: 'include' the ${subject} must carry Access-Control-Allow-Credentials: true, exactly that (lower case, one line); it has ${detail.allowCredentials === null ? 'none' : JSON.stringify(detail.allowCredentials)}.`;
}

/** Why two origins that look alike differ, when it is one of the usual reasons. */
function mismatchHint(value: string, origin: string): string {
  if (value === `${origin}/`) return ': the value has a trailing "/", an origin never does';
  if (value.toLowerCase() === origin)
    return ': the case differs (browsers send scheme and host in lower case)';
  if (/:(80|443)$/.test(value) && value.replace(/:(80|443)$/, '') === origin) {
    return ': the value includes the default port, which browsers leave out';
  }
  if (value.replace(/^https?:/, '') === origin.replace(/^https?:/, '')) {
    return ': the scheme differs (http versus https)';
  }
  if (value === 'null') return ': "null" only matches requests whose origin is opaque or tainted';
  return '';
}

function allowOriginOf(detail: AllowOriginDetail): string {
  return detail.allowOrigin ?? '';
}

function allowCredentialsOf(detail: AllowOriginDetail): string {
  return detail.allowCredentials ?? '';
}

function allowOrigin(policy: NeededPolicy): Fix['header'] {
  return { name: 'Access-Control-Allow-Origin', value: policy.origin };
}

function fixResponseOrigin(_: AllowOriginDetail, ctx: FailureContext, policy: NeededPolicy): Fix {
  return serverFix(
    policy,
    `Send \`Access-Control-Allow-Origin: ${policy.origin}\` on this response${ctx.hop > 0 ? ' (every redirect response needs it too)' : ''}, on error responses as well.${taintedOriginFix(policy)}`,
    'response',
    allowOrigin(policy),
  );
}

function fixPreflightOrigin(_: AllowOriginDetail, __: FailureContext, policy: NeededPolicy): Fix {
  return serverFix(
    policy,
    `Answer the OPTIONS preflight with a 2xx status and \`Access-Control-Allow-Origin: ${policy.origin}\`, before any authentication (preflights carry no cookies or Authorization).${taintedOriginFix(policy)}`,
    'preflight',
    allowOrigin(policy),
  );
}

function allowCredentialsTrue(): Fix['header'] {
  return { name: 'Access-Control-Allow-Credentials', value: 'true' };
}

/** The failures of the CORS check on the response itself. */
export const RESPONSE_CORS_FAILURES: FailureTable<CorsCheckFailure> = {
  MissingAllowOriginHeader: {
    chromium: chromiumResponse,
    firefox: firefoxMissing,
    webkit: webkitAllowOrigin,
    explain: (detail, ctx) =>
      `The response from ${ctx.url}${afterRedirects(ctx)} (status ${detail.status}) has no Access-Control-Allow-Origin header, so the page may not read it. The request itself reached the server; only the response is withheld from script.${taintedOriginNote(ctx)}`,
    fix: fixResponseOrigin,
  },
  MultipleAllowOriginValues: {
    chromium: chromiumResponse,
    firefox: firefoxMultiple,
    webkit: webkitAllowOrigin,
    explain: explainMultiple,
    failedParameter: allowOriginOf,
    fix: (_, __, policy) =>
      serverFix(
        policy,
        `Send a single \`Access-Control-Allow-Origin: ${policy.origin}\` line: remove the duplicate (usually one layer, the app or the proxy/CDN, should own CORS).`,
        'response',
        allowOrigin(policy),
      ),
  },
  InvalidAllowOriginValue: {
    chromium: chromiumResponse,
    firefox: firefoxNoMatchOf,
    webkit: webkitAllowOrigin,
    explain: explainInvalid,
    failedParameter: allowOriginOf,
    fix: fixResponseOrigin,
  },
  AllowOriginMismatch: {
    chromium: chromiumResponse,
    firefox: firefoxNoMatchOf,
    webkit: webkitAllowOrigin,
    explain: explainMismatch,
    failedParameter: allowOriginOf,
    fix: fixResponseOrigin,
  },
  WildcardOriginNotAllowed: {
    chromium: chromiumResponse,
    firefox: firefoxWildcard,
    webkit: webkitAllowOrigin,
    explain: explainWildcard,
    fix: (_, ctx, policy) =>
      serverFix(
        policy,
        `With credentials, answer \`Access-Control-Allow-Origin: ${ctx.pageOrigin}\` (the exact origin, with \`Vary: Origin\`) and \`Access-Control-Allow-Credentials: true\`. If the page does not need cookies, drop credentials: 'include' instead.`,
        'response',
        { name: 'Access-Control-Allow-Origin', value: ctx.pageOrigin },
      ),
  },
  InvalidAllowCredentials: {
    chromium: chromiumResponse,
    firefox: firefoxCredentials,
    webkit: webkitAllowOrigin,
    explain: explainCredentials,
    failedParameter: allowCredentialsOf,
    fix: (_, __, policy) =>
      serverFix(
        policy,
        'Send `Access-Control-Allow-Credentials: true` (exactly, lower case) on this response.',
        'response',
        allowCredentialsTrue(),
      ),
  },
};

/** The failures of the CORS check on a preflight's response. */
export const PREFLIGHT_CORS_FAILURES: FailureTable<PreflightCorsFailure> = {
  PreflightMissingAllowOriginHeader: {
    chromium: chromiumPreflight,
    firefox: firefoxMissing,
    webkit: webkitAllowOrigin,
    explain: (_, ctx) =>
      `The preflight (OPTIONS ${ctx.url}${afterRedirects(ctx)}) was answered without Access-Control-Allow-Origin, so the browser never sent the ${ctx.method} request. Servers often route OPTIONS to a 404/405 handler, or put it behind authentication; the preflight never carries cookies or Authorization.${taintedOriginNote(ctx)}`,
    fix: fixPreflightOrigin,
  },
  PreflightMultipleAllowOriginValues: {
    chromium: chromiumPreflight,
    firefox: firefoxMultiple,
    webkit: webkitAllowOrigin,
    explain: explainMultiple,
    failedParameter: allowOriginOf,
    fix: (_, __, policy) =>
      serverFix(
        policy,
        `Send a single \`Access-Control-Allow-Origin: ${policy.origin}\` line on the preflight response: two layers both add it.`,
        'preflight',
        allowOrigin(policy),
      ),
  },
  PreflightInvalidAllowOriginValue: {
    chromium: chromiumPreflight,
    firefox: firefoxNoMatchOf,
    webkit: webkitAllowOrigin,
    explain: explainInvalid,
    failedParameter: allowOriginOf,
    fix: fixPreflightOrigin,
  },
  PreflightAllowOriginMismatch: {
    chromium: chromiumPreflight,
    firefox: firefoxNoMatchOf,
    webkit: webkitAllowOrigin,
    explain: explainMismatch,
    failedParameter: allowOriginOf,
    fix: fixPreflightOrigin,
  },
  PreflightWildcardOriginNotAllowed: {
    chromium: chromiumPreflight,
    firefox: firefoxWildcard,
    webkit: webkitAllowOrigin,
    explain: explainWildcard,
    fix: (_, ctx, policy) =>
      serverFix(
        policy,
        `With credentials the preflight response must name the origin: \`Access-Control-Allow-Origin: ${ctx.pageOrigin}\` and \`Access-Control-Allow-Credentials: true\`.`,
        'preflight',
        { name: 'Access-Control-Allow-Origin', value: ctx.pageOrigin },
      ),
  },
  PreflightInvalidAllowCredentials: {
    chromium: chromiumPreflight,
    firefox: firefoxCredentials,
    webkit: webkitAllowOrigin,
    explain: explainCredentials,
    failedParameter: allowCredentialsOf,
    fix: (_, __, policy) =>
      serverFix(
        policy,
        "Send `Access-Control-Allow-Credentials: true` on the preflight response as well: the preflight is checked against the request's credentials mode.",
        'preflight',
        allowCredentialsTrue(),
      ),
  },
};
