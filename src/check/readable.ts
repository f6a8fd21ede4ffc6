/**
 * What script can read of a response: https://fetch.spec.whatwg.org/#concept-filtered-response-cors
 * (the CORS-safelisted response-header names plus those Access-Control-Expose-Headers lists, `*`
 * meaning all of them only without credentials), and all but Set-Cookie for a same-origin one.
 */
import { ACEH } from '../spec/header-names.js';
import { asciiLowercase } from '../spec/http-grammar.js';
import {
  isForbiddenResponseHeaderName,
  readableResponseHeaderNames,
} from '../spec/request-headers.js';
import { getHeader, type HeaderList } from '../spec/response-headers.js';
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
  const names = [...new Set(input.headers.map(([n]) => asciiLowercase(n)))];
  const readableHeaders = input.cors
    ? readableResponseHeaderNames(names, getHeader(input.headers, ACEH), input.credentialsInclude)
    : names.filter((n) => !isForbiddenResponseHeaderName(n));
  const visible = new Set(readableHeaders);
  return {
    url: input.url.href,
    status: input.status,
    redirected: input.hop > 0,
    readableHeaders,
    hiddenHeaders: names.filter((n) => !visible.has(n)),
  };
}
