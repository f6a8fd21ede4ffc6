/**
 * curl commands that reproduce a step: same method, URL, headers (in order) and body, no redirect
 * following (curl's default, and what the checker does), response headers printed.
 */
import type { SentRequest } from './result.js';

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const LINE_BREAK = ' \\\n  ';

/** Quotes for a POSIX shell: everything inside single quotes, `'` written as `'\''`. */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) return value;
  return singleQuoted(value);
}

function singleQuoted(value: string): string {
  return value.includes("'") ? `'${value.replace(/'/g, `'\\''`)}'` : `'${value}'`;
}

/**
 * @example
 * curlCommand({ method: 'OPTIONS', url: 'https://api.example/x', body: null,
 *   headers: [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'PUT']] })
 * // curl -sS -i -X OPTIONS https://api.example/x \
 * //   -H 'Origin: https://app.example' \
 * //   -H 'Access-Control-Request-Method: PUT'
 */
export function curlCommand(request: SentRequest): string {
  // Built by concatenation: the checker writes one command per request it sends.
  let out = 'curl -sS -i';
  if (request.method === 'HEAD') out += ' --head';
  else if (request.method !== 'GET' || request.body !== null) {
    out += ` -X ${shellQuote(request.method)}`;
  }
  out += ` ${shellQuote(request.url)}`;
  for (const [name, value] of request.headers) {
    // A header line always holds a space or `;`, so it is always quoted. `Name;` is curl's way to
    // send a header with an empty value.
    out += `${LINE_BREAK}-H ${singleQuoted(value === '' ? `${name};` : `${name}: ${value}`)}`;
  }
  if (request.body !== null) out += `${LINE_BREAK}--data-binary ${shellQuote(request.body)}`;
  return out;
}
