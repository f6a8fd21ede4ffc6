/**
 * A host name both browsers and the checker are told resolves to 127.0.0.1. Unlike `127.0.0.1` and
 * `localhost`, an http URL on it is not potentially trustworthy (a name is judged by its spelling,
 * not its address), which is what decides whether Sec-Fetch-* and client hints are sent. The
 * servers still listen on loopback only.
 */
export const UNTRUSTED_HOST = 'api.corsproof.test';

/** `base` (an http://127.0.0.1:<port> URL) on the untrusted host, same port. */
export function onUntrustedHost(base: string): string {
  const url = new URL(base);
  url.hostname = UNTRUSTED_HOST;
  return url.href.replace(/\/$/, '');
}
