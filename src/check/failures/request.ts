/**
 * Failures that are not about CORS headers but still make fetch() reject: the redirects a browser
 * refuses to follow (https://fetch.spec.whatwg.org/#http-redirect-fetch), and the gates of main
 * fetch that stop a request before it is sent (bad ports, mixed content).
 */
import { plainFix } from '../fixes.js';
import type { RequestFailureCode } from '../result.js';
import type { FailureContext, FailureTable } from './detail.js';
import { chromiumBlocked, firefoxBlocked, webkitCannotLoad } from './wording.js';

/** Firefox calls a redirect it refuses a request that "did not succeed", named by the URL that redirected. */
function firefoxDidNotSucceed(_: unknown, ctx: FailureContext): string {
  return `${firefoxBlocked(ctx.url)}CORS request did not succeed). Status code: (null).`;
}

function chromiumUnsafePort(): string {
  return 'Failed to load resource: net::ERR_UNSAFE_PORT';
}

/** WebKit's refusal of a redirect (`validateCrossOriginRedirectionURL`), named by its target. */
function webkitRedirectDenied(reason: string) {
  return (detail: { readonly location: string }): string =>
    `Cross-origin redirection to ${detail.location} denied by Cross-Origin Resource Sharing policy: ${reason}`;
}

function chromiumMixedContent(detail: { readonly url: string }, ctx: FailureContext): string {
  return `Mixed Content: The page at '${ctx.pageOrigin}/' was loaded over HTTPS, but requested an insecure resource '${detail.url}'. This request has been blocked; the content must be served over HTTPS.`;
}

export const REQUEST_FAILURES: FailureTable<RequestFailureCode> = {
  RedirectContainsCredentials: {
    // Chromium 156 prints the location as '' (measured); kept verbatim so it matches the console.
    chromium: (_, ctx) =>
      `${chromiumBlocked(ctx)}Redirect location '' contains a username and password, which is disallowed for cross-origin requests.`,
    firefox: firefoxDidNotSucceed,
    webkit: (detail) =>
      webkitRedirectDenied(`redirection URL ${detail.location} has credentials`)(detail),
    explain: (detail) =>
      `A redirect pointed to ${JSON.stringify(detail.location)}, which contains a user name or password; browsers refuse to follow such a redirect in a cross-origin request.`,
    fix: () =>
      plainFix(
        'Redirect to a URL without a user name or password; send credentials in a header instead.',
        'server',
      ),
  },
  CorsDisabledScheme: {
    // Reported against the redirect target, one hop on.
    chromium: (detail, ctx) =>
      `${chromiumBlocked(ctx, detail.location, ctx.hop + 1)}Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.`,
    firefox: firefoxDidNotSucceed,
    webkit: webkitRedirectDenied(
      'not allowed to follow a cross-origin CORS redirection with non CORS scheme',
    ),
    explain: (detail) =>
      `A redirect pointed to ${JSON.stringify(detail.location)}, which is not an http(s) URL; CORS requests can only go to http and https.`,
    fix: () => plainFix('Redirect to an http or https URL.', 'server'),
  },
  UnsafeRedirect: {
    chromium: () => 'Failed to load resource: net::ERR_UNSAFE_REDIRECT',
    firefox: firefoxDidNotSucceed,
    webkit: webkitRedirectDenied(
      'not allowed to follow a cross-origin CORS redirection with non CORS scheme',
    ),
    explain: (detail) =>
      `A redirect pointed to ${JSON.stringify(detail.location)}; browsers never follow a redirect to a data:, file:, about:, blob: or filesystem: URL.`,
    fix: () => plainFix('Redirect to an http or https URL.', 'server'),
  },
  InvalidRedirect: {
    chromium: () => 'Failed to load resource: net::ERR_INVALID_REDIRECT',
    firefox: firefoxDidNotSucceed,
    webkit: webkitCannotLoad,
    explain: (detail) =>
      `A redirect's Location (${JSON.stringify(detail.location)}) is not a valid URL.`,
    fix: () => plainFix('Send one Location header holding a valid URL.', 'server'),
  },
  TooManyRedirects: {
    chromium: () => 'Failed to load resource: net::ERR_TOO_MANY_REDIRECTS',
    firefox: firefoxDidNotSucceed,
    webkit: webkitCannotLoad,
    explain: (detail) =>
      `The request was redirected more than ${detail.limit} times; browsers give up after 20.`,
    fix: () =>
      plainFix(
        'Break the redirect loop (or shorten the chain) and call the final URL directly.',
        'server',
      ),
  },
  // Firefox prints no CORS line for the two gates (measured for a bad port); Chromium's is the
  // closest. WebKit names the port (its `portAllowed` refusal).
  UnsafePort: {
    chromium: chromiumUnsafePort,
    firefox: chromiumUnsafePort,
    webkit: () => 'Not allowed to use restricted network port',
    explain: (detail) =>
      `${detail.url} uses a port browsers refuse to connect to (the Fetch standard's "bad port" list, e.g. 6000, 6667, 10080).`,
    fix: () =>
      plainFix('Serve the API on a port browsers allow (443, 80, 8080, 3000...).', 'server'),
  },
  MixedContent: {
    chromium: chromiumMixedContent,
    firefox: chromiumMixedContent,
    webkit: chromiumMixedContent,
    explain: (detail) =>
      `The page is served over https but ${detail.url} is plain http; browsers block such "mixed content" requests before they are sent.`,
    fix: () =>
      plainFix(
        'Serve the API over https (an https page may only call https URLs, or loopback).',
        'server',
      ),
  },
};
