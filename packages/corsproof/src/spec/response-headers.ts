/**
 * Reading headers from a received response's header list, as the Fetch standard reads them.
 */
import { asciiLowercase, trimHttpWhitespace } from './http-grammar.js';
import type { HeaderEntry } from './request-headers.js';

/** A response's header list: one entry per header line, in the order received. */
export type HeaderList = readonly HeaderEntry[];

/**
 * https://fetch.spec.whatwg.org/#concept-header-list-get — every value of `name` (case-insensitive),
 * each normalized (HTTP whitespace trimmed), joined with ", "; null when the header is absent.
 */
export function getHeader(list: HeaderList, name: string): string | null {
  const lower = asciiLowercase(name);
  let out: string | null = null;
  for (const [n, v] of list) {
    if (!sameName(n, lower)) continue;
    const value = trimHttpWhitespace(v);
    out = out === null ? value : `${out}, ${value}`;
  }
  return out;
}

/**
 * Whether header name `n` is `lower` (already lower-case), ignoring ASCII case. The length check
 * first keeps the common miss free of allocation: this runs for every header line of every
 * response the checker reads, several times over.
 */
function sameName(n: string, lower: string): boolean {
  return n === lower || (n.length === lower.length && asciiLowercase(n) === lower);
}

/** How many header lines named `name` the list has. */
export function countHeader(list: HeaderList, name: string): number {
  const lower = asciiLowercase(name);
  let count = 0;
  for (const [n] of list) if (sameName(n, lower)) count++;
  return count;
}
