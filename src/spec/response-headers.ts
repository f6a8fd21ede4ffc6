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
    if (asciiLowercase(n) !== lower) continue;
    const value = trimHttpWhitespace(v);
    out = out === null ? value : `${out}, ${value}`;
  }
  return out;
}

/** How many header lines named `name` the list has. */
export function countHeader(list: HeaderList, name: string): number {
  const lower = asciiLowercase(name);
  let count = 0;
  for (const [n] of list) if (asciiLowercase(n) === lower) count++;
  return count;
}
