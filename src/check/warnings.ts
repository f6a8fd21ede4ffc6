/**
 * The warnings of a check: things that do not decide the verdict but will bite (headers the
 * browser drops, behaviour the browsers announced they will change, where Chromium and Firefox
 * disagree, redirects that change the request).
 */

import type { MaxAge, Origin } from 'corsproof/spec';
import { asciiLowercase, getHeader, type HeaderList } from 'corsproof/spec';
import { isLocalNetworkRequest } from './gates.js';
import type { ResolvedOptions } from './options.js';
import { deepFreeze } from './planned.js';
import {
  BROWSER_NAMES,
  type BrowserProfile,
  browserProfile,
  CHROMIUM,
  FIREFOX,
  WEBKIT,
} from './profiles.js';
import type { RedirectState } from './redirects.js';
import { unsafeHeaderNamesFor } from './request-plan.js';
import type { PreflightCacheReport, RequestPlan, Warning } from './result.js';

/** Warnings known before anything is sent. */
export function planWarnings(
  resolved: ResolvedOptions,
  plan: RequestPlan,
  profile: BrowserProfile,
  page: Origin,
  /** The address the URL's host is pinned to, if it is. */
  address: string | null = null,
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
  if (profile.localNetworkAccess && isLocalNetworkRequest(page, resolved.url, address)) {
    warnings.push({
      code: 'LOCAL_NETWORK_ACCESS',
      message:
        'A public page calling a loopback or private address: Chromium asks the user for permission first (Local Network Access); no response header can grant it.',
    });
  }
  for (const name of BROWSER_NAMES) {
    if (name === profile.name) continue;
    const disagreement = safelistDisagreement(resolved, plan, profile, browserProfile(name));
    if (disagreement !== null) warnings.push(disagreement);
  }
  return warnings;
}

/**
 * Headers one browser sends without a preflight and another preflights: client hints (Chromium
 * safelists them; Firefox and WebKit do not) and repeated headers (Firefox judges each line alone,
 * with no 1024-byte total).
 */
function safelistDisagreement(
  resolved: ResolvedOptions,
  plan: RequestPlan,
  profile: BrowserProfile,
  other: BrowserProfile,
): Warning | null {
  if (plan.sameOrigin) return null;
  const theirs = unsafeHeaderNamesFor(resolved, other);
  const mine = new Set(plan.unsafeHeaderNames);
  const onlyTheirs = theirs.filter((n) => !mine.has(n));
  const onlyMine = plan.unsafeHeaderNames.filter((n) => !theirs.includes(n));
  const differing = [...onlyTheirs, ...onlyMine];
  if (differing.length === 0) return null;
  const strict = onlyTheirs.length > 0 ? other : profile;
  const lenient = strict === other ? profile : other;
  // Either the two safelists disagree on a value (client hints), or it is a repeated header.
  const clientHints = plan.headers.some(
    ([name, value]) =>
      differing.includes(asciiLowercase(name)) &&
      profile.isSafelistedRequestHeader(name, value) !==
        other.isSafelistedRequestHeader(name, value),
  );
  const why = clientHints
    ? 'it safelists client-hint headers'
    : 'it judges each line of a repeated header on its own, with no 1024-byte total';
  return {
    code: 'BROWSERS_DISAGREE',
    message: `${lenient.displayName} sends ${differing.join(', ')} without a preflight (${why}), but ${strict.displayName} asks in a preflight first, so the server must also allow ${differing.length > 1 ? 'them' : 'it'} in Access-Control-Allow-Headers for ${strict.displayName}.`,
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

/** Whether a URL's host is an IP address (the URL parser leaves IPv4 dotted, IPv6 in brackets). */
function hasIpHost(url: URL): boolean {
  return url.hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** How long a browser keeps a preflight with this Access-Control-Max-Age (to an IP host or not). */
function preflightLifetime(
  profile: BrowserProfile,
  header: string | null,
  ipHost: boolean,
): MaxAge {
  if (!profile.reusesPreflightsForIpHosts && ipHost) return { seconds: 0, source: 'not-cached' };
  return profile.maxAge(header);
}

interface CacheReport {
  readonly report: PreflightCacheReport;
  readonly warning: Warning | null;
}

/**
 * The reports by Access-Control-Max-Age value and host kind: a server sends the same value every
 * time, so each is worked out once. Shared by every result that carries one, so frozen.
 */
const CACHE_REPORTS = new Map<string, CacheReport>();
const CACHE_REPORTS_CAPACITY = 64;

/** The effective preflight cache lifetime in each browser, and a warning when they differ. */
export function preflightCacheReport(headers: HeaderList, url: URL): CacheReport {
  // The same URL object (a kept plan's) with the same lines (a head seen before, shared and
  // frozen) or the same value: the same report, without reading the lines or the host again.
  const last = lastReport;
  if (last !== null && last.url === url && last.lines === headers) return last.report;
  const header = getHeader(headers, 'access-control-max-age');
  const report =
    last !== null && last.url === url && last.header === header
      ? last.report
      : reportFor(header, hasIpHost(url));
  lastReport = { url, lines: Object.isFrozen(headers) ? headers : null, header, report };
  return report;
}

let lastReport: {
  readonly url: URL;
  readonly lines: HeaderList | null;
  readonly header: string | null;
  readonly report: CacheReport;
} | null = null;

function reportFor(header: string | null, ipHost: boolean): CacheReport {
  const key = `${ipHost ? 'ip' : 'name'}${header === null ? '' : `:${header}`}`;
  let report = CACHE_REPORTS.get(key);
  if (report === undefined) {
    report = deepFreeze(cacheReport(header, ipHost));
    if (CACHE_REPORTS.size >= CACHE_REPORTS_CAPACITY) CACHE_REPORTS.clear();
    CACHE_REPORTS.set(key, report);
  }
  return report;
}

function cacheReport(header: string | null, ipHost: boolean): CacheReport {
  const report: PreflightCacheReport = {
    header,
    chromium: preflightLifetime(CHROMIUM, header, ipHost),
    firefox: preflightLifetime(FIREFOX, header, ipHost),
    webkit: preflightLifetime(WEBKIT, header, ipHost),
  };
  const ipNote =
    !FIREFOX.reusesPreflightsForIpHosts && ipHost
      ? ' Firefox never reuses a preflight to a URL whose host is an IP address.'
      : '';
  const lifetimes = BROWSER_NAMES.map((name) => report[name]);
  const warning: Warning | null = lifetimes.every((l) => l.seconds === lifetimes[0]?.seconds)
    ? null
    : {
        code: 'BROWSERS_DISAGREE',
        message: `${listOf(BROWSER_NAMES.map((name, i) => `${browserProfile(name).displayName}${i === 0 ? ' caches this preflight' : ''} for ${report[name].seconds} s (${report[name].source})`))}; Access-Control-Max-Age is ${header === null ? 'absent' : JSON.stringify(header)}.${ipNote}`,
      };
  return { report, warning };
}

/** The warning for a preflight that passed only because `*` covered Authorization. */
export const AUTHORIZATION_WILDCARD_WARNING: Warning = Object.freeze({
  code: 'AUTHORIZATION_COVERED_BY_WILDCARD',
  message:
    'Authorization got through only because Access-Control-Allow-Headers is "*". The Fetch standard says "*" never covers Authorization, and Chromium and Firefox have announced they will enforce it (Firefox already prints a deprecation warning): list it by name, e.g. "Access-Control-Allow-Headers: authorization, ...".',
});
