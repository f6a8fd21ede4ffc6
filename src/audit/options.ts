/**
 * The options of `audit()` and their validation. Everything that can be refused is refused here,
 * before the first request, so a run never stops half-way for a bad argument.
 */

import {
  asciiLowercase,
  isBlockedByBadPort,
  isForbiddenMethod,
  isHeaderValue,
  isSameOrigin,
  isToken,
  normalizeMethod,
  originOfUrl,
  parseOrigin,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import type { HeadersInput } from '../check/index.js';
import {
  type BrowserName,
  DEFAULT_TIMEOUT_MS,
  isBrowserName,
  isMixedContent,
  MAX_DEADLINE_MS,
} from '../check/index.js';
import { AuditInputError } from './errors.js';

export interface AuditOptions {
  /** The URL to audit (http or https). Only GET requests and preflights are sent to it. */
  readonly url: string | URL;
  /** The origin the endpoint is meant to trust, e.g. `https://app.example.com`. */
  readonly origin: string;
  /**
   * Send the requests as `fetch(url, { credentials: 'include' })` would: with `cookie` on the GETs.
   * Whatever this says, a response with `Access-Control-Allow-Credentials: true` is also judged
   * for credentialed requests, which raises a finding's severity. Default false.
   */
  readonly credentials?: boolean;
  /** A Cookie value for the GETs (a signed-in session); implies `credentials`. Never on preflights. */
  readonly cookie?: string;
  /**
   * Headers the calling page sets on every request, as with `check()`: a header a browser does not
   * safelist makes even the GET preflighted, exactly as it would be in a browser. A `Cookie` here
   * is taken as `cookie`.
   */
  readonly headers?: HeadersInput;
  /**
   * The state-changing method the preflights ask for (with `Content-Type: application/json`).
   * Default `PUT`. The request itself is never sent.
   */
  readonly method?: string;
  /** The browser whose rules judge the answers. Default `chromium`. */
  readonly browser?: BrowserName;
  /** An undici dispatcher to send through (the caller closes it); by default one pool per run. */
  readonly dispatcher?: Dispatcher;
  /** Requests in flight at once, 1 to 64. Default 8. */
  readonly concurrency?: number;
  /** A source of random DNS labels for the crafted origins; fresh per run by default. */
  readonly random?: () => string;
  /** Per exchange, in milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
  /**
   * For the whole audit, in milliseconds, 1 to 3 600 000. Default six times `timeoutMs` (60 s).
   * When it passes, the requests in flight are cancelled, no more are sent, and the report has no
   * findings and an `error` with code `TIMEOUT` naming the deadline (an audit sends about sixty
   * exchanges, so a target that answers each one just in time would otherwise hold it for minutes).
   */
  readonly deadlineMs?: number;
  /** Stops the run: requests in flight are cancelled and `audit()` rejects with its reason. */
  readonly signal?: AbortSignal;
  /** Called after each request with how many are done out of how many planned so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ResolvedAuditOptions {
  readonly url: URL;
  readonly trustedOrigin: string;
  readonly credentials: boolean;
  readonly cookie: string | null;
  readonly headers: readonly (readonly [string, string])[];
  readonly method: string;
  readonly browser: BrowserName;
  readonly concurrency: number;
  readonly random: (() => string) | null;
  readonly timeoutMs: number | null;
  readonly deadlineMs: number;
}

export const DEFAULT_CONCURRENCY = 8;

/** The whole audit's default deadline, in per-exchange timeouts. */
export const AUDIT_DEADLINE_TIMEOUTS = 6;

function headerPairs(input: HeadersInput | undefined): [string, string][] {
  if (input === undefined) return [];
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return [...(input as Iterable<readonly [string, string]>)].map(([n, v]) => [
      String(n),
      String(v),
    ]);
  }
  return Object.entries(input as Record<string, string>).map(([n, v]) => [n, String(v)]);
}

/**
 * Checks every option and applies defaults; throws an `AuditInputError` naming the fix.
 *
 * @example
 * resolveAuditOptions({ url: 'https://api.example.com/me', origin: 'https://app.example.com' }).method // 'PUT'
 */
export function resolveAuditOptions(options: AuditOptions): ResolvedAuditOptions {
  let url: URL;
  try {
    url = new URL(String(options.url));
  } catch {
    throw new AuditInputError(
      'INVALID_URL',
      'url',
      `${JSON.stringify(String(options.url))} is not an absolute URL; give one like "https://api.example.com/items"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AuditInputError(
      'INVALID_URL',
      'url',
      `${JSON.stringify(url.href)} is not an http(s) URL; CORS only applies to http: and https:`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new AuditInputError(
      'INVALID_URL',
      'url',
      `${JSON.stringify(url.href)} includes a user name or password, which fetch() refuses; pass a session with cookie instead`,
    );
  }
  url.hash = '';
  const parsed = parseOrigin(options.origin ?? '');
  if (!parsed.ok || parsed.origin.type !== 'tuple') {
    throw new AuditInputError(
      'INVALID_ORIGIN',
      'origin',
      `the trusted origin ${JSON.stringify(options.origin)} is not an origin${parsed.ok ? '' : ` (${parsed.detail})`}; give the origin of the page that should be allowed, e.g. "https://app.example.com"`,
    );
  }
  // With no cross-origin request there is nothing to audit: the browser applies no CORS.
  if (isSameOrigin(parsed.origin, originOfUrl(url))) {
    throw new AuditInputError(
      'SAME_ORIGIN',
      'origin',
      `the trusted origin ${parsed.serialized} is the URL's own origin, where CORS does not apply; give the origin of the page that calls this API from elsewhere`,
    );
  }
  if (isMixedContent(parsed.origin, url)) {
    throw new AuditInputError(
      'MIXED_CONTENT',
      'url',
      `a page at ${parsed.serialized} cannot call ${url.href} at all (browsers block http: requests from https: pages), so no CORS answer matters; audit the https: URL, or give the http: origin that calls it`,
    );
  }
  if (isBlockedByBadPort(url)) {
    throw new AuditInputError(
      'UNSAFE_PORT',
      'url',
      `browsers never connect to port ${url.port} (fetch.spec.whatwg.org "port blocking"), so CORS cannot matter there`,
    );
  }
  const browser = options.browser ?? 'chromium';
  if (!isBrowserName(browser)) {
    throw new AuditInputError(
      'INVALID_OPTION',
      'browser',
      `browser must be "chromium", "firefox" or "webkit", not ${JSON.stringify(browser)}`,
    );
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new AuditInputError(
      'INVALID_OPTION',
      'concurrency',
      `concurrency must be a whole number from 1 to 64, not ${JSON.stringify(concurrency)}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? null;
  if (
    timeoutMs !== null &&
    (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000)
  ) {
    throw new AuditInputError(
      'INVALID_OPTION',
      'timeoutMs',
      `timeoutMs must be a whole number of milliseconds from 1 to 600000, not ${JSON.stringify(timeoutMs)}`,
    );
  }
  const deadlineMs =
    options.deadlineMs ??
    Math.min(MAX_DEADLINE_MS, (timeoutMs ?? DEFAULT_TIMEOUT_MS) * AUDIT_DEADLINE_TIMEOUTS);
  if (!Number.isInteger(deadlineMs) || deadlineMs < 1 || deadlineMs > MAX_DEADLINE_MS) {
    throw new AuditInputError(
      'INVALID_OPTION',
      'deadlineMs',
      `deadlineMs must be a whole number of milliseconds from 1 to ${MAX_DEADLINE_MS}, not ${JSON.stringify(deadlineMs)}`,
    );
  }
  const method = normalizeMethod(options.method ?? 'PUT');
  if (!isToken(method) || isForbiddenMethod(method) || method === 'OPTIONS') {
    throw new AuditInputError(
      'INVALID_OPTION',
      'method',
      `${JSON.stringify(options.method)} cannot be the state-changing method of the preflights; give one fetch() can send, such as PUT, PATCH or DELETE`,
    );
  }
  let cookie = options.cookie ?? null;
  const headers: [string, string][] = [];
  for (const [name, value] of headerPairs(options.headers)) {
    if (!isToken(name) || !isHeaderValue(value.trim())) {
      throw new AuditInputError(
        'INVALID_OPTION',
        'headers',
        `${JSON.stringify(`${name}: ${value}`)} is not a header fetch() can send; write it as 'Name: value'`,
      );
    }
    // A page cannot set Cookie (the browser drops it); what the caller means is the session cookie.
    if (asciiLowercase(name.trim()) === 'cookie') cookie = cookie === null ? value : cookie;
    else headers.push([name, value]);
  }
  return {
    url,
    trustedOrigin: parsed.serialized,
    credentials: options.credentials === true || cookie !== null,
    cookie,
    headers,
    method,
    browser,
    concurrency,
    random: options.random ?? null,
    timeoutMs,
    deadlineMs,
  };
}
