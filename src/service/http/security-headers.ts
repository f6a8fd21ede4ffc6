/**
 * Security headers on every response of the service, pages and API alike, set by `@fastify/helmet`
 * in `onRequest` (so a response that ends early, a 401, a 429 or an event stream, has them too):
 * the page loads only its own files (no inline script, so an injected `<script>` does nothing),
 * cannot be framed (clickjacking), is not MIME-sniffed, leaks no Referer to the sites it links to,
 * and gets helmet's other defaults (its own browsing-context group, no cross-origin embedding of
 * its responses, no legacy cross-domain policies).
 */
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * `default-src 'self'` with no `'unsafe-inline'` anywhere: the built page must load its script and
 * styles from files (Vite does). `data:` images allow inlined icons. `frame-ancestors 'none'` is
 * the CSP form of `X-Frame-Options: DENY`, which older browsers still need.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** What helmet is told: our policy in place of its defaults, where they differ. */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  // Only these directives: helmet's defaults would allow inline styles and https: fonts.
  contentSecurityPolicy: {
    useDefaults: false,
    directives: Object.fromEntries(
      Object.entries(CSP_DIRECTIVES).map(([name, values]) => [name, [...values]]),
    ),
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // HSTS belongs to the TLS proxy in front (the service speaks plain HTTP): helmet's default,
  // with includeSubDomains, would bind every sibling host of the service's name for a year.
  strictTransportSecurity: false,
};

/** Adds the security headers to every response. */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, HELMET_OPTIONS);
}
