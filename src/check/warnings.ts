/**
 * The warnings of a check: things that do not decide the verdict but will bite (headers the
 * browser drops, behaviour the browsers announced they will change, where Chromium and Firefox
 * disagree, redirects that change the request).
 */
import { asciiLowercase } from '../spec/http-grammar.js';
import type { Origin } from '../spec/origin.js';
import { corsUnsafeRequestHeaderNames } from '../spec/request-headers.js';
import { getHeader, type HeaderList } from '../spec/response-headers.js';
import { isLocalNetworkRequest } from './gates.js';
import type { ResolvedOptions } from './options.js';
import { type BrowserProfile, CHROMIUM, FIREFOX, otherProfile } from './profiles.js';
import type { RedirectState } from './redirects.js';
import type { PreflightCacheReport, RequestPlan, Warning } from './result.js';

/** Warnings known before anything is sent. */
export function planWarnings(
  resolved: ResolvedOptions,
  plan: RequestPlan,
  profile: BrowserProfile,
  page: Origin,
): Warning[] {
  const warnings: Warning[] = [];
  if (resolved.originAsGiven !== plan.origin) {
    warnings.push({
      code: 'ORIGIN_NORMALIZED',
      message: `The origin ${JSON.stringify(resolved.originAsGiven)} was normalized to ${JSON.stringify(plan.origin)}, which is what a browser sends.`,
    });
  }
  for (const { name } of plan.dropped) {
    const lower = asciiLowercase(name);
    const hint =
      lower === 'cookie'
        ? ' Use the cookie option (with credentials "include") to send cookies.'
        : lower === 'origin'
          ? ' The Origin comes from the page origin you check from.'
          : '';
    warnings.push({
      code: 'FORBIDDEN_HEADER_DROPPED',
      message: `${name} is a forbidden request header: a browser never lets a page set it and drops it silently, so it was not sent.${hint}`,
    });
  }
  if (plan.method !== plan.method.toUpperCase()) {
    warnings.push({
      code: 'METHOD_NOT_NORMALIZED',
      message: `fetch() sends the method as ${JSON.stringify(plan.method)}: only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased, and servers compare methods case-sensitively.`,
    });
  }
  if (plan.sameOrigin) {
    warnings.push({
      code: 'SAME_ORIGIN',
      message:
        'The URL is same-origin with the page: CORS does not apply unless a redirect leads to another origin.',
    });
  }
  if (isLocalNetworkRequest(page, resolved.url)) {
    warnings.push({
      code: 'LOCAL_NETWORK_ACCESS',
      message:
        'A public page calling a loopback or private address: Chromium asks the user for permission first (Local Network Access); no response header can grant it.',
    });
  }
  const disagreement = safelistDisagreement(plan, profile);
  if (disagreement !== null) warnings.push(disagreement);
  return warnings;
}

/** Headers one browser sends without a preflight and the other preflights (client hints). */
function safelistDisagreement(plan: RequestPlan, profile: BrowserProfile): Warning | null {
  if (plan.sameOrigin) return null;
  const other = otherProfile(profile);
  const theirs = corsUnsafeRequestHeaderNames(plan.headers, other.isSafelistedRequestHeader);
  const mine = new Set(plan.unsafeHeaderNames);
  const onlyTheirs = theirs.filter((n) => !mine.has(n));
  const onlyMine = plan.unsafeHeaderNames.filter((n) => !theirs.includes(n));
  const differing = [...onlyTheirs, ...onlyMine];
  if (differing.length === 0) return null;
  const strict = onlyTheirs.length > 0 ? other : profile;
  const lenient = strict === other ? profile : other;
  return {
    code: 'BROWSERS_DISAGREE',
    message: `${lenient.displayName} sends ${differing.join(', ')} without a preflight (it safelists client-hint headers), but ${strict.displayName} asks in a preflight first, so the server must also allow ${differing.length > 1 ? 'them' : 'it'} in Access-Control-Allow-Headers for ${strict.displayName}.`,
  };
}

/** Warnings about what a followed redirect did to the request. */
export function redirectWarnings(
  pageOrigin: string,
  from: RedirectState,
  to: RedirectState,
  removed: readonly string[],
): Warning[] {
  const warnings: Warning[] = [];
  if (!from.tainted && to.tainted && pageOrigin !== 'null') {
    warnings.push({
      code: 'ORIGIN_TAINTED',
      message: `The redirect from ${from.url.origin} to ${to.url.origin} crosses origins after the request left the page's origin: from here on the browser sends "Origin: null", which only "Access-Control-Allow-Origin: *" (or "null") satisfies.`,
    });
  }
  if (removed.includes('authorization')) {
    warnings.push({
      code: 'AUTHORIZATION_REMOVED_ON_REDIRECT',
      message: `The browser removes the Authorization header when a redirect goes to another origin (${to.url.origin}); the next request was sent without it.`,
    });
  }
  return warnings;
}

/** The effective preflight cache lifetime in each browser, and a warning when they differ. */
export function preflightCacheReport(headers: HeaderList): {
  report: PreflightCacheReport;
  warning: Warning | null;
} {
  const header = getHeader(headers, 'access-control-max-age');
  const report = { header, chromium: CHROMIUM.maxAge(header), firefox: FIREFOX.maxAge(header) };
  const warning: Warning | null =
    report.chromium.seconds === report.firefox.seconds
      ? null
      : {
          code: 'BROWSERS_DISAGREE',
          message: `Chromium caches this preflight for ${report.chromium.seconds} s (${report.chromium.source}) and Firefox for ${report.firefox.seconds} s (${report.firefox.source}); Access-Control-Max-Age is ${header === null ? 'absent' : JSON.stringify(header)}.`,
        };
  return { report, warning };
}

/** The warning for a preflight that passed only because `*` covered Authorization. */
export const AUTHORIZATION_WILDCARD_WARNING: Warning = Object.freeze({
  code: 'AUTHORIZATION_COVERED_BY_WILDCARD',
  message:
    'Authorization got through only because Access-Control-Allow-Headers is "*". The Fetch standard says "*" never covers Authorization, and Chromium and Firefox have announced they will enforce it (Firefox already prints a deprecation warning): list it by name, e.g. "Access-Control-Allow-Headers: authorization, ...".',
});
