/**
 * Parsing of the comma-separated token lists the CORS headers carry: Access-Control-Request-Headers,
 * Access-Control-Allow-Methods, Access-Control-Allow-Headers and Access-Control-Expose-Headers.
 *
 * https://fetch.spec.whatwg.org/#extract-header-list-values — a header that appears on several lines
 * is first combined with ", " (which Node's `IncomingMessage#headers` and undici already do), then
 * split on commas; each element has its HTTP tab or space trimmed and empty elements are dropped
 * (the `#rule` of RFC 9110 §5.6.1). Every remaining element must be a token: one that is not makes
 * the whole list a failure, exactly as browsers fail the preflight, never a best guess.
 *
 * The parse is a single left-to-right pass with no regular expression, so its cost is linear in the
 * input; callers on the server side also cap the length and the element count (empty elements
 * included, so a value of bare commas stops early) so an attacker cannot make one request
 * expensive.
 */
import { isHttpTabOrSpace, isTokenChar } from './http-grammar.js';

export interface ListLimits {
  /** Longest value accepted, in UTF-16 code units; longer values fail before any scanning. */
  readonly maxLength: number;
  /** Most elements accepted. */
  readonly maxItems: number;
  /**
   * Most elements scanned, empty ones included, before giving up as `too-many-items`. Empty
   * elements are dropped, so without this a value of bare commas is scanned to its end for
   * nothing; with it, the work a value costs is bounded by its elements, not by its length.
   * Default: no limit.
   */
  readonly maxElements?: number;
}

/** No limit: what a browser applies to a response it already received. */
export const UNLIMITED: ListLimits = Object.freeze({
  maxLength: Number.POSITIVE_INFINITY,
  maxItems: Number.POSITIVE_INFINITY,
});

export type ListProblem = 'too-long' | 'too-many-items' | 'invalid-token';

export type TokenListResult =
  | { readonly ok: true; readonly items: string[] }
  | {
      readonly ok: false;
      readonly problem: ListProblem;
      /** The offending element, for `invalid-token`. */
      readonly element?: string;
    };

/**
 * Splits a header value into its token elements.
 *
 * @example
 * parseTokenList('X-A, x-b,,  ') // { ok: true, items: ['X-A', 'x-b'] }
 * parseTokenList('x-a, bad header') // { ok: false, problem: 'invalid-token', element: 'bad header' }
 */
export function parseTokenList(value: string, limits: ListLimits = UNLIMITED): TokenListResult {
  if (value.length > limits.maxLength) return { ok: false, problem: 'too-long' };
  const items: string[] = [];
  const n = value.length;
  const maxElements = limits.maxElements ?? Number.POSITIVE_INFINITY;
  let elements = 0;
  let i = 0;
  while (i <= n) {
    if (++elements > maxElements) return { ok: false, problem: 'too-many-items' };
    // Skip leading optional whitespace of this element.
    while (i < n && isHttpTabOrSpace(value.charCodeAt(i))) i++;
    const start = i;
    let end = i;
    let valid = true;
    while (i < n) {
      const c = value.charCodeAt(i);
      if (c === 0x2c) break;
      if (!isHttpTabOrSpace(c)) {
        // Whitespace may only pad an element; a character after it (end < i) means a space inside.
        if (!isTokenChar(c) || end < i) valid = false;
        end = i + 1;
      }
      i++;
    }
    if (end > start) {
      if (!valid) return { ok: false, problem: 'invalid-token', element: value.slice(start, end) };
      if (items.length >= limits.maxItems) return { ok: false, problem: 'too-many-items' };
      items.push(value.slice(start, end));
    }
    i++; // past the comma (or past the end)
  }
  return { ok: true, items };
}
