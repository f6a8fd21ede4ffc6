/**
 * What to do when the service could not look: one sentence per failure code of the checker's
 * network errors and of the service's task failures. A page that says "could not look" must also
 * say how to get a look.
 */

const ADVICE: Readonly<Record<string, string>> = {
  DNS_FAILURE: 'Check the host name’s spelling, and that it resolves in public DNS.',
  CONNECTION_REFUSED:
    'Nothing accepts connections at that host and port: start the server, or fix the port in the URL.',
  CONNECTION_RESET:
    'The server dropped the connection: check that it speaks HTTP(S) on that port, and its logs.',
  TIMEOUT:
    'No answer in time: check that the server is up and reachable from this service, or raise the timeout.',
  HEADERS_TOO_LARGE: 'The response headers are larger than a browser accepts: trim them.',
  TLS_ERROR:
    'The TLS handshake failed: check the certificate (expired, wrong name, self-signed), or use the http: URL if that is what the page calls.',
  INVALID_RESPONSE: 'The answer was not valid HTTP: check what listens on that port.',
  UNREACHABLE:
    'This service may not reach that address (private and loopback targets are refused unless the server allows them): use a public URL, or run the CLI where the target is.',
  NETWORK_ERROR: 'Check that the URL is reachable from this service, then run it again.',
  DEADLINE:
    'The run took longer than this service allows: check the target’s speed, then run it again.',
  INVALID_INPUT: 'Fix the input named in the message, then run it again.',
  CREDENTIALS_LOST:
    'The credentials this run needed could not be read back: submit it again with its credentials.',
  INTERNAL: 'The service failed: run it again; if it persists, the server log has the details.',
};

/** What to do about a failure with `code`; a general sentence for codes this page does not know. */
export function adviceFor(code: string): string {
  return ADVICE[code] ?? 'Check that the URL is reachable from this service, then run it again.';
}
