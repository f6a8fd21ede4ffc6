/**
 * The options of `check()` and their validation: the same arguments `fetch()` takes, plus the page
 * origin (which a real page has implicitly) and the checker's own settings.
 */

import { type Origin, parseOrigin } from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import { type Deadline, deadlineIn, defaultDeadlineMs, MAX_DEADLINE_MS } from './deadline.js';
import { EMULATION_IDS } from './emulations/catalog.js';
import type { Emulation } from './emulations/emulation.js';
import { emulationById } from './emulations/registry.js';
import { CheckInputError } from './errors.js';
import { type BrowserName, isBrowserName } from './profiles.js';
import type { CredentialsMode } from './result.js';

/** Request headers as `fetch()` accepts them: a record, or name/value pairs (duplicates allowed). */
export type HeadersInput = Readonly<Record<string, string>> | Iterable<readonly [string, string]>;

export interface CheckOptions {
  /** The URL the page would fetch (http or https, no user name or password). */
  readonly url: string | URL;
  /**
   * The origin of the page making the call, e.g. `https://app.example.com`, or `null` for an
   * opaque origin (a sandboxed iframe). Required, except with `emulate` (which brings its own).
   */
  readonly origin?: string;
  /** Default `GET`. CONNECT, TRACE and TRACK are refused, as fetch() refuses them. */
  readonly method?: string;
  readonly headers?: HeadersInput;
  /** fetch()'s credentials mode. Default `same-origin`, as in fetch(). */
  readonly credentials?: CredentialsMode;
  /** A text body, sent as UTF-8; without a Content-Type, fetch() adds `text/plain;charset=UTF-8`. */
  readonly body?: string | null;
  /**
   * A Cookie header value to send where the browser would send cookies (credentials `include`, or
   * `same-origin` to a same-origin URL); never on a preflight.
   */
  readonly cookie?: string;
  /** The browser to imitate. Default `chromium`. */
  readonly browser?: BrowserName;
  /** Send only the preflight, never the actual request (for endpoints where it changes data). */
  readonly preflightOnly?: boolean;
  /** Per exchange, in milliseconds, 1 to 600 000. Default 10 000. */
  readonly timeoutMs?: number;
  /**
   * For the whole check (every preflight, request and redirect hop), in milliseconds, 1 to
   * 3 600 000. Default three times `timeoutMs` (30 s). When it passes, the exchange in flight is
   * cancelled and the result is `verdict: 'error'` with code `TIMEOUT`, its message naming the
   * deadline (where `timeoutMs` alone would let a target that answers each exchange just in time
   * hold a check for 42 timeouts).
   */
  readonly deadlineMs?: number;
  /** Redirects to follow, 0 to 20 (the browsers' limit and the default). */
  readonly maxRedirects?: number;
  /**
   * The id of a server-side checker to reproduce instead of a browser (`EMULATION_IDS`): its
   * probes, from its origin, judged by its rules; the result's `emulation` holds its report.
   */
  readonly emulate?: string;
  /** An undici dispatcher (keep-alive pool) to send through; by default one per check. */
  readonly dispatcher?: Dispatcher;
  /**
   * Aborts the check, as it aborts fetch(): the request in flight is cancelled and `check()`
   * rejects with the signal's reason (e.g. `AbortSignal.timeout(5000)` for a whole-check limit).
   */
  readonly signal?: AbortSignal;
}

/** The options after validation, with defaults applied. */
export interface ResolvedOptions {
  readonly url: URL;
  readonly origin: string;
  /** The page's origin, parsed (the same origin as `origin`). */
  readonly page: Origin;
  /** The origin as given, when it differed from its serialization. */
  readonly originAsGiven: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly credentials: CredentialsMode;
  readonly body: string | null;
  readonly cookie: string | null;
  readonly browser: BrowserName;
  readonly preflightOnly: boolean;
  readonly timeoutMs: number;
  /** When the whole check must be over, counted from when the options were resolved. */
  readonly deadline: Deadline;
  readonly maxRedirects: number;
  /** The emulated checker, or null for a browser. */
  readonly emulation: Emulation | null;
  readonly signal: AbortSignal | undefined;
}

export const MAX_REDIRECTS = 20;

/** How long an exchange may take before it is a timeout (milliseconds). */
export const DEFAULT_TIMEOUT_MS = 10_000;

const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];

/** Checks every option and applies defaults; throws a `CheckInputError` naming the fix. */
export function resolveOptions(options: CheckOptions): ResolvedOptions {
  const emulation = resolveEmulation(options.emulate);
  const url = resolveUrl(options.url);
  // An emulated checker always sends from its own origin, whatever the page's would be.
  const origin = resolveOrigin(emulation?.origin ?? options.origin);
  const credentials = options.credentials ?? 'same-origin';
  if (!CREDENTIALS.includes(credentials)) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'credentials',
      `credentials must be "omit", "same-origin" or "include", not ${JSON.stringify(credentials)}`,
    );
  }
  const browser = options.browser ?? 'chromium';
  if (!isBrowserName(browser)) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'browser',
      `browser must be "chromium", "firefox" or "webkit", not ${JSON.stringify(browser)}`,
    );
  }
  const run = resolveRunOptions(options);
  const body = options.body ?? null;
  if (body !== null && typeof body !== 'string') {
    throw new CheckInputError('INVALID_OPTION', 'body', 'body must be a string');
  }
  return {
    url,
    origin: origin.serialized,
    page: origin.parsed,
    originAsGiven: origin.given,
    method: options.method ?? 'GET',
    headers: headerPairs(options.headers),
    credentials,
    body,
    cookie: options.cookie ?? null,
    browser,
    preflightOnly: run.preflightOnly,
    timeoutMs: run.timeoutMs,
    deadline: run.deadline,
    maxRedirects: run.maxRedirects,
    emulation,
    signal: run.signal,
  };
}

/**
 * The options of a check whose request options were resolved before (`known`, from a check with
 * the same url, origin, method, headers, credentials, body, cookie and browser): only the settings
 * of this run are checked, and its deadline starts now. Those request options passed then, so the
 * first error thrown is the one `resolveOptions` would throw.
 */
export function withRunOptions(known: ResolvedOptions, options: CheckOptions): ResolvedOptions {
  const run = resolveRunOptions(options);
  return {
    url: known.url,
    origin: known.origin,
    page: known.page,
    originAsGiven: known.originAsGiven,
    method: known.method,
    headers: known.headers,
    credentials: known.credentials,
    body: known.body,
    cookie: known.cookie,
    browser: known.browser,
    preflightOnly: run.preflightOnly,
    timeoutMs: run.timeoutMs,
    deadline: run.deadline,
    maxRedirects: run.maxRedirects,
    emulation: known.emulation,
    signal: run.signal,
  };
}

/** The settings of one run: its limits and its signal. */
type RunOptions = Pick<
  ResolvedOptions,
  'preflightOnly' | 'timeoutMs' | 'deadline' | 'maxRedirects' | 'signal'
>;

function resolveRunOptions(options: CheckOptions): RunOptions {
  const timeoutMs = timeoutOf(options);
  const deadlineMs = deadlineMsOf(options, timeoutMs);
  const maxRedirects = maxRedirectsOf(options);
  const signal = signalOf(options);
  return {
    preflightOnly: options.preflightOnly === true,
    timeoutMs,
    deadline: deadlineIn(deadlineMs),
    maxRedirects,
    signal,
  };
}

function timeoutOf(options: CheckOptions): number {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'timeoutMs',
      `timeoutMs must be a whole number of milliseconds from 1 to 600000, not ${JSON.stringify(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

function deadlineMsOf(options: CheckOptions, timeoutMs: number): number {
  const deadlineMs = options.deadlineMs ?? defaultDeadlineMs(timeoutMs);
  if (!Number.isInteger(deadlineMs) || deadlineMs < 1 || deadlineMs > MAX_DEADLINE_MS) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'deadlineMs',
      `deadlineMs must be a whole number of milliseconds from 1 to ${MAX_DEADLINE_MS}, not ${JSON.stringify(deadlineMs)}`,
    );
  }
  return deadlineMs;
}

function maxRedirectsOf(options: CheckOptions): number {
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0 || maxRedirects > MAX_REDIRECTS) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'maxRedirects',
      `maxRedirects must be a whole number from 0 to 20 (the browsers' limit), not ${JSON.stringify(maxRedirects)}`,
    );
  }
  return maxRedirects;
}

function signalOf(options: CheckOptions): AbortSignal | undefined {
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'signal',
      'signal must be an AbortSignal, such as AbortController().signal or AbortSignal.timeout(ms)',
    );
  }
  return signal;
}

function resolveEmulation(id: string | undefined): Emulation | null {
  if (id === undefined) return null;
  const emulation = typeof id === 'string' ? emulationById(id) : undefined;
  if (emulation === undefined) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'emulate',
      `emulate must be one of ${EMULATION_IDS.map((e) => JSON.stringify(e)).join(', ')}, not ${JSON.stringify(id)}`,
    );
  }
  return emulation;
}

function resolveUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new CheckInputError(
      'INVALID_URL',
      'url',
      `${JSON.stringify(String(input))} is not an absolute URL; give one like "https://api.example.com/items"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CheckInputError(
      'UNSUPPORTED_SCHEME',
      'url',
      `${JSON.stringify(url.href)} is not an http(s) URL; CORS only applies to http: and https:`,
    );
  }
  // fetch.bs "Request constructor" step 5.4: a URL with credentials is a TypeError.
  if (url.username !== '' || url.password !== '') {
    throw new CheckInputError(
      'URL_CREDENTIALS',
      'url',
      `${JSON.stringify(url.href)} includes a user name or password, which fetch() refuses ("Request cannot be constructed from a URL that includes credentials"); remove them and send an Authorization header instead`,
    );
  }
  // The fragment is never sent. (Setting `hash` re-serializes the URL: only when there is one.)
  if (url.href.includes('#')) url.hash = '';
  return url;
}

function resolveOrigin(input: string | undefined): {
  serialized: string;
  parsed: Origin;
  given: string;
} {
  if (input === undefined) {
    throw new CheckInputError(
      'INVALID_ORIGIN',
      'origin',
      'the page origin is required, e.g. origin: "https://app.example.com"',
    );
  }
  const parsed = parseOrigin(input);
  if (!parsed.ok) {
    throw new CheckInputError(
      'INVALID_ORIGIN',
      'origin',
      `${JSON.stringify(input)} is not an origin: ${parsed.detail}; write it as scheme://host[:port], e.g. "https://app.example.com"`,
    );
  }
  return { serialized: parsed.serialized, parsed: parsed.origin, given: input };
}

function headerPairs(input: HeadersInput | undefined): [string, string][] {
  if (input === undefined) return [];
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const pairs: [string, string][] = [];
    for (const entry of input as Iterable<readonly [string, string]>) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new CheckInputError(
          'INVALID_OPTION',
          'headers',
          'headers must be a record or a list of [name, value] pairs',
        );
      }
      pairs.push([String(entry[0]), String(entry[1])]);
    }
    return pairs;
  }
  return Object.entries(input as Record<string, string>).map(([n, v]) => [n, String(v)]);
}
