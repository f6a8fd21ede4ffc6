/**
 * The WebKit strategy of the browser harness (harness.ts): WebKitGTK's MiniBrowser under Xvfb,
 * driven by WebKitWebDriver over W3C WebDriver classic (plain HTTP; no npm package).
 *
 * Usage:
 *
 *   const webkit = await launchWebKit();
 *   const outcome = await webkit.fetch(uniqueUrl(`${target}/path`), { method: 'PUT' });
 *   await webkit.close();
 *
 * Findings about WebKitGTK 2.50 (Debian's webkit2gtk-driver and libwebkit2gtk-4.1-0) that shaped
 * this file:
 *
 * - WebKitWebDriver runs one session at a time, and a session (a MiniBrowser) takes seconds to
 *   start: all harness pages share one window, navigated to a page's origin before a fetch from it.
 *   Commands are sent one at a time (a queue below); the remote end does not promise to run two at
 *   once.
 * - Host names under `localhost` reach the page server, whatever their characters: WebKit sends
 *   `http://a!b.localhost:P` as the origin (webkit-origins.test.ts), and `;` makes it opaque.
 * - A blocked fetch rejects with `TypeError: Load failed`, CORS or not, and the console cannot be
 *   read through WebDriver classic: a failure carries no console line, so the suites compare
 *   verdicts, readable headers and the requests that reached the servers, not wording.
 * - Headers WebKit adds on the wire: `User-Agent` (Safari-like, `Version/60.5 Safari/605.1.15`),
 *   `Accept: *\/*`, `Accept-Language` (from the locale), `Accept-Encoding`, `Referer`, `Origin`,
 *   `Sec-Fetch-Dest/-Mode/-Site`; no client hints, no `Priority`.
 * - Host names: there is no switch to map a name to an address (Chromium's host resolver rules,
 *   Firefox's `network.dns.localDomains`), so cases on the untrusted host cannot run here.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import {
  type BrowserDriver,
  type BrowserStrategy,
  browserSkipReason,
  type FetchOutcome,
  type Harness,
  type HarnessCookie,
  type HarnessOptions,
  launchHarness,
} from './harness.js';
import { type InPageResult, inPageFetch } from './in-page-fetch.js';

export type { BrowserFetchInit, BrowserFetchOptions } from './harness.js';
export { uniqueUrl } from './harness.js';

export const WEBKIT_DRIVER_PATH = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB_PATH = '/usr/bin/Xvfb';

/** The `fetch()` rejection WebKit gives for every network-level failure, CORS or not. */
export const WEBKIT_NETWORK_ERROR = 'TypeError: Load failed';

/**
 * Whether the WebKit suites can run: `undefined` when WebKitWebDriver, MiniBrowser and Xvfb exist,
 * else a skip reason (or, in CI, an error).
 */
export function webkitSkipReason(): string | undefined {
  return (
    browserSkipReason(WEBKIT_DRIVER_PATH, 'WebKit', 'webkit2gtk-driver') ??
    browserSkipReason(MINIBROWSER_PATH, 'WebKit', 'libwebkit2gtk-4.1-0') ??
    browserSkipReason(XVFB_PATH, 'WebKit', 'xvfb')
  );
}

export type WebKitFetchOutcome = FetchOutcome<object, object>;
export type LaunchWebKitOptions = HarnessOptions;
export type WebKitHarness = Harness<HarnessCookie, object, object>;

/** Resolves with the display number Xvfb picked (`-displayfd` writes it once it listens). */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(
    XVFB_PATH,
    ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let text = '';
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with code ${code} before starting`)));
    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ display: `:${text.trim()}`, process: xvfb });
    });
  });
}

/** A port nothing listens on now, for the driver (which cannot be told to pick one itself). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface WebDriverReply {
  value: unknown;
}

/** One WebDriver HTTP command; a WebDriver error becomes a thrown Error naming it. */
async function command(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const reply = (await response.json()) as WebDriverReply;
  if (!response.ok) {
    const error = reply.value as { error?: string; message?: string } | null;
    throw new Error(`WebDriver ${method} ${path}: ${error?.error} ${error?.message ?? ''}`);
  }
  return reply.value;
}

/** Starts WebKitWebDriver and waits (event by event, bounded) until it answers `/status`. */
async function startDriver(display: string): Promise<{ base: string; process: ChildProcess }> {
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=127.0.0.1'], {
    // WebKitGTK sends its locale's language as Accept-Language: pin it.
    env: { ...process.env, DISPLAY: display, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = `http://127.0.0.1:${port}`;
  let exited: Error | undefined;
  driver.once('exit', (code) => {
    exited = new Error(`WebKitWebDriver exited with code ${code}`);
  });
  // The driver prints nothing when it is ready: ask until it answers (at most about 10 s).
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited) throw exited;
    try {
      await command(base, 'GET', '/status');
      return { base, process: driver };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  driver.kill();
  throw new Error(`WebKitWebDriver did not answer on ${base} within 10 s`);
}

const CAPABILITIES = {
  capabilities: {
    alwaysMatch: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    },
  },
};

/** The in-page fetch as a WebDriver async script: its arguments are [args, callback]. */
const FETCH_SCRIPT = `const done = arguments[arguments.length - 1];
(${inPageFetch.toString()})(arguments[0]).then(done, (e) => done({ ok: false, requestUrl: arguments[0].url, errorName: 'HarnessError', errorMessage: String(e) }));`;

/**
 * A WebDriver session: one WebKitWebDriver (which runs one session at a time), one MiniBrowser, one
 * window. Commands go one at a time; `exclusive` runs several as one step of that queue.
 */
async function openSession(display: string) {
  const driver = await startDriver(display);
  const { base } = driver;
  const created = (await command(base, 'POST', '/session', CAPABILITIES)) as {
    sessionId: string;
    capabilities: { browserVersion: string };
  };
  const path = `/session/${created.sessionId}`;
  const call = <T>(method: string, sub: string, body?: unknown) =>
    command(base, method, `${path}${sub}`, body) as Promise<T>;
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  await call('POST', '/timeouts', { script: 60_000, pageLoad: 30_000 });
  return {
    version: created.capabilities.browserVersion,
    call,
    exclusive,
    async close() {
      await command(base, 'DELETE', path).catch(() => undefined);
      driver.process.kill();
    },
  };
}

/**
 * WebKit in one session. Every harness page is the one window, navigated to the page's URL before
 * each fetch from another origin: a second session would be a second MiniBrowser, which costs
 * seconds to start. WebKit keys its preflight cache by (top origin, origin, URL), so a navigation
 * neither clears nor shares what a case relies on.
 */
async function launchDriver(): Promise<BrowserDriver<never, HarnessCookie>> {
  const xvfb = await startXvfb();
  let session: Awaited<ReturnType<typeof openSession>>;
  try {
    session = await openSession(xvfb.display);
  } catch (error) {
    xvfb.process.kill();
    throw error;
  }
  const userAgent = await session.call<string>('POST', '/execute/sync', {
    script: 'return navigator.userAgent',
    args: [],
  });
  let shown: string | null = null;
  const show = async (url: string) => {
    if (shown === url) return;
    await session.call('POST', '/url', { url });
    shown = url;
  };

  return {
    version: session.version,
    userAgent,
    async openPage() {
      let pageUrl: string | null = null;
      return {
        goto: (url) =>
          session.exclusive(async () => {
            pageUrl = url;
            await show(url);
          }),
        fetch: (args) =>
          session.exclusive(async () => {
            if (pageUrl !== null) await show(pageUrl);
            return session.call<InPageResult>('POST', '/execute/async', {
              script: FETCH_SCRIPT,
              args: [args],
            });
          }),
      };
    },
    async setCookie() {
      throw new Error(
        'the WebKit harness does not set cookies (WebDriver classic sets them only for the current page)',
      );
    },
    async cookies() {
      return [];
    },
    async clearCookies() {
      await session.exclusive(() => session.call('DELETE', '/cookie'));
    },
    async close() {
      await session.close();
      xvfb.process.kill();
    },
  };
}

/** How the harness drives and reads WebKit: no console to read, so nothing to wait for. */
export const WEBKIT: BrowserStrategy<never, HarnessCookie, object, object, LaunchWebKitOptions> = {
  launch: launchDriver,
  isNetworkFailure: (error) => error === WEBKIT_NETWORK_ERROR,
  awaitMessages: async () => undefined,
  successDetails: () => ({}),
  failureDetails: () => ({ consoleMessages: [] }),
};

/** Launch WebKit (Xvfb, WebKitWebDriver, MiniBrowser) and the page server. */
export async function launchWebKit(options: LaunchWebKitOptions = {}): Promise<WebKitHarness> {
  if (!existsSync(MINIBROWSER_PATH)) throw new Error(`${MINIBROWSER_PATH} not found`);
  const { harness } = await launchHarness(WEBKIT, options);
  return harness;
}
