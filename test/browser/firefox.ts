/**
 * Real-browser harness for Firefox: ask headless Firefox ESR what it really does with a
 * cross-origin `fetch`. The Firefox twin of `harness.ts` (Chromium), with the same fetch() inputs
 * and outcome shape, driven by puppeteer-core over WebDriver BiDi.
 *
 * Usage:
 *
 *   const firefox = await launchFirefox();
 *   const outcome = await firefox.fetch(uniqueUrl(`${target}/path`), { method: 'PUT' });
 *   if (!outcome.ok) console.log(outcome.consoleMessage, outcome.reason);
 *   await firefox.close();
 *
 * Findings about Firefox ESR 153 (Debian build, puppeteer-core 24 over WebDriver BiDi) that shaped
 * this file (test/browser/firefox-harness.test.ts checks the ones marked "checked"):
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

import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { BrowserFetchInit, BrowserFetchOptions } from './harness.js';
import { inPageFetch, readResponse } from './in-page-fetch.js';
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
 * Whether the Firefox suites can run. Returns `undefined` when `/usr/bin/firefox-esr` exists, and
 * a human-readable skip reason when it does not. In CI (`process.env.CI` set) a missing browser is
 * an error, not a skip: this throws.
 */
export function firefoxSkipReason(): string | undefined {
  if (existsSync(FIREFOX_PATH)) return undefined;
  const reason = `${FIREFOX_PATH} not found: real-Firefox CORS tests skipped (install Debian's firefox-esr package to run them)`;
  if (process.env.CI) throw new Error(`${reason}. In CI the browser is required.`);
  return reason;
}

export interface FirefoxFetchSuccess {
  ok: true;
  status: number;
  statusText: string;
  /** `response.type`: 'basic' | 'cors' | 'opaque' | 'opaqueredirect' | ... */
  type: string;
  /** `response.url` (final URL after redirects; '' for opaque responses). */
  url: string;
  redirected: boolean;
  /** What script can read via `response.headers` (lower-case names, duplicates joined by ', '). */
  headers: Record<string, string>;
  body: string;
  /** Messages correlated with this request that had arrived when it resolved (e.g. warnings). */
  consoleMessages: string[];
  pageOrigin: string;
  /** The request URL as the page's URL parser serialised it. */
  requestUrl: string;
}

export interface FirefoxFetchFailure {
  ok: false;
  /** `${error.name}: ${error.message}`, e.g. 'TypeError: NetworkError when attempting to fetch resource.' */
  error: string;
  errorName: string;
  /** Firefox's "Cross-Origin Request Blocked: ..." line for this request, when printed. */
  consoleMessage?: string;
  /** The `security.properties` key of `consoleMessage`, e.g. 'CORSMissingAllowOrigin2'. */
  reason?: FirefoxCorsReason;
  /** All messages correlated with this request, in arrival order. */
  consoleMessages: string[];
  pageOrigin: string;
  requestUrl: string;
}

export type FirefoxFetchOutcome = FirefoxFetchSuccess | FirefoxFetchFailure;

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

export interface FirefoxCookie {
  /** Any URL on the target (only its host matters; the cookie's path is `path`). */
  url: string;
  name: string;
  value: string;
  /** Default 'Lax'. */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Default false. Works over plain http on loopback. */
  secure?: boolean;
  httpOnly?: boolean;
  /** Default '/'. */
  path?: string;
  /**
   * Store the cookie in the jar partitioned by this top-level origin (e.g. the cross-site page
   * origin), which is the only jar Firefox's Total Cookie Protection reads in a third-party
   * context. Default: the unpartitioned, first-party jar.
   */
  partitionKey?: string;
}

export interface LaunchFirefoxOptions {
  /**
   * Upper bound on how long a failed fetch waits for its console message when it has not arrived
   * by the time the rejection does. Default 300 ms. Only failures ever wait.
   */
  consoleWaitMs?: number;
}

export interface FirefoxHarness {
  /** Browser version, e.g. '153.7.0'. */
  readonly version: string;
  readonly userAgent: string;
  /** Default page origin, `http://127.0.0.1:<pagePort>`. */
  readonly pageOrigin: string;
  /** A second page origin that is cross-site to `pageOrigin`: `http://localhost:<pagePort>`. */
  readonly altPageOrigin: string;
  readonly pagePort: number;
  /** `http://<host>:<pagePort>`; any of 127.0.0.1, localhost, *.localhost works as a page. */
  originFor(host: string): string;
  /** Run `fetch(url, init)` inside a page and report what script observes. */
  fetch(
    url: string,
    init?: BrowserFetchInit,
    options?: BrowserFetchOptions,
  ): Promise<FirefoxFetchOutcome>;
  /** Messages correlated with `requestUrl` so far (for warnings that arrive after a success). */
  messagesFor(requestUrl: string, from?: string): Promise<string[]>;
  /** Store a cookie for the URL's host. Throws if Firefox did not store it. */
  setCookie(cookie: FirefoxCookie): Promise<void>;
  /** Cookies (of every jar) whose domain is the URL's host (all of them when omitted). */
  cookies(url?: string): Promise<{ name: string; value: string; domain: string; path: string }[]>;
  /** Delete every cookie, in the first-party jar and in the jars of the pages opened so far. */
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>corsproof</title></head><body></body></html>';

interface PageSlot {
  origin: string;
  page: Page;
  messages: string[];
  listeners: Set<() => void>;
}

const MAX_MESSAGES = 2000;

/**
 * Whether a console message is about `requestUrl`: it names the URL, or the `__nonce` that
 * `uniqueUrl` put in it (redirect hops that keep the query keep the nonce).
 */
function concerns(message: string, requestUrl: string): boolean {
  if (message.includes(requestUrl)) return true;
  let nonce: string | null = null;
  try {
    nonce = new URL(requestUrl).searchParams.get('__nonce');
  } catch {
    return false;
  }
  if (!nonce) return false;
  const at = message.indexOf(`__nonce=${nonce}`);
  if (at < 0) return false;
  // `r-1` must not match `r-12`.
  const next = message.charAt(at + '__nonce='.length + nonce.length);
  return !/[\w-]/.test(next);
}

/**
 * Launch Firefox and the page server. The page server listens on 127.0.0.1 (random port) and
 * serves a blank HTML page for every path and Host, so any loopback host name works as a page
 * origin.
 */
export async function launchFirefox(options: LaunchFirefoxOptions = {}): Promise<FirefoxHarness> {
  const consoleWaitMs = options.consoleWaitMs ?? 300;

  const server = http.createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : PAGE_HTML);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const pagePort = (server.address() as AddressInfo).port;
  const originFor = (host: string): string => `http://${host}:${pagePort}`;
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      protocol: 'webDriverBiDi',
      extraPrefsFirefox: { ...FIREFOX_PREFS },
    });
  } catch (error) {
    await closeServer();
    throw error;
  }
  const version = (await browser.version()).replace(/^firefox\//, '');
  const userAgent = await browser.userAgent();

  const slots = new Map<string, Promise<PageSlot>>();
  const claimed = new WeakSet<Page>();
  /** Partition keys given to `setCookie`, so that `clearCookies` reaches their jars. */
  const partitions = new Set<string>();

  const openSlot = async (origin: string): Promise<PageSlot> => {
    const existing = (await browser.pages()).find(
      (p) => p.url() === 'about:blank' && !claimed.has(p),
    );
    const page = existing ?? (await browser.newPage());
    claimed.add(page);
    const slot: PageSlot = { origin, page, messages: [], listeners: new Set() };
    const push = (text: string) => {
      slot.messages.push(text);
      if (slot.messages.length > MAX_MESSAGES) {
        slot.messages.splice(0, slot.messages.length - MAX_MESSAGES);
      }
      for (const listener of [...slot.listeners]) listener();
    };
    // CORS messages come as BiDi "javascript" log entries (puppeteer's `pageerror`); listen to
    // `console` too, in case a later Firefox moves them there.
    page.on('pageerror', (error) => push(error instanceof Error ? error.message : String(error)));
    page.on('console', (message) => push(message.text()));
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    return slot;
  };
  const slotFor = (from: string | undefined): Promise<PageSlot> => {
    const origin =
      from === undefined ? originFor('127.0.0.1') : from.includes('://') ? from : originFor(from);
    let slot = slots.get(origin);
    if (!slot) {
      slot = openSlot(origin);
      slots.set(origin, slot);
      slot.catch(() => slots.delete(origin));
    }
    return slot;
  };

  // Open the default page eagerly so the first fetch is not slower than the rest.
  await slotFor(undefined);

  const correlate = (slot: PageSlot, start: number, requestUrl: string) =>
    slot.messages.slice(start).filter((m) => concerns(m, requestUrl));

  /** Wait (bounded) for the "Cross-Origin Request Blocked" line of a failed request. */
  const waitForBlocked = async (slot: PageSlot, start: number, requestUrl: string) => {
    const blocked = () => correlate(slot, start, requestUrl).some((m) => BLOCKED_MESSAGE.test(m));
    if (!blocked()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          slot.listeners.delete(onMessage);
          resolve();
        };
        const onMessage = () => {
          if (blocked()) done();
        };
        const timer = setTimeout(done, consoleWaitMs);
        slot.listeners.add(onMessage);
      });
    }
    return correlate(slot, start, requestUrl);
  };

  const harness: FirefoxHarness = {
    version,
    userAgent,
    pageOrigin: originFor('127.0.0.1'),
    altPageOrigin: originFor('localhost'),
    pagePort,
    originFor,

    async fetch(url, init = {}, fetchOptions = {}) {
      const slot = await slotFor(fetchOptions.from);
      const start = slot.messages.length;
      const result = await slot.page.evaluate(inPageFetch, {
        url,
        init,
        timeoutMs: fetchOptions.timeoutMs ?? 10_000,
      });

      if (result.ok) {
        return {
          ok: true,
          ...readResponse(result),
          consoleMessages: correlate(slot, start, result.requestUrl),
          pageOrigin: slot.origin,
          requestUrl: result.requestUrl,
        };
      }
      const errorName = result.errorName ?? 'Error';
      const error = `${errorName}: ${result.errorMessage ?? ''}`;
      // Argument errors (a bad header name, GET with a body, ...) are thrown before any request
      // and print nothing; only network-level failures are worth waiting for.
      const messages =
        error === FIREFOX_NETWORK_ERROR
          ? await waitForBlocked(slot, start, result.requestUrl)
          : correlate(slot, start, result.requestUrl);
      const failure: FirefoxFetchFailure = {
        ok: false,
        error,
        errorName,
        consoleMessages: messages,
        pageOrigin: slot.origin,
        requestUrl: result.requestUrl,
      };
      const consoleMessage = messages.find((m) => BLOCKED_MESSAGE.test(m));
      if (consoleMessage !== undefined) {
        failure.consoleMessage = consoleMessage;
        const reason = firefoxCorsReason(consoleMessage);
        if (reason !== undefined) failure.reason = reason;
      }
      return failure;
    },

    async messagesFor(requestUrl, from) {
      const slot = await slotFor(from);
      return correlate(slot, 0, requestUrl);
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

    async clearCookies() {
      const list = await browser.cookies();
      // The listing does not say which jar a cookie is in, and expiring one only reaches the jar
      // named by its partition key: expire each in the first-party jar and in every page's jar.
      const jars = [undefined, ...slots.keys(), ...partitions];
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

    async close() {
      try {
        await browser.close();
      } finally {
        await closeServer();
      }
    },
  };
  return harness;
}
