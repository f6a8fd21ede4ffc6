/**
 * Real-browser harness: ask a real browser what it does with a cross-origin `fetch`.
 *
 * The harness is the same for every browser; what differs is a strategy (`chromium.ts`,
 * `firefox.ts`): how the browser is launched, how a page is set up and how its console messages
 * (and, in Chromium, DevTools issues) are collected, how long a failed fetch waits for them and
 * which of them belong to a request. A new browser is one more strategy file.
 *
 * One browser and one page per page origin are reused for every call, so a suite can run hundreds
 * of fetches cheaply (a successful fetch costs a few milliseconds; a failed one additionally
 * waits, event-driven and bounded, for the browser's console message).
 *
 * Page origins: the page server listens on 127.0.0.1 (random port) and serves a blank HTML page
 * for every path and Host, so `http://127.0.0.1:P`, `http://localhost:P` and
 * `http://<anything>.localhost:P` all work as page origins (browsers resolve `localhost` and
 * `*.localhost` to loopback themselves), and all are secure contexts. `127.0.0.1` and `localhost`
 * are different sites; ports do not matter for sites, so the default page origin (127.0.0.1:P) and
 * a target at 127.0.0.1:Q are same-site (cross-origin).
 */

import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InPageFetchArgs, InPageResult } from './in-page-fetch.js';
import { type ReadResponse, readResponse } from './in-page-fetch.js';

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

/** What script observed of a fetch that resolved, in every browser. */
export interface FetchSuccess extends ReadResponse {
  ok: true;
  /** Origin of the page the fetch ran in. */
  pageOrigin: string;
  /** The request URL as the page's URL parser serialised it. */
  requestUrl: string;
}

/** What the browser's console said about a failed request. */
export interface ConsoleReport {
  /** The browser's CORS console line for this request, when it printed one. */
  consoleMessage?: string;
  /** All console messages correlated with this request, in arrival order. */
  consoleMessages: string[];
}

/** What script observed of a fetch that rejected, in every browser. */
export interface FetchFailure extends ConsoleReport {
  ok: false;
  /** `${error.name}: ${error.message}`, e.g. 'TypeError: Failed to fetch'. */
  error: string;
  errorName: string;
  pageOrigin: string;
  requestUrl: string;
}

/** A fetch's outcome, with what a browser adds to a success (`S`) and to a failure (`F`). */
export type FetchOutcome<S extends object, F extends object> =
  | (FetchSuccess & S)
  | (FetchFailure & F);

export interface HarnessCookie {
  /** Any URL on the target (only its host matters; the cookie's path is `path`). */
  url: string;
  name: string;
  value: string;
  /** Default 'Lax'. */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** Default false. Works over plain http on loopback (potentially trustworthy). */
  secure?: boolean;
  httpOnly?: boolean;
  /** Default '/'. */
  path?: string;
}

export interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
}

export interface HarnessOptions {
  /**
   * Upper bound on how long a failed fetch waits for its console message(s) when they have not
   * arrived by the time the rejection does. Default 300 ms. Only failures ever wait.
   */
  consoleWaitMs?: number;
}

/**
 * What a page logged (console messages, issues: whatever the strategy collects), in arrival
 * order, with listeners for what arrives next. Old entries are dropped past a bound, so a long
 * suite does not grow without limit; `length` keeps counting, so offsets stay valid.
 */
export class PageLog<E> {
  static readonly MAX_ENTRIES = 2000;
  readonly #entries: E[] = [];
  readonly #listeners = new Set<() => void>();
  #dropped = 0;

  /** How many entries were ever pushed: the offset of the next one. */
  get length(): number {
    return this.#dropped + this.#entries.length;
  }

  push(entry: E): void {
    this.#entries.push(entry);
    const excess = this.#entries.length - PageLog.MAX_ENTRIES;
    if (excess > 0) {
      this.#entries.splice(0, excess);
      this.#dropped += excess;
    }
    for (const listener of [...this.#listeners]) listener();
  }

  /** The entries from offset `start` on (those still kept). */
  since(start: number): E[] {
    return this.#entries.slice(Math.max(0, start - this.#dropped));
  }

  /** Call `listener` after every push until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves once `done()` holds (checked now and after every push) or after `boundMs`, whichever
   * comes first.
   */
  async waitUntil(done: () => boolean, boundMs: number): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(finish, boundMs);
      const unsubscribe = this.subscribe(() => {
        if (done()) finish();
      });
    });
  }
}

/** A page of the browser, set up by the strategy, whose log the harness reads. */
export interface DriverPage {
  goto(url: string): Promise<void>;
  /** Runs `inPageFetch` in the page. */
  fetch(args: InPageFetchArgs): Promise<InPageResult>;
}

/** A launched browser, as a strategy drives it. */
export interface BrowserDriver<E, C extends HarnessCookie> {
  /** Browser version, e.g. '156.0.8078.79'. */
  readonly version: string;
  /** `navigator.userAgent`, which is also the `User-Agent` it sends. */
  readonly userAgent: string;
  /** A page of its own (a blank one the browser opened, or a new one) logging into `log`. */
  openPage(log: PageLog<E>): Promise<DriverPage>;
  /** Store a cookie for the URL's host; throw if the browser did not store it. */
  setCookie(cookie: C): Promise<void>;
  cookies(url?: string): Promise<StoredCookie[]>;
  /** Delete every cookie; `pageOrigins` are the page origins opened so far. */
  clearCookies(pageOrigins: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * How one browser is driven and read. `E` is what its pages log, `C` its cookies, `S` and `F` what
 * it adds to a successful and a failed fetch's outcome, `O` its launch options.
 */
export interface BrowserStrategy<
  E,
  C extends HarnessCookie,
  S extends object,
  F extends object,
  O extends HarnessOptions,
> {
  launch(options: O): Promise<BrowserDriver<E, C>>;
  /**
   * Whether a rejection (`${name}: ${message}`) is a network-level failure. Only those log
   * messages worth waiting for: argument errors (a bad header name, GET with a body, ...) are
   * thrown before any request.
   */
  isNetworkFailure(error: string): boolean;
  /** Resolves once the messages of a failed request are in, or after at most about `boundMs`. */
  awaitMessages(log: PageLog<E>, start: number, requestUrl: string, boundMs: number): Promise<void>;
  /** What this browser adds to a success, from the entries logged since the fetch began. */
  successDetails(entries: readonly E[], requestUrl: string): S;
  /** The console report of a failure, and what this browser adds to it. */
  failureDetails(entries: readonly E[], requestUrl: string): ConsoleReport & F;
}

export interface Harness<C extends HarnessCookie, S extends object, F extends object> {
  /** Browser version. */
  readonly version: string;
  /** `navigator.userAgent`, which is also the `User-Agent` it sends. */
  readonly userAgent: string;
  /** Default page origin, `http://127.0.0.1:<pagePort>`. */
  readonly pageOrigin: string;
  /** A second page origin that is cross-site to `pageOrigin`: `http://localhost:<pagePort>`. */
  readonly altPageOrigin: string;
  readonly pagePort: number;
  /** `http://<host>:<pagePort>`: any of 127.0.0.1, localhost, *.localhost works as a page. */
  originFor(host: string): string;
  /** Run `fetch(url, init)` inside a page and report what script observes. */
  fetch(
    url: string,
    init?: BrowserFetchInit,
    options?: BrowserFetchOptions,
  ): Promise<FetchOutcome<S, F>>;
  /** Store a cookie for the URL's host. Throws if the browser did not store it. */
  setCookie(cookie: C): Promise<void>;
  /** Cookies the browser holds for `url`'s host (all cookies when omitted). */
  cookies(url?: string): Promise<StoredCookie[]>;
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}

/** A harness together with what its pages logged, for strategies that expose more of it. */
export interface LaunchedHarness<E, C extends HarnessCookie, S extends object, F extends object> {
  readonly harness: Harness<C, S, F>;
  /** The log of the page for `from` (a host or origin; default the default page origin). */
  logFor(from?: string): Promise<PageLog<E>>;
}

let uniqueCounter = 0;
const uniqueRun = Math.random().toString(36).slice(2, 8);

/**
 * Append a never-repeating `__nonce` query parameter (optionally also `case=<tag>`), so that
 * neither the browser's CORS preflight cache nor its HTTP cache can carry anything from one case
 * to another. Every case of a suite must fetch a URL made by this (or otherwise unique).
 */
export function uniqueUrl(base: string, tag?: string | number): string {
  const url = new URL(base);
  if (tag !== undefined) url.searchParams.append('case', String(tag));
  uniqueCounter += 1;
  url.searchParams.append('__nonce', `${uniqueRun}-${uniqueCounter}`);
  return url.href;
}

/** The `__nonce` that `uniqueUrl` put in `url`, if any. */
export function nonceOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('__nonce');
  } catch {
    return null;
  }
}

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>corsproof</title></head><body></body></html>';

interface PageSlot<E> {
  origin: string;
  page: DriverPage;
  log: PageLog<E>;
}

/** Serves the blank page for every path and Host, on 127.0.0.1 at a random port. */
async function startPageServer(): Promise<{ port: number; close: () => Promise<void> }> {
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
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Launch the page server and the browser `strategy` drives. */
export async function launchHarness<
  E,
  C extends HarnessCookie,
  S extends object,
  F extends object,
  O extends HarnessOptions,
>(strategy: BrowserStrategy<E, C, S, F, O>, options: O): Promise<LaunchedHarness<E, C, S, F>> {
  const consoleWaitMs = options.consoleWaitMs ?? 300;
  const server = await startPageServer();
  const originFor = (host: string): string => `http://${host}:${server.port}`;

  let driver: BrowserDriver<E, C>;
  try {
    driver = await strategy.launch(options);
  } catch (error) {
    await server.close();
    throw error;
  }

  const slots = new Map<string, Promise<PageSlot<E>>>();
  const openSlot = async (origin: string): Promise<PageSlot<E>> => {
    const log = new PageLog<E>();
    const page = await driver.openPage(log);
    await page.goto(`${origin}/`);
    return { origin, page, log };
  };
  const slotFor = (from: string | undefined): Promise<PageSlot<E>> => {
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

  const harness: Harness<C, S, F> = {
    version: driver.version,
    userAgent: driver.userAgent,
    pageOrigin: originFor('127.0.0.1'),
    altPageOrigin: originFor('localhost'),
    pagePort: server.port,
    originFor,

    async fetch(url, init = {}, fetchOptions = {}) {
      const slot = await slotFor(fetchOptions.from);
      const start = slot.log.length;
      const result = await slot.page.fetch({
        url,
        init,
        timeoutMs: fetchOptions.timeoutMs ?? 10_000,
      });
      const { requestUrl } = result;
      if (result.ok) {
        return {
          ok: true,
          ...readResponse(result),
          ...strategy.successDetails(slot.log.since(start), requestUrl),
          pageOrigin: slot.origin,
          requestUrl,
        };
      }
      const errorName = result.errorName ?? 'Error';
      const error = `${errorName}: ${result.errorMessage ?? ''}`;
      if (strategy.isNetworkFailure(error)) {
        await strategy.awaitMessages(slot.log, start, requestUrl, consoleWaitMs);
      }
      return {
        ok: false,
        error,
        errorName,
        ...strategy.failureDetails(slot.log.since(start), requestUrl),
        pageOrigin: slot.origin,
        requestUrl,
      };
    },

    setCookie: (cookie) => driver.setCookie(cookie),
    cookies: (url) => driver.cookies(url),
    clearCookies: () => driver.clearCookies([...slots.keys()]),

    async close() {
      try {
        await driver.close();
      } finally {
        await server.close();
      }
    },
  };
  return { harness, logFor: async (from) => (await slotFor(from)).log };
}

/**
 * Whether a browser's suites can run: `undefined` when its executable exists, and a
 * human-readable skip reason when it does not. In CI (`process.env.CI` set) a missing browser is
 * an error, not a skip: this throws.
 */
export function browserSkipReason(
  executablePath: string,
  browser: string,
  debianPackage: string,
): string | undefined {
  if (existsSync(executablePath)) return undefined;
  const reason = `${executablePath} not found: real-${browser} CORS tests skipped (install Debian's ${debianPackage} package to run them)`;
  if (process.env.CI) throw new Error(`${reason}. In CI the browser is required.`);
  return reason;
}
