/**
 * A preflight's other failures (https://fetch.spec.whatwg.org/#cors-preflight-fetch): its status,
 * a redirect, and the Access-Control-Allow-Methods and -Headers it answered.
 */
import type { PreflightCorsFailure, PreflightFailureCode } from 'corsproof/spec';
import { listValue, type NeededPolicy, plainFix, serverFix } from '../fixes.js';
import type { DetailOf, FailureEntry, FailureTable } from './detail.js';
import { CHROMIUM_PREFLIGHT, chromiumBlocked, firefoxBlocked, firefoxStatus } from './wording.js';

type PreflightRuleFailure = Exclude<PreflightFailureCode, PreflightCorsFailure>;

export const PREFLIGHT_FAILURES: FailureTable<PreflightRuleFailure> = {
  PreflightInvalidStatus: {
    chromium: (_, ctx) =>
      `${chromiumBlocked(ctx)}${CHROMIUM_PREFLIGHT}It does not have HTTP ok status.`,
    firefox: (_, ctx) =>
      `${firefoxBlocked(ctx.url)}CORS preflight response did not succeed).${firefoxStatus(ctx)}`,
    webkit: (detail) => `Preflight response is not successful. Status code: ${detail.status}`,
    explain: (detail, ctx) =>
      `The preflight (OPTIONS ${ctx.url}) was answered with status ${detail.status}; browsers need a 2xx status (200 or 204). Typical causes: no route for OPTIONS (404/405), authentication in front of it (401/403), or a server error.`,
    fix: (detail, ctx, policy) =>
      serverFix(
        policy,
        `Answer OPTIONS ${ctx.url} with 204 (or 200) and the CORS headers, before authentication and before any route that would give ${detail.status}.`,
        'preflight',
        null,
      ),
  },
  PreflightDisallowedRedirect: {
    chromium: (_, ctx) =>
      `${chromiumBlocked(ctx)}${CHROMIUM_PREFLIGHT}Redirect is not allowed for a preflight request.`,
    firefox: (_, ctx) => `${firefoxBlocked(ctx.url)}CORS request external redirect not allowed).`,
    // NetworkCORSPreflightChecker: a redirect ends the preflight with this text.
    webkit: () => 'Preflight response is not successful',
    explain: (detail, ctx) =>
      `The preflight (OPTIONS ${ctx.url}) was answered with a redirect (${detail.status}). Browsers never follow a redirect on a preflight. Typical causes: http to https, a missing or extra trailing slash, or a login redirect.`,
    fix: () =>
      plainFix(
        'Call the URL the server redirects to (right scheme, host and trailing slash) from the page, or make the server answer OPTIONS at this URL without redirecting.',
        'client',
      ),
  },
  InvalidAllowMethodsPreflightResponse: unparsableList(
    'Access-Control-Allow-Methods',
    'a method name (a token: no spaces, no quotes)',
    (policy) => listValue(policy.methods, 'GET, POST'),
  ),
  InvalidAllowHeadersPreflightResponse: unparsableList(
    'Access-Control-Allow-Headers',
    'a header name (a token: no spaces, no quotes, no colons)',
    (policy) => listValue(policy.requestHeaders, 'content-type'),
  ),
  MethodDisallowedByPreflightResponse: {
    chromium: (detail, ctx) =>
      `${chromiumBlocked(ctx)}Method ${detail.method} is not allowed by Access-Control-Allow-Methods in preflight response.`,
    firefox: (_, ctx) =>
      `${firefoxBlocked(ctx.url)}Did not find method in CORS header ‘Access-Control-Allow-Methods’).`,
    webkit: (detail) => `Method ${detail.method} is not allowed by Access-Control-Allow-Methods.`,
    explain: explainMethod,
    failedParameter: (detail) => detail.method,
    fix: (detail, _, policy) =>
      serverFix(
        policy,
        `Add ${detail.method} to Access-Control-Allow-Methods on the preflight response (case matters${detail.wildcardIgnored ? '; "*" does not count with credentials' : ''}).`,
        'preflight',
        { name: 'Access-Control-Allow-Methods', value: detail.method },
      ),
  },
  HeaderDisallowedByPreflightResponse: {
    chromium: (detail, ctx) =>
      `${chromiumBlocked(ctx)}Request header field ${detail.header} is not allowed by Access-Control-Allow-Headers in preflight response.`,
    firefox: (detail, ctx) =>
      `${firefoxBlocked(ctx.url)}header ‘${detail.header}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`,
    webkit: (detail) =>
      `Request header field ${detail.header} is not allowed by Access-Control-Allow-Headers.`,
    explain: explainHeader,
    failedParameter: (detail) => detail.header,
    fix: (detail, _, policy) =>
      serverFix(
        policy,
        `Add ${detail.disallowed.join(', ')} to Access-Control-Allow-Headers on the preflight response${detail.wildcardIgnored ? ' ("*" does not count with credentials)' : ''}.`,
        'preflight',
        { name: 'Access-Control-Allow-Headers', value: detail.disallowed.join(', ') },
      ),
  },
};

type UnparsableList =
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse';

/** An Access-Control-Allow-Methods or -Headers value that is not a list of tokens. */
function unparsableList(
  header: 'Access-Control-Allow-Methods' | 'Access-Control-Allow-Headers',
  element: string,
  example: (policy: NeededPolicy) => string,
): FailureEntry<UnparsableList> {
  const names = header === 'Access-Control-Allow-Methods' ? 'method names' : 'header names';
  return {
    chromium: (_, ctx) =>
      `${chromiumBlocked(ctx)}Cannot parse ${header} response header field in preflight response.`,
    firefox: (detail, ctx) =>
      `${firefoxBlocked(ctx.url)}invalid token ‘${detail.element}’ in CORS header ‘${header}’).`,
    webkit: (detail) => `Header ${header} has an invalid value: ${detail.value}`,
    explain: (detail) =>
      `${header} is ${JSON.stringify(detail.value)}; ${JSON.stringify(detail.element)} is not ${element}, and one bad element fails the whole preflight.`,
    fix: (_, __, policy) =>
      serverFix(
        policy,
        `Make ${header} a comma-separated list of ${names}, e.g. \`${example(policy)}\`.`,
        'preflight',
        { name: header, value: example(policy) },
      ),
  };
}

function explainMethod(detail: DetailOf<'MethodDisallowedByPreflightResponse'>): string {
  const listed =
    detail.allowMethods.length === 0 ? 'nothing' : JSON.stringify(detail.allowMethods.join(', '));
  let text = `The preflight allowed ${listed}, not ${detail.method}.`;
  if (detail.caseMismatch !== null) {
    text += ` Methods are compared case-sensitively: ${JSON.stringify(detail.caseMismatch)} does not allow ${JSON.stringify(detail.method)}.`;
  }
  if (detail.wildcardIgnored) {
    text +=
      ' "*" only means "any method" for requests without credentials; with credentials it is taken literally.';
  }
  if (detail.method !== detail.method.toUpperCase()) {
    text += ` fetch() only upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT, so the page sends ${JSON.stringify(detail.method)}; write the method in upper case in the page, or allow it as written.`;
  }
  return text;
}

function explainHeader(detail: DetailOf<'HeaderDisallowedByPreflightResponse'>): string {
  const listed =
    detail.allowHeaders.length === 0
      ? 'no headers'
      : JSON.stringify(detail.allowHeaders.join(', '));
  const missing = detail.disallowed.join(', ');
  let text = `The request sets ${missing}, which ${detail.disallowed.length > 1 ? 'are' : 'is'} not CORS-safelisted, and the preflight allowed ${listed}.`;
  if (detail.wildcardIgnored) {
    text +=
      ' "*" only means "any header" for requests without credentials; with credentials it is taken literally.';
  }
  if (detail.disallowed.includes('authorization')) {
    text += ' Authorization must always be listed by name.';
  }
  return text;
}
