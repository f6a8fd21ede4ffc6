/**
 * Request methods. https://fetch.spec.whatwg.org/#methods
 */
import { asciiUppercase, isToken } from './http-grammar.js';

/** https://fetch.spec.whatwg.org/#cors-safelisted-method — compared byte-for-byte, after normalization. */
export function isSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/**
 * https://fetch.spec.whatwg.org/#forbidden-method — a byte-case-insensitive match for CONNECT,
 * TRACE or TRACK. `fetch()` throws a TypeError for these; a server never sees them from a browser.
 */
export function isForbiddenMethod(method: string): boolean {
  if (method.length !== 5 && method.length !== 7) return false;
  const upper = method.toUpperCase();
  return upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK';
}

/** Whether `method` has the grammar of a method: a token. https://fetch.spec.whatwg.org/#concept-method */
export function isMethod(method: string): boolean {
  return isToken(method);
}

// Pure: a bundler may drop the table from a bundle that never normalizes a method (a Worker's).
const NORMALIZED = /* @__PURE__ */ new Map<string, string>(
  ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].map((m) => [m, m]),
);

/**
 * https://fetch.spec.whatwg.org/#concept-method-normalize
 * Only the six standard methods are upper-cased; any other method, `patch` included, stays as written,
 * which is why `fetch(url, { method: 'patch' })` fails a preflight that allows `PATCH`.
 */
export function normalizeMethod(method: string): string {
  if (method.length > 7) return method;
  // "byte-case-insensitive match ... byte-uppercase": ASCII only. String#toUpperCase would turn
  // `poſt` (U+017F) or `poﬆ` (U+FB06) into `POST`.
  return NORMALIZED.get(asciiUppercase(method)) ?? method;
}
