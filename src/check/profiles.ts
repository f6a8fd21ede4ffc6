/**
 * What differs between the browsers the checker imitates. Everything else is the Fetch standard,
 * which both follow. Each difference names its source: a measurement on a real browser (Chromium
 * 156, by the differential suite in test/browser) or the browser's source code (Firefox, not
 * installed here, so its profile is unverified against a real Firefox).
 */
import { asciiLowercase } from '../spec/http-grammar.js';
import {
  CHROMIUM_MAX_AGE_LIMIT,
  chromiumMaxAge,
  FIREFOX_MAX_AGE_LIMIT,
  firefoxMaxAge,
  type MaxAgeRule,
} from '../spec/preflight-check.js';
import { isSafelistedRequestHeader } from '../spec/request-headers.js';

export type BrowserName = 'chromium' | 'firefox';

export const BROWSER_NAMES: readonly BrowserName[] = ['chromium', 'firefox'];

export interface BrowserProfile {
  readonly name: BrowserName;
  /** For messages: "Chromium", "Firefox". */
  readonly displayName: string;
  /** The version the profile was written against, and how it was verified. */
  readonly basis: string;
  /** https://fetch.spec.whatwg.org/#cors-safelisted-request-header, with the browser's extensions. */
  readonly isSafelistedRequestHeader: (name: string, value: string) => boolean;
  /** See `PreflightRules.authorizationCoveredByWildcard`. */
  readonly authorizationCoveredByWildcard: boolean;
  readonly maxAge: MaxAgeRule;
  readonly maxAgeLimit: number;
  readonly userAgent: string;
  readonly acceptLanguage: string;
  /** Headers the browser adds to a CORS request (not to preflights), e.g. Chromium's UA client hints. */
  readonly extraRequestHeaders: readonly (readonly [string, string])[];
}

/** `1*DIGIT [ "." 1*DIGIT ]` (Chromium `IsSimilarToDoubleABNF`). */
const DECIMAL = /^[0-9]+(?:\.[0-9]+)?$/;
/** `1*DIGIT` (Chromium `IsSimilarToIntABNF`). */
const INTEGER = /^[0-9]+$/;
/** Chromium's `kWebEffectiveConnectionTypeMapping`, compared case-sensitively. */
const ECT_VALUES = new Set(['slow-2g', '2g', '3g', '4g']);

/**
 * Chromium's `IsCorsSafelistedHeader` (services/network/public/cpp/cors/cors.cc): the standard's
 * list plus `Intervention` (any value) and the legacy client hints, each with its value grammar.
 * (Its `sec-ch-*` entries do not matter here: a page can never set a `Sec-` header.)
 */
export function isChromiumSafelistedRequestHeader(name: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (asciiLowercase(name)) {
    case 'intervention':
      return true;
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return DECIMAL.test(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return INTEGER.test(value);
    case 'ect':
      return ECT_VALUES.has(value);
    case 'save-data':
      return asciiLowercase(value) === 'on';
    default:
      return isSafelistedRequestHeader(name, value);
  }
}

export const CHROMIUM: BrowserProfile = Object.freeze<BrowserProfile>({
  name: 'chromium',
  displayName: 'Chromium',
  basis: 'Chromium 156 (measured by the differential suite against /usr/bin/chromium)',
  isSafelistedRequestHeader: isChromiumSafelistedRequestHeader,
  authorizationCoveredByWildcard: true,
  maxAge: chromiumMaxAge,
  maxAgeLimit: CHROMIUM_MAX_AGE_LIMIT,
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  acceptLanguage: 'en-US,en;q=0.9',
  extraRequestHeaders: [
    ['sec-ch-ua', '"Not:A-Brand";v="8", "Chromium";v="156"'],
    ['sec-ch-ua-mobile', '?0'],
    ['sec-ch-ua-platform', '"Linux"'],
  ],
});

export const FIREFOX: BrowserProfile = Object.freeze<BrowserProfile>({
  name: 'firefox',
  displayName: 'Firefox',
  basis:
    'Firefox 153 ESR, from nsCORSListenerProxy.cpp and the notes; NOT verified against a real Firefox',
  isSafelistedRequestHeader,
  // `network.cors_preflight.authorization_covered_by_wildcard` defaults to true, with a console
  // deprecation warning ("CORSAllowHeaderFromPreflightDeprecation").
  authorizationCoveredByWildcard: true,
  maxAge: firefoxMaxAge,
  maxAgeLimit: FIREFOX_MAX_AGE_LIMIT,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
  acceptLanguage: 'en-US,en;q=0.5',
  extraRequestHeaders: [],
});

const PROFILES: Readonly<Record<BrowserName, BrowserProfile>> = Object.freeze({
  chromium: CHROMIUM,
  firefox: FIREFOX,
});

/**
 * The profile for a browser name.
 *
 * @example
 * browserProfile('firefox').maxAge('100000') // { seconds: 86400, source: 'capped' }
 */
export function browserProfile(name: BrowserName): BrowserProfile {
  return PROFILES[name];
}

/** The other browser, for "Chromium and Firefox would disagree" warnings. */
export function otherProfile(profile: BrowserProfile): BrowserProfile {
  return profile.name === 'chromium' ? FIREFOX : CHROMIUM;
}

export function isBrowserName(value: string): value is BrowserName {
  return value === 'chromium' || value === 'firefox';
}
