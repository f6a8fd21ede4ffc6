/**
 * The Firefox strategy of the browser harness (harness.ts): headless Firefox ESR driven by
 * puppeteer-core over WebDriver BiDi.
 *
 * Usage:
 *
 *   const firefox = await launchFirefox();
 *   const outcome = await firefox.fetch(uniqueUrl(`${target}/path`), { method: 'PUT' });
 *   if (!outcome.ok) console.log(outcome.consoleMessage, outcome.reason);
 *   await firefox.close();
 *
 * Findings about Firefox ESR 153 (Debian build, puppeteer-core 24 over WebDriver BiDi) that shaped
 * this file (test/browser/firefox.test.ts checks the ones marked "checked"):
 *
 * - Console messages. Firefox logs a CORS failure as an `nsIScriptError` (category = the
 *   `security.properties` key, e.g. `CORSMissingAllowOrigin2`) on the page's inner window. BiDi
 *   delivers it as a `log.entryAdded` event of type "javascript", not "console", so puppeteer
 *   reports it as `pageerror`, never as `console`, with no source URL and no level. Warnings are
 *   NOT delivered at all: Firefox's BiDi log module only forwards errors, so the
 *   `Authorization`-under-`*` deprecation warning (`CORSAllowHeaderFromPreflightDeprecation`) cannot
 *   be observed here (checked: nothing arrives). The text names the URL of the exchange that failed
 *   (for a redirect hop, that hop's URL; for a refused redirect, the URL that redirected), so a
 *   message is correlated with a fetch by its URL or by the `__nonce` of `uniqueUrl`, which
 *   redirects in the differential suite carry along (checked); a redirect to a URL without the
 *   nonce cannot be correlated. The rejection is always `TypeError: NetworkError when attempting
 *   to fetch resource.`, CORS or not. A refused redirect (to data:, ftp:, a bad port, with userinfo,
 *   past the limit) prints "CORS request did not succeed" with `Status code: (null)`; a connection
 *   refused, or a bad port in the URL itself, prints nothing and costs the full `consoleWaitMs`.
 * - Page origins. `http://127.0.0.1:P`, `http://localhost:P` and `http://<name>.localhost:P` all
 *   reach the page server: Firefox resolves `localhost` and `*.localhost` to loopback itself
 *   (checked). `127.0.0.1` and `localhost` are different sites.
 * - Local Network Access. Firefox 153 has it (`network.lna.*` prefs), but a loopback page fetching
 *   a loopback target stays in one address space, so nothing is blocked or prompted and no prefs
 *   are needed (checked by every case). They are left at their defaults on purpose, like the
 *   Chromium harness leaves its LNA switches alone.
 * - Cookies (checked against a server that echoes `Cookie`):
 *   - `setCookie` uses BiDi `storage.setCookie` (puppeteer's `browser.setCookie`). Without a
 *     `partitionKey` the cookie lands in the unpartitioned (first-party) jar.
 *   - Same-site (page 127.0.0.1:P -> target 127.0.0.1:Q): the cookie is sent with
 *     `credentials: 'include'`, SameSite Lax, Strict and None alike.
 *   - Cross-site (page localhost:P -> target 127.0.0.1:Q): Firefox's default cookie behaviour is
 *     5, Total Cookie Protection (`network.cookie.cookieBehavior`; pinned below, although the
 *     result is the same without the pref). The first-party cookie of 127.0.0.1 is NOT sent, even
 *     `SameSite=None; Secure`: third-party contexts see only the jar partitioned by the top-level
 *     site. A cookie set with `partitionKey: 'http://localhost:P'` (BiDi's source origin, the page
 *     origin) IS sent, and so is one the target set with `Set-Cookie` on an earlier credentialed
 *     cross-site response (it lands in that partition). So a cross-site credentialed case in
 *     Firefox needs a partitioned cookie; unlike the Chromium harness, no profile switch restores
 *     third-party cookies, because that is not what a default Firefox does.
 *   - `Secure` cookies are accepted over plain http on loopback (potentially trustworthy).
 * - Preflight cache. From the source (`nsCORSListenerProxy.cpp`, not measured): Firefox keys it by
 *   (credentials flag, requesting principal, URL, origin attributes), drops the entries of a URL
 *   when a request to it fails, and keeps at most 100 entries. Every case must use its own URL;
 *   use `uniqueUrl`. Measured: a preflight to a URL whose host is an IP address
 *   (127.0.0.1, 127.0.0.2, [::1]) is never reused, whatever Access-Control-Max-Age says, while one
 *   to `localhost` is (checked); so the preflight cache can only be measured against host names.
 * - Headers Firefox adds on the wire (checked): `User-Agent`, `Accept: *\/*`,
 *   `Accept-Language: en-US,en;q=0.9`, `Accept-Encoding`, `Referer` (the page URL), `Origin`,
 *   `Sec-Fetch-Dest/-Mode/-Site`, `Priority`; no client hints. Repeated page-set headers go out
 *   joined by ", ", except Content-Type, of which only the first line is sent.
 */

import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import {
  type BrowserDriver,
  type BrowserStrategy,
  browserSkipReason,
  type ConsoleReport,
  type FetchFailure,
  type FetchOutcome,
  type FetchSuccess,
  type Harness,
  type HarnessCookie,
  type HarnessOptions,
  launchHarness,
  nonceOf,
} from './harness.js';
import { inPageFetch } from './in-page-fetch.js';
import { UNTRUSTED_HOST } from './untrusted-host.js';

export type { BrowserFetchInit, BrowserFetchOptions } from './harness.js';
export { uniqueUrl } from './harness.js';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/**
 * Preferences on top of puppeteer's test profile (which already turns off updates, safe browsing,
 * health reports and the first-run pages). Nothing here changes CORS: the aim is a run that never
 * talks to the outside and does the same thing every time.
 */
export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = Object.freeze({
  // No traffic beyond loopback: no proxy, no DNS over HTTPS, no captive-portal or connectivity
  // probes, no prefetching or speculative connections, no push, region or geo lookups.
  'network.proxy.type': 0,
  // The one name resolved without DNS, to 127.0.0.1: a plain-http host that is not trustworthy.
  'network.dns.localDomains': UNTRUSTED_HOST,
  'network.trr.mode': 5,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'dom.push.connection.enabled': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'geo.provider.network.url': '',
  // No telemetry, studies, remote settings or add-on update checks.
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'nimbus.rollouts.enabled': false,
  'browser.topsites.contile.enabled': false,
  'app.update.auto': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.blocklist.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  // Plain http to loopback stays plain http: no HTTPS-First attempt on the page navigation.
  'dom.security.https_first': false,
  'dom.security.https_only_mode': false,
  // Firefox's shipped default (Total Cookie Protection), pinned; see the cookie findings above.
  'network.cookie.cookieBehavior': 5,
});

/**
 * Whether the Firefox suites can run: `undefined` when `/usr/bin/firefox-esr` exists, else a skip
 * reason (or, in CI, an error).
 */
export function firefoxSkipReason(): string | undefined {
  return browserSkipReason(FIREFOX_PATH, 'Firefox', 'firefox-esr');
}

/** The `fetch()` rejection Firefox gives for every network-level failure, CORS or not. */
export const FIREFOX_NETWORK_ERROR = 'TypeError: NetworkError when attempting to fetch resource.';

/**
 * Firefox's CORS console messages (security.properties, Firefox 153), by key, as patterns over the
 * "(Reason: ...)" part. Keys are what `LogBlockedRequest` passes as the message category.
 */
const REASONS = {
  CORSDisabled: /^CORS disabled$/,
  CORSDidNotSucceed2: /^CORS request did not succeed$/,
  CORSOriginHeaderNotAdded: /^CORS header ‘Origin’ cannot be added$/,
  CORSExternalRedirectNotAllowed: /^CORS request external redirect not allowed$/,
  CORSRequestNotHttp: /^CORS request not http$/,
  CORSMissingAllowOrigin2: /^CORS header ‘Access-Control-Allow-Origin’ missing$/,
  CORSMultipleAllowOriginNotAllowed:
    /^Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed$/,
  CORSAllowOriginNotMatchingOrigin:
    /^CORS header ‘Access-Control-Allow-Origin’ does not match ‘.*’$/s,
  CORSNotSupportingCredentials:
    /^Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’$/,
  CORSMethodNotFound: /^Did not find method in CORS header ‘Access-Control-Allow-Methods’$/,
  CORSMissingAllowCredentials:
    /^expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’$/,
  CORSPreflightDidNotSucceed3: /^CORS preflight response did not succeed$/,
  CORSInvalidAllowMethod: /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Methods’$/s,
  CORSInvalidAllowHeader: /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Headers’$/s,
  CORSMissingAllowHeaderFromPreflight2:
    /^header ‘.*’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response$/s,
} as const;

export type FirefoxCorsReason = keyof typeof REASONS;

const BLOCKED_MESSAGE =
  /^Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘?(.*?)’?\. \(Reason: (.*?)\)\.(?: Status code: ([^.]*)\.)?$/s;

/** The key of a "Cross-Origin Request Blocked" message, or undefined for any other text. */
export function firefoxCorsReason(message: string): FirefoxCorsReason | undefined {
  const reason = BLOCKED_MESSAGE.exec(message)?.[2];
  if (reason === undefined) return undefined;
  for (const [key, pattern] of Object.entries(REASONS)) {
    if (pattern.test(reason)) return key as FirefoxCorsReason;
  }
  return undefined;
}

/** What Firefox adds to a success: the messages about it that had arrived (e.g. warnings). */
export interface FirefoxSuccessDetails {
  /** Messages correlated with this request that had arrived when it resolved. */
  consoleMessages: string[];
}

/** What Firefox adds to a failure: the key of its console line. */
export interface FirefoxFailureDetails {
  /** The `security.properties` key of `consoleMessage`, e.g. 'CORSMissingAllowOrigin2'. */
  reason?: FirefoxCorsReason;
}

export type FirefoxFetchSuccess = FetchSuccess & FirefoxSuccessDetails;
export type FirefoxFetchFailure = FetchFailure & FirefoxFailureDetails;
export type FirefoxFetchOutcome = FetchOutcome<FirefoxSuccessDetails, FirefoxFailureDetails>;

export interface FirefoxCookie extends HarnessCookie {
  /**
   * Store the cookie in the jar partitioned by this top-level origin (e.g. the cross-site page
   * origin), which is the only jar Firefox's Total Cookie Protection reads in a third-party
   * context. Default: the unpartitioned, first-party jar.
   */
  partitionKey?: string;
}

export type LaunchFirefoxOptions = HarnessOptions;

export interface FirefoxHarness
  extends Harness<FirefoxCookie, FirefoxSuccessDetails, FirefoxFailureDetails> {
  /** Messages correlated with `requestUrl` so far (for warnings that arrive after a success). */
  messagesFor(requestUrl: string, from?: string): Promise<string[]>;
}

/**
 * Whether a console message is about `requestUrl`: it names the URL, or the `__nonce` that
 * `uniqueUrl` put in it (redirect hops that keep the query keep the nonce).
 */
function concerns(message: string, requestUrl: string): boolean {
  if (message.includes(requestUrl)) return true;
  const nonce = nonceOf(requestUrl);
  if (!nonce) return false;
  const at = message.indexOf(`__nonce=${nonce}`);
  if (at < 0) return false;
  // `r-1` must not match `r-12`.
  const next = message.charAt(at + '__nonce='.length + nonce.length);
  return !/[\w-]/.test(next);
}

const correlate = (messages: readonly string[], requestUrl: string) =>
  messages.filter((m) => concerns(m, requestUrl));

/** Firefox with the preferences above, over WebDriver BiDi. */
async function launchDriver(): Promise<BrowserDriver<string, FirefoxCookie>> {
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: { ...FIREFOX_PREFS },
  });
  const claimed = new WeakSet<Page>();
  /** Partition keys given to `setCookie`, so that `clearCookies` reaches their jars. */
  const partitions = new Set<string>();

  return {
    version: (await browser.version()).replace(/^firefox\//, ''),
    userAgent: await browser.userAgent(),

    async openPage(log) {
      const existing = (await browser.pages()).find(
        (p) => p.url() === 'about:blank' && !claimed.has(p),
      );
      const page = existing ?? (await browser.newPage());
      claimed.add(page);
      // CORS messages come as BiDi "javascript" log entries (puppeteer's `pageerror`); listen to
      // `console` too, in case a later Firefox moves them there.
      page.on('pageerror', (error) =>
        log.push(error instanceof Error ? error.message : String(error)),
      );
      page.on('console', (message) => log.push(message.text()));
      return {
        goto: async (url) => {
          await page.goto(url, { waitUntil: 'load' });
        },
        fetch: (args) => page.evaluate(inPageFetch, args),
      };
    },

    async setCookie(cookie) {
      const host = new URL(cookie.url).hostname;
      const cookiePath = cookie.path ?? '/';
      await browser.setCookie({
        name: cookie.name,
        value: cookie.value,
        domain: host,
        path: cookiePath,
        sameSite: cookie.sameSite ?? 'Lax',
        secure: cookie.secure ?? false,
        httpOnly: cookie.httpOnly ?? false,
        ...(cookie.partitionKey !== undefined ? { partitionKey: cookie.partitionKey } : {}),
      });
      if (cookie.partitionKey !== undefined) {
        partitions.add(cookie.partitionKey);
        // BiDi stores it or throws; the listing below cannot tell the jars apart.
        return;
      }
      const stored = await browser.cookies();
      const match = stored.find(
        (c) =>
          c.name === cookie.name && c.domain.replace(/^\./, '') === host && c.path === cookiePath,
      );
      if (!match || match.value !== cookie.value) {
        throw new Error(`Firefox did not store cookie ${cookie.name} for ${host}`);
      }
    },

    async cookies(url) {
      const host = url === undefined ? undefined : new URL(url).hostname;
      const list = await browser.cookies();
      return list
        .filter((c) => host === undefined || c.domain.replace(/^\./, '') === host)
        .map(({ name, value, domain, path: cookiePath }) => ({
          name,
          value,
          domain,
          path: cookiePath,
        }));
    },

    async clearCookies(pageOrigins) {
      const list = await browser.cookies();
      // The listing does not say which jar a cookie is in, and expiring one only reaches the jar
      // named by its partition key: expire each in the first-party jar and in every page's jar.
      const jars = [undefined, ...pageOrigins, ...partitions];
      await Promise.all(
        jars.map((partitionKey) =>
          list.length === 0
            ? undefined
            : browser.deleteCookie(
                ...list.map((c) => (partitionKey === undefined ? c : { ...c, partitionKey })),
              ),
        ),
      );
    },

    close: () => browser.close(),
  };
}

/** How the harness drives and reads Firefox. */
export const FIREFOX: BrowserStrategy<
  string,
  FirefoxCookie,
  FirefoxSuccessDetails,
  FirefoxFailureDetails,
  LaunchFirefoxOptions
> = {
  launch: launchDriver,
  isNetworkFailure: (error) => error === FIREFOX_NETWORK_ERROR,
  /** Wait (bounded) for the "Cross-Origin Request Blocked" line of a failed request. */
  awaitMessages: (log, start, requestUrl, boundMs) =>
    log.waitUntil(
      () => correlate(log.since(start), requestUrl).some((m) => BLOCKED_MESSAGE.test(m)),
      boundMs,
    ),
  successDetails: (messages, requestUrl) => ({ consoleMessages: correlate(messages, requestUrl) }),
  failureDetails(messages, requestUrl) {
    const consoleMessages = correlate(messages, requestUrl);
    const details: ConsoleReport & FirefoxFailureDetails = { consoleMessages };
    const consoleMessage = consoleMessages.find((m) => BLOCKED_MESSAGE.test(m));
    if (consoleMessage !== undefined) {
      details.consoleMessage = consoleMessage;
      const reason = firefoxCorsReason(consoleMessage);
      if (reason !== undefined) details.reason = reason;
    }
    return details;
  },
};

/** Launch Firefox and the page server. */
export async function launchFirefox(options: LaunchFirefoxOptions = {}): Promise<FirefoxHarness> {
  const { harness, logFor } = await launchHarness(FIREFOX, options);
  return {
    ...harness,
    async messagesFor(requestUrl, from) {
      return correlate((await logFor(from)).since(0), requestUrl);
    },
  };
}
