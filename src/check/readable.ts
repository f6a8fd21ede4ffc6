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
    ? corsExposedHeaderNames(getHeader(input.headers, ACEH), input.credentialsInclude)
    : '*';
  // Each name once, lower-cased, in the order first received.
  const seen = new Set<string>();
  const readableHeaders: string[] = [];
  const hiddenHeaders: string[] = [];
  for (const [raw] of input.headers) {
    const name = asciiLowercase(raw);
    if (seen.has(name)) continue;
    seen.add(name);
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
