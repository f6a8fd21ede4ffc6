/**
 * Just enough of the MIME Sniffing standard to decide whether a Content-Type is CORS-safelisted.
 * https://mimesniff.spec.whatwg.org/#parse-a-mime-type
 */
import { isTokenChar, trimHttpWhitespace } from './http-grammar.js';

function isTokenRange(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

/**
 * The essence (`type/subtype`, lower-cased) of a MIME type string, or null when "parse a MIME type"
 * returns failure. Parameters never make the parse fail, so they are skipped, not parsed.
 */
export function mimeEssence(input: string): string | null {
  // 1. Remove any leading and trailing HTTP whitespace from input.
  const s = trimHttpWhitespace(input);
  // 3-4. Collect the type up to "/"; it must be non-empty and only HTTP token code points.
  const slash = s.indexOf('/');
  if (slash === -1 || !isTokenRange(s, 0, slash)) return null;
  // 7-9. Collect the subtype up to ";", remove trailing HTTP whitespace; non-empty token.
  let end = s.indexOf(';', slash + 1);
  if (end === -1) end = s.length;
  while (end > slash + 1 && /[\t\n\r ]/.test(s.charAt(end - 1))) end--;
  if (!isTokenRange(s, slash + 1, end)) return null;
  return `${s.slice(0, slash)}/${s.slice(slash + 1, end)}`.toLowerCase();
}
