/**
 * curl commands that reproduce a step: same method, URL, headers (in order) and body, no redirect
 * following (curl's default, and what the checker does), response headers printed.
 */
import { portOf } from './gates.js';
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
  let out = PREFIX;
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

const PREFIX = 'curl -sS -i';

/**
 * A `curlCommand` that connects to `address` for the URL's host and port, as curl's `--resolve`
 * (an IPv6 address in brackets, as curl writes it).
 *
 * @example
 * withCurlResolve(curlCommand(request), new URL('https://api.example/x'), '203.0.113.7')
 * // curl -sS -i --resolve api.example:443:203.0.113.7 https://api.example/x ...
 */
export function withCurlResolve(command: string, url: URL, address: string): string {
  const port = portOf(url);
  const to = address.includes(':') ? `[${address}]` : address;
  return `${PREFIX} --resolve ${shellQuote(`${url.hostname}:${port}:${to}`)}${command.slice(PREFIX.length)}`;
}

/**
 * A `curlCommand` with flags that make curl go the way the check went: `--proxy`, `--cacert`, `-k`.
 *
 * @example
 * withCurlFlags(curlCommand(request), ['-k'])
 * // curl -sS -i -k https://localhost:8443/x ...
 */
export function withCurlFlags(command: string, flags: readonly string[]): string {
  if (flags.length === 0) return command;
  return `${PREFIX} ${flags.join(' ')}${command.slice(PREFIX.length)}`;
}
