/**
 * curl commands that reproduce a step: same method, URL, headers (in order) and body, no redirect
 * following (curl's default, and what the checker does), response headers printed.
 */
import type { SentRequest } from './result.js';

/** Quotes for a POSIX shell: everything inside single quotes, `'` written as `'\''`. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
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
  const parts: string[] = ['curl -sS -i'];
  if (request.method === 'HEAD') parts.push('--head');
  else if (request.method !== 'GET' || request.body !== null) {
    parts.push(`-X ${shellQuote(request.method)}`);
  }
  parts.push(shellQuote(request.url));
  const lines = request.headers.map(([name, value]) =>
    // `Name;` is curl's way to send a header with an empty value.
    value === '' ? `-H ${shellQuote(`${name};`)}` : `-H ${shellQuote(`${name}: ${value}`)}`,
  );
  if (request.body !== null) lines.push(`--data-binary ${shellQuote(request.body)}`);
  return [parts.join(' '), ...lines].join(' \\\n  ');
}
