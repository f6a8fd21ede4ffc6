/**
 * The pieces of wording several failure entries share: the start of each browser's console line,
 * and the notes an explanation adds about the hop and a tainted origin.
 */
import type { FailureContext } from './detail.js';

/** Chromium writes characters above U+007F in console messages as `\uXXXX` (measured). */
export function escapeNonAscii(value: string): string {
  return value.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** Header bytes as Firefox prints them: decoded as UTF-8, a stray latin-1 byte becoming U+FFFD. */
export function utf8(value: string): string {
  return new TextDecoder().decode(Uint8Array.from(value, (c) => c.charCodeAt(0) & 0xff));
}

/**
 * The start of Chromium's CORS console line, naming the URL that failed (`url` at `hop`) and,
 * after a redirect, the URL asked for.
 */
export function chromiumBlocked(ctx: FailureContext, url = ctx.url, hop = ctx.hop): string {
  const redirected = hop > 0 ? ` (redirected from '${ctx.firstUrl}')` : '';
  return `Access to fetch at '${url}'${redirected} from origin '${ctx.pageOrigin}' has been blocked by CORS policy: `;
}

/** What Chromium puts before the reason of a failed preflight. */
export const CHROMIUM_PREFLIGHT =
  "Response to preflight request doesn't pass access control check: ";

/** The start of Firefox's console line, up to the reason; `url` as Firefox prints it. */
export function firefoxBlocked(url: string): string {
  return `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: `;
}

/**
 * Firefox's status note: only a missing Access-Control-Allow-Origin and a failed preflight status
 * name the status code.
 */
export function firefoxStatus(ctx: FailureContext): string {
  return ctx.response === undefined ? '' : ` Status code: ${ctx.response.status}.`;
}

/** Firefox's line for an Access-Control-Allow-Origin that does not match. */
export function firefoxNoMatch(ctx: FailureContext, allowOrigin: string | null): string {
  return `${firefoxBlocked(ctx.url)}CORS header ‘Access-Control-Allow-Origin’ does not match ‘${utf8(allowOrigin ?? '')}’).`;
}

/** Where in the redirect chain, for an explanation: empty for the URL asked for. */
export function afterRedirects(ctx: FailureContext): string {
  return ctx.hop > 0 ? ` (after ${ctx.hop} redirect${ctx.hop > 1 ? 's' : ''})` : '';
}

/** Why the request carried `Origin: null`, when it did although the page has an origin. */
export function taintedOriginNote(ctx: FailureContext): string {
  return ctx.requestOrigin === 'null' && ctx.pageOrigin !== 'null'
    ? ' The request carried `Origin: null` because a redirect went from one origin to another (the origin is "tainted" for the rest of the chain).'
    : '';
}

export const ONE_ORIGIN = 'exactly one origin, byte for byte as the browser sends it';

/**
 * WebKit's console lines, from its source (CrossOriginAccessControl.cpp `passesAccessControlCheck`
 * and `validatePreflightResponse`, CrossOriginPreflightResultCache.cpp, the loader's redirect
 * checks): the reason Safari prints first, before "Fetch API cannot load <url> due to access
 * control checks." WebDriver classic cannot read WebKit's console, so these are not compared with
 * the browser; the verdicts they go with are (test/browser/webkit-differential.test.ts).
 */
export function webkitAllowOrigin(
  detail: { readonly code: string; readonly allowOrigin: string | null },
  ctx: FailureContext,
): string {
  const code = detail.code.replace(/^Preflight/, '');
  if (code === 'WildcardOriginNotAllowed')
    return 'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.';
  if (code === 'InvalidAllowCredentials')
    return 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".';
  if ((detail.allowOrigin ?? '').includes(','))
    return 'Access-Control-Allow-Origin cannot contain more than one origin.';
  const status = ctx.response === undefined ? '' : ` Status code: ${ctx.response.status}`;
  return `Origin ${ctx.requestOrigin} is not allowed by Access-Control-Allow-Origin.${status}`;
}

/** WebKit's line for a request it refuses before or while following a redirect. */
export function webkitCannotLoad(_: unknown, ctx: FailureContext): string {
  return `Fetch API cannot load ${ctx.url} due to access control checks.`;
}
