/**
 * Merging `Vary` values. https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5
 * A response's Vary lists the request headers its content depends on; a cache that ignores one
 * serves one origin's CORS headers to another. Values are merged, never replaced, and never taken
 * from the request.
 */
import { asciiLowercase } from './http-grammar.js';

/**
 * Adds the field names of `add` (a comma-separated list) to an existing Vary value, keeping the
 * existing names and order and skipping names already present (case-insensitively). `*` already
 * varies on everything, so it absorbs any addition.
 *
 * @example
 * mergeVary('Accept-Encoding', 'Origin') // 'Accept-Encoding, Origin'
 * mergeVary('origin', 'Origin')          // 'origin'
 * mergeVary(undefined, 'Origin')         // 'Origin'
 */
export function mergeVary(existing: string | readonly string[] | undefined, add: string): string {
  const current = typeof existing === 'string' ? existing : existing?.join(', ');
  if (current === undefined || current.trim() === '') return add;
  if (current === add) return current;
  const present = new Set<string>();
  for (const part of current.split(',')) {
    const name = asciiLowercase(part.trim());
    if (name === '*') return '*';
    if (name !== '') present.add(name);
  }
  let out = current;
  for (const part of add.split(',')) {
    const name = part.trim();
    if (name === '' || present.has(asciiLowercase(name))) continue;
    present.add(asciiLowercase(name));
    out = `${out}, ${name}`;
  }
  return out;
}
