/**
 * DNS-rebinding defence for a service bound to loopback: a hostile page can point its own name at
 * 127.0.0.1 and then call this API "same-origin", driving checks of the developer's private
 * network. Its requests carry the hostile name in `Host`, so only loopback names are accepted.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/** The names a browser uses for this machine's loopback. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** Refuses requests whose `Host` name (port aside) is not in `hostnames` (compared lower-case). */
export function installHostGuard(app: FastifyInstance, hostnames: readonly string[]): void {
  const allowed = new Set(hostnames.map((h) => h.toLowerCase()));
  app.addHook('onRequest', async (request) => {
    const hostname = request.hostname.toLowerCase();
    if (!allowed.has(hostname) && !hostname.endsWith('.localhost')) {
      throw new ApiError(
        421,
        'misdirected-request',
        `this server answers only to ${[...allowed].join(', ')}, not ${JSON.stringify(hostname)}`,
      );
    }
  });
}
