/**
 * Real-browser harness: ask headless Chromium what it really does with a cross-origin `fetch`.
 *
 * One browser, one profile and one page per page origin are reused for every call, so a suite can
 * run hundreds of fetches cheaply (a successful fetch costs a few milliseconds; a failed one
 * additionally waits, event-driven and bounded, for Chromium's console message).
 *
 * Usage:
 *
 *   const browser = await launchBrowser();
 *   const outcome = await browser.fetch(uniqueUrl(`${target}/path`), { method: 'PUT' });
 *   if (!outcome.ok) console.log(outcome.consoleMessage, outcome.corsError);
 *   await browser.close();
 *
 * Findings about Chromium 156 (Debian build, driven by playwright-core 1.65) that shaped this file:
 *
 * - Local Network Access (LNA, formerly Private Network Access): the page is served from loopback,
 *   so its IP address space is `Loopback`; fetches to other loopback servers are never "to a less
 *   public address space", so they are neither blocked nor preflighted specially (no
 *   `Access-Control-Request-Private-Network`/`-Local-Network` header is sent) and no
 *   `--disable-features=LocalNetworkAccessChecks` is needed. (Audits issues still report
 *   `localNetworkAccessRequestPolicy: 'PermissionBlock'`, which is the policy, not a block.)
 *   Do NOT add a `--disable-features=` switch casually: Chromium's base::CommandLine keeps only the
 *   last value of a repeated switch (from its source; not verified in this browser), and
 *   playwright-core passes its own list (which includes `ThirdPartyStoragePartitioning` and
 *   `AvoidCorsURLLoaderRestartOnRedirect`); a second switch would silently drop those.
 * - Page origins: `http://127.0.0.1:P`, `http://localhost:P` and `http://<anything>.localhost:P` all
 *   reach the same 127.0.0.1 page server (Chromium resolves `localhost` and `*.localhost` to
 *   loopback itself), and all are secure contexts. `127.0.0.1` and `localhost` are different
 *   sites, and so are `a.localhost` and `b.localhost`. Ports do not matter for sites, so the
 *   default page origin (127.0.0.1:P) and a target at 127.0.0.1:Q are same-site (cross-origin).
 * - Cookies (checked against a real server that echoes the `Cookie` header):
 *   - Same-site (page 127.0.0.1:P -> target 127.0.0.1:Q): Lax/Strict/None cookies are all sent
 *     with `credentials: 'include'`, and a `Set-Cookie` on a credentialed CORS response is stored.
 *   - `Secure` cookies work over plain http on 127.0.0.1 and localhost (loopback counts as
 *     potentially trustworthy), so `SameSite=None; Secure` is accepted there. `SameSite=None`
 *     without `Secure` is silently rejected (by `context.addCookies` and by `Set-Cookie` alike);
 *     `setCookie` below throws instead of letting that go unnoticed.
 *   - Cross-site (page localhost:P -> target 127.0.0.1:Q): Lax/Strict cookies are excluded
 *     (Audits: `ExcludeSameSiteLax`/`ExcludeSameSiteStrict`), as expected. `SameSite=None; Secure`
 *     cookies were ALSO excluded, with blocked reason `UserPreferences`: this Chromium blocks
 *     third-party cookies by default, in Playwright's incognito-like contexts and in a fresh
 *     persistent profile alike; `Network.setCookieControls` did not help. What works: a persistent
 *     profile whose `Default/Preferences` sets `profile.cookie_controls_mode = 0` (allow third-party
 *     cookies), which is what `launchBrowser` does, so cross-site credentialed cases behave like
 *     default desktop Chrome.
 * - The CORS preflight cache (and the HTTP cache) persist across calls: a `PUT` preflighted with
 *   `Access-Control-Max-Age: 600` is not preflighted again for the same URL. Callers must give
 *   every case its own URL; use `uniqueUrl`. (DevTools' `Network.setCacheDisabled` does bypass the
 *   preflight cache, but it also adds `Pragma: no-cache` and `Cache-Control: no-cache` request
 *   headers, so it is only available as the opt-in `disableCache` launch option.)
 * - A CORS failure rejects with `TypeError: Failed to fetch` and prints two console errors: the
 *   CORS one, located at the page URL (e.g. "Access to fetch at 'http://127.0.0.1:Q/x' from origin
 *   'http://127.0.0.1:P' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is
 *   present on the requested resource."), then "Failed to load resource: net::ERR_FAILED", located
 *   at the request URL. A plain network error (e.g. connection refused) prints only the latter
 *   ("Failed to load resource: net::ERR_CONNECTION_REFUSED"), and a redirect under
 *   `redirect: 'error'` prints nothing at all (that case costs the full `consoleWaitMs`). For a
 *   redirect, the CORS message reads "Access to fetch at '<target>' (redirected from '<request>')
 *   from origin ..."; both URLs are correlated. The CDP Audits domain additionally
 *   reports a structured `CorsIssue` (`corsError`, e.g. `MissingAllowOriginHeader`,
 *   `AllowOriginMismatch`, `MethodDisallowedByPreflightResponse`, plus `failedParameter`), which is
 *   returned as `corsError`. Messages usually arrive before the rejection reaches Node, but this is
 *   not guaranteed; see `consoleWaitMs`.
 * - Chromium adds `sec-ch-ua*`, `sec-fetch-*` request headers; they are UA-added and never trigger
 *   a preflight.
 */

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';
import { inPageFetch, readResponse } from './in-page-fetch.js';
import { UNTRUSTED_HOST } from './untrusted-host.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--host-resolver-rules=MAP ${UNTRUSTED_HOST} 127.0.0.1`,
];

/**
 * Whether the browser suites can run. Returns `undefined` when `/usr/bin/chromium` exists, and a
 * human-readable skip reason when it does not. In CI (`process.env.CI` set) a missing browser is an
 * error, not a skip: this throws.
 */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `${CHROMIUM_PATH} not found: real-browser CORS tests skipped (install Debian's chromium package to run them)`;
  if (process.env.CI) throw new Error(`${reason}. In CI the browser is required.`);
  return reason;
}

export type BrowserHeadersInit = Record<string, string> | [string, string][];

export interface BrowserFetchInit {
  method?: string;
  headers?: BrowserHeadersInit;
  credentials?: 'omit' | 'same-origin' | 'include';
  body?: string;
  redirect?: 'follow' | 'error' | 'manual';
  mode?: 'cors' | 'no-cors' | 'same-origin';
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';
  referrerPolicy?: string;
}

export interface BrowserFetchOptions {
  /**
   * Page to run the fetch in: a host (`'127.0.0.1'`, `'localhost'`, `'app.localhost'`) or a full
   * origin on the harness's page port (`harness.originFor(host)`). Default: `harness.pageOrigin`.
   */
  from?: string;
  /** Abort the in-page fetch after this long (default 10 000 ms; reported as an AbortError). */
  timeoutMs?: number;
}

export interface BrowserFetchSuccess {
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
  /** Origin of the page the fetch ran in. */
  pageOrigin: string;
  /** The request URL as the page's URL parser serialised it. */
  requestUrl: string;
}

export interface BrowserCorsIssue {
  /** CDP `Audits.CorsError`, e.g. 'MissingAllowOriginHeader', 'PreflightInvalidStatus'. */
  code: string;
  failedParameter: string;
}

export interface BrowserFetchFailure {
  ok: false;
  /** `${error.name}: ${error.message}`, e.g. 'TypeError: Failed to fetch'. */
  error: string;
  errorName: string;
  /** Chromium's CORS console error for this request ("Access to fetch at ..."), when printed. */
  consoleMessage?: string;
  /** All console errors correlated with this request, in arrival order. */
  consoleMessages: string[];
  /** Structured CORS issue from the CDP Audits domain, when reported. */
  corsError?: BrowserCorsIssue;
  pageOrigin: string;
  requestUrl: string;
}

export type BrowserFetchOutcome = BrowserFetchSuccess | BrowserFetchFailure;

export interface BrowserCookie {
  /** Any URL on the target (only its host matters; the cookie's path is `path`). */
  url: string;
  name: string;
  value: string;
  /** Default 'Lax' (Chromium's default for cookies without a SameSite attribute). */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Default false. `SameSite=None` requires `secure: true` (works over http on loopback). */
  secure?: boolean;
  httpOnly?: boolean;
  /** Default '/'. */
  path?: string;
}

export interface LaunchBrowserOptions {
  /**
   * Upper bound on how long a failed fetch waits for its console message(s) when they have not
   * arrived by the time the rejection does. Default 300 ms. Only failures ever wait.
   */
  consoleWaitMs?: number;
  /**
   * Disable the browser caches via DevTools (`Network.setCacheDisabled`). This also bypasses the
   * preflight cache, but makes Chromium add `Pragma: no-cache` and `Cache-Control: no-cache` to
   * every request (preflights included). Default false; prefer `uniqueUrl`.
   */
  disableCache?: boolean;
}

export interface BrowserHarness {
  /** Browser version, e.g. '156.0.8078.79'. */
  readonly version: string;
  /** Default page origin, `http://127.0.0.1:<pagePort>`. */
  readonly pageOrigin: string;
  /** A second page origin that is cross-site to `pageOrigin`: `http://localhost:<pagePort>`. */
  readonly altPageOrigin: string;
  readonly pagePort: number;
  /** `http://<host>:<pagePort>` — any of 127.0.0.1, localhost, *.localhost works as a page. */
  originFor(host: string): string;
  /** Run `fetch(url, init)` inside a page and report what script observes. */
  fetch(
    url: string,
    init?: BrowserFetchInit,
    options?: BrowserFetchOptions,
  ): Promise<BrowserFetchOutcome>;
  /** Store a cookie for the URL's host. Throws if Chromium rejected it. */
  setCookie(cookie: BrowserCookie): Promise<void>;
  /** Cookies Chromium would send to `url` (all cookies when omitted). */
  cookies(url?: string): Promise<{ name: string; value: string; domain: string; path: string }[]>;
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}

let uniqueCounter = 0;
const uniqueRun = Math.random().toString(36).slice(2, 8);

/**
 * Append a never-repeating `__nonce` query parameter (optionally also `case=<tag>`), so that
 * neither Chromium's CORS preflight cache nor its HTTP cache can carry anything from one case to
 * another. Every case of a suite must fetch a URL made by this (or otherwise unique).
 */
export function uniqueUrl(base: string, tag?: string | number): string {
  const url = new URL(base);
  if (tag !== undefined) url.searchParams.append('case', String(tag));
  uniqueCounter += 1;
  url.searchParams.append('__nonce', `${uniqueRun}-${uniqueCounter}`);
  return url.href;
}

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>corsproof</title></head><body></body></html>';

const CORS_MESSAGE =
  /^Access to fetch at '([^']*)'(?: \(redirected from '([^']*)'\))? from origin '[^']*' has been blocked by CORS policy/;
const LOAD_FAILED_MESSAGE = /^Failed to load resource: /;

type PageEvent =
  | { kind: 'console'; text: string; locationUrl: string }
  | { kind: 'issue'; url: string; issue: BrowserCorsIssue };

interface PageSlot {
  origin: string;
  page: Page;
  events: PageEvent[];
  listeners: Set<() => void>;
}

const MAX_EVENTS = 2000;
/** How long a CORS failure whose console messages are in may wait for its CDP issue. */
const ISSUE_GRACE_MS = 1000;

/**
 * Launch Chromium and the page server. The page server listens on 127.0.0.1 (random port) and
 * serves a blank HTML page for every path and Host, so any loopback host name works as a page origin.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<BrowserHarness> {
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

  // A persistent profile, because that is the only way found to allow third-party cookies.
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-chromium-'));
  let context: BrowserContext | undefined;
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  try {
    await mkdir(path.join(userDataDir, 'Default'), { recursive: true });
    await writeFile(
      path.join(userDataDir, 'Default', 'Preferences'),
      JSON.stringify({ profile: { cookie_controls_mode: 0 } }),
    );
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  } catch (error) {
    await closeServer();
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const ctx = context;
  const version = ctx.browser()?.version() ?? 'unknown';

  const slots = new Map<string, Promise<PageSlot>>();
  const claimed = new WeakSet<Page>();

  const openSlot = async (origin: string): Promise<PageSlot> => {
    const existing = ctx.pages().find((p) => p.url() === 'about:blank' && !claimed.has(p));
    const page = existing ?? (await ctx.newPage());
    claimed.add(page);
    const slot: PageSlot = { origin, page, events: [], listeners: new Set() };
    const push = (event: PageEvent) => {
      slot.events.push(event);
      if (slot.events.length > MAX_EVENTS) slot.events.splice(0, slot.events.length - MAX_EVENTS);
      for (const listener of [...slot.listeners]) listener();
    };
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      push({ kind: 'console', text: message.text(), locationUrl: message.location().url });
    });
    const cdp: CDPSession = await ctx.newCDPSession(page);
    cdp.on('Audits.issueAdded', ({ issue }) => {
      const details = issue.details.corsIssueDetails;
      if (issue.code !== 'CorsIssue' || !details) return;
      push({
        kind: 'issue',
        url: details.request.url,
        issue: {
          code: details.corsErrorStatus.corsError,
          failedParameter: details.corsErrorStatus.failedParameter,
        },
      });
    });
    await cdp.send('Audits.enable');
    if (options.disableCache) {
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    }
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

  /** Console messages / issues that belong to `requestUrl`, from `start` on. */
  const correlate = (slot: PageSlot, start: number, requestUrl: string) => {
    const events = slot.events.slice(start);
    // URLs this request touched: the request URL, plus redirect targets named by a CORS message.
    const urls = new Set([requestUrl]);
    for (const event of events) {
      const cors = event.kind === 'console' ? CORS_MESSAGE.exec(event.text) : null;
      if (cors?.[1] && cors[2] === requestUrl) urls.add(cors[1]);
    }
    const messages: string[] = [];
    let corsMessage: string | undefined;
    let loadFailed = false;
    let issue: BrowserCorsIssue | undefined;
    for (const event of events) {
      if (event.kind === 'issue') {
        if (urls.has(event.url)) issue ??= event.issue;
        continue;
      }
      const cors = CORS_MESSAGE.exec(event.text);
      if (cors) {
        if (cors[1] === requestUrl || cors[2] === requestUrl) {
          messages.push(event.text);
          corsMessage ??= event.text;
        }
      } else if (urls.has(event.locationUrl)) {
        messages.push(event.text);
        if (LOAD_FAILED_MESSAGE.test(event.text)) loadFailed = true;
      }
    }
    return { messages, corsMessage, loadFailed, issue };
  };

  /**
   * Wait (bounded by `consoleWaitMs`) for the messages of a failed request. Chromium prints the
   * CORS message first and "Failed to load resource: net::..." last, and reports the CORS issue
   * through the Audits domain of a separate CDP session, which can arrive after both messages.
   * Once all three are in nothing more is coming. If only one message shows up (plain network
   * errors print no CORS message), give the other a short grace period instead of the full bound;
   * if both messages are in but the issue is not, give the issue a longer one.
   */
  const waitForMessages = async (slot: PageSlot, start: number, requestUrl: string) => {
    const state = () => {
      const found = correlate(slot, start, requestUrl);
      const messagesIn = found.corsMessage !== undefined && found.loadFailed;
      return { found, messagesIn, complete: messagesIn && found.issue !== undefined };
    };
    const first = state();
    if (first.complete) return first.found;
    await new Promise<void>((resolve) => {
      let graceTimer: NodeJS.Timeout | undefined;
      let waitingForIssue = false;
      const done = () => {
        clearTimeout(timer);
        clearTimeout(graceTimer);
        slot.listeners.delete(onEvent);
        resolve();
      };
      const onEvent = () => {
        const now = state();
        if (now.complete) done();
        else if (now.messagesIn) {
          if (waitingForIssue) return;
          waitingForIssue = true;
          clearTimeout(timer);
          clearTimeout(graceTimer);
          graceTimer = setTimeout(done, ISSUE_GRACE_MS);
        } else if (now.found.messages.length > 0 && !graceTimer) {
          graceTimer = setTimeout(done, 50);
        }
      };
      const timer = setTimeout(done, consoleWaitMs);
      slot.listeners.add(onEvent);
      onEvent();
    });
    return correlate(slot, start, requestUrl);
  };

  const harness: BrowserHarness = {
    version,
    pageOrigin: originFor('127.0.0.1'),
    altPageOrigin: originFor('localhost'),
    pagePort,
    originFor,

    async fetch(url, init = {}, fetchOptions = {}) {
      const slot = await slotFor(fetchOptions.from);
      const start = slot.events.length;
      const result = await slot.page.evaluate(inPageFetch, {
        url,
        init,
        timeoutMs: fetchOptions.timeoutMs ?? 10_000,
      });

      if (result.ok) {
        return {
          ok: true,
          ...readResponse(result),
          pageOrigin: slot.origin,
          requestUrl: result.requestUrl,
        };
      }
      const errorName = result.errorName ?? 'Error';
      const errorMessage = result.errorMessage ?? '';
      // Only network-level failures ("Failed to fetch") produce console messages; argument
      // validation errors (bad header name, GET with body, ...) are thrown before any request.
      const networkFailure = errorName === 'TypeError' && errorMessage === 'Failed to fetch';
      const found = networkFailure
        ? await waitForMessages(slot, start, result.requestUrl)
        : correlate(slot, start, result.requestUrl);
      const failure: BrowserFetchFailure = {
        ok: false,
        error: `${errorName}: ${errorMessage}`,
        errorName,
        consoleMessages: found.messages,
        pageOrigin: slot.origin,
        requestUrl: result.requestUrl,
      };
      if (found.corsMessage !== undefined) failure.consoleMessage = found.corsMessage;
      if (found.issue) failure.corsError = found.issue;
      return failure;
    },

    async setCookie(cookie) {
      const host = new URL(cookie.url).hostname;
      const cookiePath = cookie.path ?? '/';
      await ctx.addCookies([
        {
          name: cookie.name,
          value: cookie.value,
          domain: host,
          path: cookiePath,
          sameSite: cookie.sameSite ?? 'Lax',
          secure: cookie.secure ?? false,
          httpOnly: cookie.httpOnly ?? false,
        },
      ]);
      const stored = await ctx.cookies();
      const match = stored.find(
        (c) =>
          c.name === cookie.name && c.domain.replace(/^\./, '') === host && c.path === cookiePath,
      );
      if (!match || match.value !== cookie.value) {
        const hint =
          cookie.sameSite === 'None' && !cookie.secure
            ? ' (SameSite=None requires secure: true)'
            : '';
        throw new Error(`Chromium rejected cookie ${cookie.name} for ${host}${hint}`);
      }
    },

    async cookies(url) {
      const list = url === undefined ? await ctx.cookies() : await ctx.cookies(url);
      return list.map(({ name, value, domain, path: cookiePath }) => ({
        name,
        value,
        domain,
        path: cookiePath,
      }));
    },

    async clearCookies() {
      await ctx.clearCookies();
    },

    async close() {
      try {
        await ctx.close();
      } finally {
        await closeServer();
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
  return harness;
}
