/**
 * One HTTP exchange through undici, exactly as asked: no redirect following (the checker follows
 * redirects itself, to run the CORS check on every hop), no added headers beyond `Host`,
 * `Connection` and `Content-Length`, response header lines kept one by one and in order (two
 * `Access-Control-Allow-Origin` lines must stay two), and at most 64 KiB of body read.
 *
 * The global `fetch` is not used: it would add headers, drop forbidden ones and follow redirects.
 */

import { createRequire } from 'node:module';
import type { HeaderEntry } from 'corsproof/spec';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { shellQuote } from './curl.js';
import { checkDeadlineError, type Deadline, exchangeTimeoutError } from './deadline.js';
import { CheckInputError } from './errors.js';
import { type RawHeaders, receivedLines, recentUtf8 } from './received-lines.js';
import {
  PinnedHosts,
  pinnedConnector,
  type ResolveMap,
  rememberCurlFlags,
  rememberPins,
} from './resolve.js';
import type { NetworkError, NetworkErrorCode, ReceivedResponse, SentRequest } from './result.js';
import { startTimeout, stopTimeout, type TimeoutList, type Waiting } from './timeouts.js';
import { createAgent } from './undici.js';

/** How much of a response body is kept; the rest is not read (the connection is dropped). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Chromium's limit on response header size (net::HttpStreamParser, 256 KiB); Node's is 16 KiB. */
export const MAX_HEADER_BYTES = 256 * 1024;

// Defined with the options, which the page's bundle (the explain view) loads without undici.
export { DEFAULT_TIMEOUT_MS } from './options.js';

export interface CheckDispatcherOptions {
  /** Connections per origin. Default 8. */
  readonly connections?: number;
  /**
   * Host names (or `host:port`) to connect to at a fixed address, as curl's `--resolve` (the URL,
   * Host header and TLS name keep the host name), e.g. `{ 'api.example.com': '203.0.113.7' }`.
   * The curl commands of checks sent through this pool carry the same `--resolve`.
   */
  readonly resolve?: ResolveMap;
  /**
   * Send through an HTTP proxy (curl's `--proxy`): its URL, or `'env'` for the `HTTP_PROXY`,
   * `HTTPS_PROXY` and `NO_PROXY` variables (upper or lower case), as curl reads them. The proxy
   * resolves the names, so it cannot be combined with `resolve`.
   */
  readonly proxy?: string;
  /** PEM certificates to trust besides Node's (curl's `--cacert`), and the file they came from. */
  readonly ca?: { readonly pem: string | Buffer; readonly file: string };
  /** Accept any certificate (curl's `-k`), for a development server's self-signed one. */
  readonly insecure?: boolean;
}

/**
 * A keep-alive pool for check runs. Pass one to several `check()` calls (the CLI's batch mode does)
 * to reuse connections; close it when done.
 *
 * @example
 * const dispatcher = createCheckDispatcher();
 * try { await check({ url, origin, dispatcher }); } finally { await dispatcher.close(); }
 */
export function createCheckDispatcher(options: CheckDispatcherOptions = {}): Dispatcher {
  const pins = options.resolve === undefined ? null : new PinnedHosts(options.resolve);
  const tls = {
    ...(options.ca === undefined ? {} : { ca: options.ca.pem }),
    ...(options.insecure === true ? { rejectUnauthorized: false } : {}),
  };
  const pool = {
    keepAliveTimeout: 4_000,
    connections: options.connections ?? 8,
    maxHeaderSize: MAX_HEADER_BYTES,
    // The per-exchange timer below is the real limit; these only stop undici's 300 s defaults.
    headersTimeout: 0,
    bodyTimeout: 0,
  };
  const proxy = proxyFor(options);
  if (proxy !== null && pins !== null) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'resolve',
      '--resolve cannot be used with a proxy: the proxy resolves the names; leave out one of them',
    );
  }
  const dispatcher =
    proxy === null
      ? createAgent({ ...pool, connect: pins === null ? tls : pinnedConnector(pins, tls) })
      : proxyAgent(proxy, pool, tls);
  if (pins !== null) rememberPins(dispatcher, pins);
  rememberCurlFlags(dispatcher, curlFlagsFor(options, proxy));
  return dispatcher;
}

/** The proxy to send through: the option's, the environment's for `'env'`, or none. */
function proxyFor(options: CheckDispatcherOptions): string | 'env' | null {
  if (options.proxy === undefined) return null;
  if (options.proxy !== 'env') return options.proxy;
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
  return names.some((name) => (process.env[name] ?? '') !== '') ? 'env' : null;
}

/** undici's proxy agents live in its full entry point: loaded only when a proxy is asked for. */
function proxyAgent(
  proxy: string,
  pool: Record<string, number>,
  tls: Record<string, unknown>,
): Dispatcher {
  const undici = createRequire(import.meta.url)('undici') as typeof Undici;
  if (proxy === 'env') return new undici.EnvHttpProxyAgent({ ...pool, requestTls: tls });
  return new undici.ProxyAgent({ ...pool, uri: proxy, requestTls: tls });
}

/** What the curl commands must say to go the same way: --proxy, --cacert, -k. */
function curlFlagsFor(options: CheckDispatcherOptions, proxy: string | null): string[] {
  const flags: string[] = [];
  if (proxy !== null && proxy !== 'env') flags.push(`--proxy ${shellQuote(proxy)}`);
  if (options.ca !== undefined) flags.push(`--cacert ${shellQuote(options.ca.file)}`);
  if (options.insecure === true) flags.push('-k');
  return flags;
}

export type ExchangeResult =
  | {
      readonly ok: true;
      readonly response: ReceivedResponse;
      /** The clock (`performance.now()`) when the response was complete: where a next one starts. */
      readonly endedAt: number;
    }
  | { readonly ok: false; readonly error: NetworkError };

/** The header lines a request goes out with: ours, plus what undici writes itself. */
export function wireHeaders(request: SentRequest): HeaderEntry[] {
  const url = new URL(request.url);
  const lines: HeaderEntry[] = [['Host', url.host], ...request.headers];
  const length = request.body === null ? 0 : Buffer.byteLength(request.body, 'utf8');
  // undici sends a Content-Length for a body, and `0` for a bodiless PUT/POST/PATCH (as browsers do).
  if (request.body !== null || ['PUT', 'POST', 'PATCH'].includes(request.method)) {
    lines.push(['Content-Length', String(length)]);
  }
  return lines;
}

/**
 * Sends one request and reads its response head and the start of its body.
 * Never throws: network failures come back as `{ ok: false, error }` with a stable code.
 * `url` is the request's URL already parsed, when the caller has it. When `signal` aborts, the
 * request is cancelled and comes back as a network error; the caller decides what an abort means.
 * `deadline` is when the whole check must be over: the exchange ends as a `TIMEOUT` naming it
 * when it comes before `timeoutMs` does (at once when it has passed).
 *
 * @example
 * const r = await exchange(dispatcher, { method: 'OPTIONS', url, headers: [['Origin', o]], body: null }, 5000);
 * if (r.ok) console.log(r.response.status, r.response.headers);
 */
export function exchange(
  dispatcher: Dispatcher,
  request: SentRequest,
  timeoutMs: number,
  url: URL = new URL(request.url),
  signal?: AbortSignal,
  deadline?: Deadline,
  /** Accept repeated Location, Content-Disposition and Content-Length lines whatever their values. */
  combinesRepeatedHeaders = false,
  /**
   * The clock (`performance.now()`) as the exchange starts, when the caller has just read it (a
   * check's start, or the end of the exchange before): read here otherwise.
   */
  startedAt?: number,
): Promise<ExchangeResult> {
  return new Promise<ExchangeResult>((resolve) => {
    const handler = new ExchangeHandler(
      resolve,
      timeoutMs,
      deadline,
      combinesRepeatedHeaders,
      startedAt ?? performance.now(),
    );
    if (handler.settledAlready) return;
    if (signal) {
      if (signal.aborted) {
        handler.fail(signal.reason);
        return;
      }
      handler.watch(signal);
    }
    try {
      dispatcher.dispatch(PREPARED.get(request) ?? dispatchOptionsOf(request, url), handler);
    } catch (error) {
      handler.fail(error);
    }
  });
}

/**
 * undici's options for requests sent again and again (a check's first hop, the same for every check
 * with the same options): built once, as a client that sends the same request many times would.
 * undici only reads them.
 */
const PREPARED = new WeakMap<SentRequest, Dispatcher.DispatchOptions>();

/** Builds undici's options for `request` (which must not change) once, for every exchange of it. */
export function prepareExchange(request: SentRequest, url: URL = new URL(request.url)): void {
  PREPARED.set(request, dispatchOptionsOf(request, url));
}

function dispatchOptionsOf(request: SentRequest, url: URL): Dispatcher.DispatchOptions {
  return {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: request.method,
    headers: flatHeaders(request.headers),
    body: request.body === null ? null : Buffer.from(request.body, 'utf8'),
  };
}

/**
 * [[name, value], ...] as undici's flat [name, value, name, value, ...]: a flat list keeps
 * duplicates and order (undici writes values as latin1 bytes). A loop, not `Array#flat`, which
 * costs about a microsecond per call in V8.
 */
function flatHeaders(headers: readonly HeaderEntry[]): string[] {
  const out = new Array<string>(headers.length * 2);
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i] as HeaderEntry;
    out[2 * i] = name;
    out[2 * i + 1] = value;
  }
  return out;
}

/**
 * One exchange's state and undici's callbacks, as one object (a check sends one or two of these,
 * and a batch thousands: a class keeps that to one allocation instead of a closure per callback).
 */
class ExchangeHandler implements Dispatcher.DispatchHandler, Waiting {
  expiresAt = 0;
  previous: Waiting | null = null;
  next: Waiting | null = null;
  list: TimeoutList | null = null;
  private settled = false;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private statusText = '';
  private headers: readonly HeaderEntry[] = [];
  private chunks: Buffer[] = [];
  private bytes = 0;
  private truncated = false;
  /** A timer of its own for a deadline that comes before the timeout (timeouts.ts otherwise). */
  private readonly timer: NodeJS.Timeout | undefined;
  private watched: Set<ExchangeHandler> | null = null;
  /** Set when this exchange's own timeout fired: a body cut by it still leaves the response. */
  private timedOut = false;

  constructor(
    private readonly resolve: (result: ExchangeResult) => void,
    private readonly timeoutMs: number,
    deadline: Deadline | undefined,
    private readonly combinesRepeatedHeaders: boolean,
    private readonly started: number,
  ) {
    // One limit, whichever comes first.
    const left = deadline === undefined ? timeoutMs : deadline.at - started;
    if (deadline !== undefined && left <= 0) {
      this.fail(checkDeadlineError(deadline));
    } else if (deadline !== undefined && left < timeoutMs) {
      this.timer = setTimeout(() => this.abort(checkDeadlineError(deadline)), left);
    } else {
      startTimeout(this, timeoutMs, started);
    }
  }

  /** The exchange's own timeout is up (timeouts.ts). */
  expire(): void {
    this.timedOut = true;
    this.abort(exchangeTimeoutError(this.timeoutMs));
  }

  /** Whether the exchange ended before it started (its deadline had passed). */
  get settledAlready(): boolean {
    return this.settled;
  }

  /** Ends the exchange as a network error; `when` says where in the exchange, if not before the head. */
  fail(error: unknown, when?: string): void {
    if (this.settled) return;
    this.finish({ ok: false, error: toNetworkError(error, when) });
  }

  /** Cancels this exchange when `signal` aborts. */
  watch(signal: AbortSignal): void {
    this.watched = inFlightOn(signal);
    this.watched.add(this);
  }

  /** Cancels the request: undici closes the connection, and the exchange ends as a network error. */
  abort(reason: unknown): void {
    if (this.controller) this.controller.abort(reason as Error);
    else this.fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Ended before undici started the request (aborted or timed out while connecting): stop it
    // now rather than let it run to its end unheard.
    if (this.settled) controller.abort(new Error('the exchange already ended'));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    _headers: unknown,
    statusMessage?: string,
  ): void {
    // 1xx informational responses are not the response (fetch.bs "HTTP-network fetch").
    if (statusCode < 200) return;
    const received = receivedLines((controller.rawHeaders ?? []) as RawHeaders);
    const conflict = this.combinesRepeatedHeaders ? null : conflictingHeader(received);
    if (conflict !== null) {
      const error = new Error(`several different ${conflict} headers`);
      (error as Error & { code: string }).code =
        `ERR_RESPONSE_HEADERS_MULTIPLE_${conflict.toUpperCase().replace(/-/g, '_')}`;
      this.fail(error);
      controller.abort(error);
      return;
    }
    this.status = statusCode;
    this.statusText = statusMessage ?? '';
    this.headers = received;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.truncated) return;
    const room = MAX_BODY_BYTES - this.bytes;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.bytes += room;
      this.truncated = true;
      // Enough: the checker never needs more, and an endless body must not hold us.
      this.respond();
      controller.abort(new Error('body limit reached'));
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  onResponseEnd(): void {
    this.respond();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.status === 0) {
      this.fail(error);
    } else if (this.timedOut) {
      // The head arrived and the body is slow: the head is what the browser's CORS check reads
      // (fetch() resolves with it), so the response stands, marked as cut short.
      this.truncated = true;
      this.respond();
    } else {
      // The connection died in the body: fetch() resolved, but reading the body rejects with a
      // network error, so the page never gets the whole response. Not a verdict on CORS.
      this.fail(error, `after the response headers, ${this.bytes} bytes into the body`);
    }
  }

  private respond(): void {
    if (this.settled) return;
    const chunks = this.chunks;
    const endedAt = performance.now();
    this.finish({
      ok: true,
      endedAt,
      response: {
        status: this.status,
        statusText: this.statusText,
        headers: this.headers,
        body: {
          bytes: this.bytes,
          truncated: this.truncated,
          preview:
            chunks.length === 0
              ? ''
              : chunks.length === 1
                ? recentUtf8(chunks[0] as Buffer)
                : Buffer.concat(chunks).toString('utf8'),
        },
        timeMs: Math.round(endedAt - this.started),
      },
    });
  }

  private finish(result: ExchangeResult): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    else stopTimeout(this);
    this.watched?.delete(this);
    this.resolve(result);
  }
}

/**
 * The exchanges in flight under each signal, so that a signal carries one 'abort' listener
 * however many exchanges share it: Node warns past ten listeners on one AbortSignal, and a batch
 * or an audit sharing one signal keeps up to 64 exchanges in flight.
 */
const IN_FLIGHT = new WeakMap<AbortSignal, Set<ExchangeHandler>>();

function inFlightOn(signal: AbortSignal): Set<ExchangeHandler> {
  let handlers = IN_FLIGHT.get(signal);
  if (handlers === undefined) {
    const set = new Set<ExchangeHandler>();
    signal.addEventListener(
      'abort',
      () => {
        for (const handler of [...set]) handler.abort(signal.reason);
      },
      { once: true },
    );
    IN_FLIGHT.set(signal, set);
    handlers = set;
  }
  return handlers;
}

/** The names Chromium refuses several different values of, in the order it looks at them. */
const SINGLE_VALUED = ['location', 'content-disposition', 'content-length'] as const;

/**
 * Chromium refuses a response with several different values of Location, Content-Disposition or
 * Content-Length (net::ERR_RESPONSE_HEADERS_MULTIPLE_*, measured for the first two); identical
 * repeats are accepted. One pass over the lines, whose names mostly differ in length from these.
 */
function conflictingHeader(headers: readonly HeaderEntry[]): string | null {
  // Shared lines of a head seen before (received-lines.ts) are frozen: one without a conflict
  // then has none again.
  if (WITHOUT_CONFLICT.has(headers)) return null;
  const conflict = conflictIn(headers);
  if (conflict === null && Object.isFrozen(headers)) WITHOUT_CONFLICT.add(headers);
  return conflict;
}

/** Frozen lines found without a conflict. */
const WITHOUT_CONFLICT = new WeakSet<readonly HeaderEntry[]>();

function conflictIn(headers: readonly HeaderEntry[]): string | null {
  // The first value of each name, and a bit per name whose values differ: no array per response.
  let location: string | null = null;
  let disposition: string | null = null;
  let length: string | null = null;
  let conflicts = 0;
  for (const [n, v] of headers) {
    const at = singleValuedIndex(n);
    if (at === -1) continue;
    const value = v.trim();
    const first = at === 0 ? location : at === 1 ? disposition : length;
    if (first === null) {
      if (at === 0) location = value;
      else if (at === 1) disposition = value;
      else length = value;
    } else if (value !== first) {
      conflicts |= 1 << at;
    }
  }
  // In SINGLE_VALUED's order, as Chromium looks at them.
  for (let i = 0; i < SINGLE_VALUED.length; i++) {
    if ((conflicts & (1 << i)) !== 0) return SINGLE_VALUED[i] as string;
  }
  return null;
}

/** Which of SINGLE_VALUED `name` is (ASCII case-insensitively), or -1. */
function singleValuedIndex(name: string): number {
  for (let i = 0; i < SINGLE_VALUED.length; i++) {
    const single = SINGLE_VALUED[i] as string;
    if (name.length === single.length && name.toLowerCase() === single) return i;
  }
  return -1;
}

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/**
 * Maps Node and undici errors to the checker's stable network error codes. `when` says where in
 * the exchange it happened, when that was not before the response head (e.g. mid-body).
 */
export function toNetworkError(error: unknown, when?: string): NetworkError {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown };
  const cause = e?.cause as { code?: unknown } | undefined;
  const name =
    typeof (e as { name?: unknown })?.name === 'string' ? (e as { name: string }).name : '';
  // undici's HTTPParserError may carry no code: its name says what it is.
  const raw =
    typeof e?.code === 'string'
      ? e.code
      : typeof cause?.code === 'string'
        ? cause.code
        : name === 'HTTPParserError'
          ? name
          : 'UNKNOWN';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = classify(raw, message);
  // Our own timeouts say which limit was hit, and how to raise it.
  const own = raw === 'CORSPROOF_TIMEOUT' || raw === 'CORSPROOF_DEADLINE';
  const base = own ? message : NETWORK_MESSAGES[code];
  const said = when === undefined ? base : `${base.slice(0, -1)} (${when}).`;
  return { code, message: said, detail: `${raw}: ${message}` };
}

function classify(raw: string, message: string): NetworkErrorCode {
  if (raw === 'ENOTFOUND' || raw === 'EAI_AGAIN' || raw === 'EAI_FAIL' || raw === 'EAI_NONAME') {
    return 'DNS_FAILURE';
  }
  if (raw === 'ECONNREFUSED') return 'CONNECTION_REFUSED';
  if (raw === 'ECONNRESET' || raw === 'EPIPE' || raw === 'UND_ERR_SOCKET')
    return 'CONNECTION_RESET';
  if (
    raw === 'CORSPROOF_TIMEOUT' ||
    raw === 'CORSPROOF_DEADLINE' ||
    raw === 'ETIMEDOUT' ||
    raw === 'UND_ERR_CONNECT_TIMEOUT' ||
    raw === 'UND_ERR_HEADERS_TIMEOUT' ||
    raw === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return 'TIMEOUT';
  }
  if (raw === 'UND_ERR_HEADERS_OVERFLOW' || raw === 'HPE_HEADER_OVERFLOW')
    return 'HEADERS_TOO_LARGE';
  if (TLS_CODE.test(raw) || /\b(TLS|SSL|certificate)\b/i.test(message)) return 'TLS_ERROR';
  if (
    raw.startsWith('HPE_') ||
    raw.startsWith('ERR_RESPONSE_HEADERS_MULTIPLE_') ||
    raw === 'HTTPParserError' ||
    raw === 'UND_ERR_INFO' ||
    raw === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
  ) {
    return 'INVALID_RESPONSE';
  }
  if (raw === 'EHOSTUNREACH' || raw === 'ENETUNREACH') return 'UNREACHABLE';
  return 'NETWORK_ERROR';
}

const NETWORK_MESSAGES: Readonly<Record<NetworkErrorCode, string>> = {
  DNS_FAILURE: 'The host name could not be resolved (DNS).',
  CONNECTION_REFUSED: 'The server refused the connection: nothing listens on that host and port.',
  CONNECTION_RESET: 'The connection was closed or reset before a complete response arrived.',
  TIMEOUT: 'No complete response arrived in time.',
  HEADERS_TOO_LARGE: 'The response headers are larger than a browser accepts (256 KiB).',
  TLS_ERROR: 'The TLS handshake failed (certificate or protocol); a browser would refuse it too.',
  INVALID_RESPONSE: 'The response is not valid HTTP.',
  UNREACHABLE: 'The host or network is unreachable.',
  NETWORK_ERROR: 'The request failed at the network level.',
};
