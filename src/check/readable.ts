/**
 * What script can read of a response: https://fetch.spec.whatwg.org/#concept-filtered-response-cors
 * (the CORS-safelisted response-header names plus those Access-Control-Expose-Headers lists, `*`
 * meaning all of them only without credentials), and all but Set-Cookie for a same-origin one.
 */
import {
  ACEH,
  asciiLowercase,
  corsExposedHeaderNames,
  getHeader,
  type HeaderList,
  isCorsReadable,
} from 'corsproof/spec';
import type { ReadableResponse } from './result.js';

export interface ReadableInput {
  readonly headers: HeaderList;
  readonly url: URL;
  readonly status: number;
  /** Redirects followed to get here. */
  readonly hop: number;
  /** Whether the response is a CORS one (cross-origin somewhere along the way). */
  readonly cors: boolean;
  readonly credentialsInclude: boolean;
}

export function readableResponse(input: ReadableInput): ReadableResponse {
  const exposed = input.cors
    ? exposedNames(getHeader(input.headers, ACEH), input.credentialsInclude)
    : '*';
  // Each name once, lower-cased, in the order first received. A response has a dozen names or
  // so: looking in the two lists costs less than a Set, which a long list still gets.
  const seen = input.headers.length > LONG_LIST ? new Set<string>() : null;
  const readableHeaders: string[] = [];
  const hiddenHeaders: string[] = [];
  for (const [raw] of input.headers) {
    const name = asciiLowercase(raw);
    if (seen === null) {
      if (readableHeaders.includes(name) || hiddenHeaders.includes(name)) continue;
    } else {
      if (seen.has(name)) continue;
      seen.add(name);
    }
    // A same-origin response hides only Set-Cookie; `'*'` says just that.
    if (isCorsReadable(name, exposed)) readableHeaders.push(name);
    else hiddenHeaders.push(name);
  }
  return {
    url: input.url.href,
    status: input.status,
    redirected: input.hop > 0,
    readableHeaders,
    hiddenHeaders,
  };
}

/** Header lines past which the names seen are kept in a Set. */
const LONG_LIST = 32;

/**
 * The names Access-Control-Expose-Headers exposes, by its value: a server sends the same value
 * every time, so it is parsed once. Only read, never handed out, so one Set serves every response.
 */
const EXPOSED = new Map<string, ReadonlySet<string> | '*'>();
const EXPOSED_CAPACITY = 64;

function exposedNames(
  value: string | null,
  credentialsInclude: boolean,
): ReadonlySet<string> | '*' {
  const key = `${credentialsInclude ? 'include' : 'other'}${value === null ? '' : `:${value}`}`;
  let names = EXPOSED.get(key);
  if (names === undefined) {
    names = corsExposedHeaderNames(value, credentialsInclude);
    if (EXPOSED.size >= EXPOSED_CAPACITY) EXPOSED.clear();
    EXPOSED.set(key, names);
  }
  return names;
}
