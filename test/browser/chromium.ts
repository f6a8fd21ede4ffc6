/**
 * The Chromium strategy of the browser harness (harness.ts): headless Chromium driven by
 * playwright-core, with a CDP session per page for the structured CORS issues of the Audits domain.
 *
 * Usage:
 *
 *   const browser = await launchChromium();
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
 *     cookies), which is what `launchChromium` does, so cross-site credentialed cases behave like
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

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
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
  type PageLog,
} from './harness.js';
import { inPageFetch } from './in-page-fetch.js';
import { UNTRUSTED_HOST } from './untrusted-host.js';

export type { BrowserFetchInit, BrowserFetchOptions } from './harness.js';
export { uniqueUrl } from './harness.js';

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

/** The `fetch()` rejection Chromium gives for every network-level failure, CORS or not. */
export const CHROMIUM_NETWORK_ERROR = 'TypeError: Failed to fetch';

/**
 * Whether the Chromium suites can run: `undefined` when `/usr/bin/chromium` exists, else a skip
 * reason (or, in CI, an error).
 */
export function chromiumSkipReason(): string | undefined {
  return browserSkipReason(CHROMIUM_PATH, 'Chromium', 'chromium');
}

export interface ChromiumCorsIssue {
  /** CDP `Audits.CorsError`, e.g. 'MissingAllowOriginHeader', 'PreflightInvalidStatus'. */
  code: string;
  failedParameter: string;
}

/** What Chromium adds to a failure: the structured CORS issue of the CDP Audits domain. */
export interface ChromiumFailureDetails {
  /** Structured CORS issue from the CDP Audits domain, when reported. */
  corsError?: ChromiumCorsIssue;
}

export type ChromiumFetchSuccess = FetchSuccess;
export type ChromiumFetchFailure = FetchFailure & ChromiumFailureDetails;
export type ChromiumFetchOutcome = FetchOutcome<object, ChromiumFailureDetails>;

export interface ChromiumCookie extends HarnessCookie {
  /** Default 'Lax' (Chromium's default for cookies without a SameSite attribute). */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Default false. `SameSite=None` requires `secure: true` (works over http on loopback). */
  secure?: boolean;
}

export interface LaunchChromiumOptions extends HarnessOptions {
  /**
   * Disable the browser caches via DevTools (`Network.setCacheDisabled`). This also bypasses the
   * preflight cache, but makes Chromium add `Pragma: no-cache` and `Cache-Control: no-cache` to
   * every request (preflights included). Default false; prefer `uniqueUrl`.
   */
  disableCache?: boolean;
}

export type ChromiumHarness = Harness<ChromiumCookie, object, ChromiumFailureDetails>;

const CORS_MESSAGE =
  /^Access to fetch at '([^']*)'(?: \(redirected from '([^']*)'\))? from origin '[^']*' has been blocked by CORS policy/;
const LOAD_FAILED_MESSAGE = /^Failed to load resource: /;

/** What a Chromium page logs: console errors, and the CORS issues of the CDP Audits domain. */
type ChromiumEvent =
  | { kind: 'console'; text: string; locationUrl: string }
  | { kind: 'issue'; url: string; issue: ChromiumCorsIssue };

/** How long a CORS failure whose console messages are in may wait for its CDP issue. */
const ISSUE_GRACE_MS = 1000;
/** How long a failure with one console message waits for the other. */
const MESSAGE_GRACE_MS = 50;

interface Correlated {
  messages: string[];
  corsMessage: string | undefined;
  loadFailed: boolean;
  issue: ChromiumCorsIssue | undefined;
}

/** Console messages / issues that belong to `requestUrl`. */
function correlate(events: readonly ChromiumEvent[], requestUrl: string): Correlated {
  // URLs this request touched: the request URL, plus redirect targets named by a CORS message.
  const urls = new Set([requestUrl]);
  for (const event of events) {
    const cors = event.kind === 'console' ? CORS_MESSAGE.exec(event.text) : null;
    if (cors?.[1] && cors[2] === requestUrl) urls.add(cors[1]);
  }
  const messages: string[] = [];
  let corsMessage: string | undefined;
  let loadFailed = false;
  let issue: ChromiumCorsIssue | undefined;
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
}

/**
 * Wait (bounded by `boundMs`) for the messages of a failed request. Chromium prints the CORS
 * message first and "Failed to load resource: net::..." last, and reports the CORS issue through
 * the Audits domain of a separate CDP session, which can arrive after both messages. Once all
 * three are in nothing more is coming. If only one message shows up (plain network errors print
 * no CORS message), give the other a short grace period instead of the full bound; if both
 * messages are in but the issue is not, give the issue a longer one.
 */
async function awaitMessages(
  log: PageLog<ChromiumEvent>,
  start: number,
  requestUrl: string,
  boundMs: number,
): Promise<void> {
  const state = () => {
    const found = correlate(log.since(start), requestUrl);
    const messagesIn = found.corsMessage !== undefined && found.loadFailed;
    return { found, messagesIn, complete: messagesIn && found.issue !== undefined };
  };
  if (state().complete) return;
  await new Promise<void>((resolve) => {
    let graceTimer: NodeJS.Timeout | undefined;
    let waitingForIssue = false;
    const done = () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      unsubscribe();
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
        graceTimer = setTimeout(done, MESSAGE_GRACE_MS);
      }
    };
    const timer = setTimeout(done, boundMs);
    const unsubscribe = log.subscribe(onEvent);
    onEvent();
  });
}

/** Chromium in a persistent profile that allows third-party cookies (see above). */
async function launchDriver(
  options: LaunchChromiumOptions,
): Promise<BrowserDriver<ChromiumEvent, ChromiumCookie>> {
  // A persistent profile, because that is the only way found to allow third-party cookies.
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'corsproof-chromium-'));
  let ctx: BrowserContext;
  try {
    await mkdir(path.join(userDataDir, 'Default'), { recursive: true });
    await writeFile(
      path.join(userDataDir, 'Default', 'Preferences'),
      JSON.stringify({ profile: { cookie_controls_mode: 0 } }),
    );
    ctx = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const claimed = new WeakSet<Page>();
  // The blank page Chromium opens with the profile; it stays blank, free for `openPage`.
  const blank = ctx.pages()[0] ?? (await ctx.newPage());

  return {
    version: ctx.browser()?.version() ?? 'unknown',
    userAgent: await blank.evaluate(() => navigator.userAgent),

    async openPage(log) {
      const existing = ctx.pages().find((p) => p.url() === 'about:blank' && !claimed.has(p));
      const page = existing ?? (await ctx.newPage());
      claimed.add(page);
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        log.push({ kind: 'console', text: message.text(), locationUrl: message.location().url });
      });
      const cdp = await ctx.newCDPSession(page);
      cdp.on('Audits.issueAdded', ({ issue }) => {
        const details = issue.details.corsIssueDetails;
        if (issue.code !== 'CorsIssue' || !details) return;
        log.push({
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
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** How the harness drives and reads Chromium. */
export const CHROMIUM: BrowserStrategy<
  ChromiumEvent,
  ChromiumCookie,
  object,
  ChromiumFailureDetails,
  LaunchChromiumOptions
> = {
  launch: launchDriver,
  isNetworkFailure: (error) => error === CHROMIUM_NETWORK_ERROR,
  awaitMessages,
  successDetails: () => ({}),
  failureDetails(entries, requestUrl) {
    const found = correlate(entries, requestUrl);
    const details: ConsoleReport & ChromiumFailureDetails = { consoleMessages: found.messages };
    if (found.corsMessage !== undefined) details.consoleMessage = found.corsMessage;
    if (found.issue) details.corsError = found.issue;
    return details;
  },
};

/** Launch Chromium and the page server. */
export async function launchChromium(
  options: LaunchChromiumOptions = {},
): Promise<ChromiumHarness> {
  return (await launchHarness(CHROMIUM, options)).harness;
}
