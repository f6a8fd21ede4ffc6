/**
 * Reading a HAR 1.2 file (http://www.softwareishard.com/blog/har-12-spec/) as the browsers' developer
 * tools export it, into the few facts explain needs per entry. Only what CORS turns on is kept;
 * everything else of the file (bodies, timings, cookies) is dropped here.
 *
 * What differs between exports (measured on the fixtures in test/fixtures/har/):
 * - Chromium (DevTools): a preflight is an entry of its own (`_initiator.type: "preflight"`); a
 *   response the CORS check refused keeps its status and headers and has `_error: "net::ERR_FAILED"`;
 *   a request that a failed preflight stopped has status 0, no response headers and only the
 *   provisional request headers (no Origin).
 * - Firefox: a refused response is recorded as received (status, headers, no error); a refused
 *   preflight and the request it stopped are both status 0 with `NS_ERROR_DOM_BAD_URI` and no
 *   response headers.
 */
import type { HeaderEntry } from 'corsproof/spec';

/** One HAR entry, as explain reads it. */
export interface HarEntry {
  /** Position in the file's `entries`, from 0. */
  readonly index: number;
  /** Milliseconds since the epoch (`startedDateTime`); NaN when the file has none. */
  readonly started: number;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: readonly HeaderEntry[];
  /** 0 when the browser recorded no response. */
  readonly status: number;
  readonly responseHeaders: readonly HeaderEntry[];
  /** The browser's error for the entry (`_error`), or null. */
  readonly error: string | null;
  /** DevTools' `_initiator.type` (`script`, `preflight`, ...), or null. */
  readonly initiator: string | null;
  /** DevTools' `_resourceType` (`fetch`, `xhr`, `script`, ...), or null. */
  readonly resourceType: string | null;
  /** The entry's page (`pageref`), or null. */
  readonly pageref: string | null;
}

export interface HarFile {
  /** The exporting tool, as `log.creator.name` says (`WebInspector`, `Firefox`, ...). */
  readonly creator: string;
  /** `log.browser.name`, when the file has it. */
  readonly browser: string | null;
  /** Page id -> the page's URL (`title`, which DevTools sets to the URL). */
  readonly pages: ReadonlyMap<string, string>;
  readonly entries: readonly HarEntry[];
}

/** A file that is not a HAR explain can read; the message names the problem and the fix. */
export class HarError extends Error {
  override readonly name = 'HarError';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function headersOf(value: unknown, where: string): HeaderEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new HarError(`${where}.headers is not a list`);
  return value.filter(isObject).map((h) => [text(h.name), text(h.value)] as const);
}

function entryOf(value: unknown, index: number): HarEntry {
  const where = `log.entries[${index}]`;
  if (!isObject(value) || !isObject(value.request)) {
    throw new HarError(`${where} has no request object`);
  }
  const request = value.request;
  const response = isObject(value.response) ? value.response : {};
  const initiator = isObject(value._initiator) ? text(value._initiator.type) || null : null;
  const error = text(response._error) || text(value._error) || null;
  return {
    index,
    started: Date.parse(text(value.startedDateTime)),
    method: text(request.method).toUpperCase() === 'OPTIONS' ? 'OPTIONS' : text(request.method),
    url: text(request.url),
    requestHeaders: headersOf(request.headers, `${where}.request`),
    status: typeof response.status === 'number' ? response.status : 0,
    responseHeaders: headersOf(response.headers, `${where}.response`),
    error,
    initiator,
    resourceType: text(value._resourceType) || null,
    pageref: text(value.pageref) || null,
  };
}

/**
 * Reads a HAR from its text (or already parsed JSON).
 *
 * @example
 * const har = readHar(await readFile('session.har', 'utf8'));
 * har.entries.filter((e) => e.method === 'OPTIONS');
 */
export function readHar(input: string | unknown): HarFile {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new HarError(
        `not JSON (${(error as Error).message}); export the HAR with "Save all as HAR" (Chromium) or "Save All As HAR" (Firefox) in the Network panel`,
      );
    }
  }
  if (!isObject(json) || !isObject(json.log)) {
    throw new HarError(
      'no "log" object: this is not a HAR file; export one from the Network panel of the developer tools',
    );
  }
  const log = json.log;
  if (!Array.isArray(log.entries)) throw new HarError('log.entries is not a list');
  const pages = new Map<string, string>();
  if (Array.isArray(log.pages)) {
    for (const page of log.pages.filter(isObject)) pages.set(text(page.id), text(page.title));
  }
  return {
    creator: isObject(log.creator) ? text(log.creator.name) : '',
    browser: isObject(log.browser) ? text(log.browser.name) || null : null,
    pages,
    entries: log.entries.map(entryOf),
  };
}

/** The first value of header `name` (case-insensitive), or null. */
export function headerValue(headers: readonly HeaderEntry[], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null;
}
