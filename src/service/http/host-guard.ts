/**
 * DNS-rebinding defence for a service bound to loopback: a hostile page can point its own name at
 * 127.0.0.1 and then call this API "same-origin", driving checks of the developer's private
 * network. Its requests carry the hostile name in `Host`, so only loopback names are accepted.
 */

import { isLoopbackHost, parseHost } from 'corsproof/spec';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/**
 * The names a browser usually uses for this machine's loopback. Every loopback host is accepted
 * whether listed or not (`isLoopbackHost`: 127.0.0.0/8, [::1], `localhost`, `*.localhost`): a
 * browser sends one only when it is talking to this machine, never for a name a page controls.
 */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Refuses requests whose `Host` name (port aside) is neither in `hostnames` nor a loopback host,
 * both compared as the URL parser serializes hosts (`LOCALHOST` is `localhost`, `127.1` is
 * `127.0.0.1`).
 */
export function installHostGuard(app: FastifyInstance, hostnames: readonly string[]): void {
  const allowed = new Set(hostnames.map((h) => parseHost(h) ?? h));
  app.addHook('onRequest', async (request) => {
    const host = parseHost(request.hostname);
    if (host === null || (!allowed.has(host) && !isLoopbackHost(host))) {
      throw new ApiError(
        421,
        'misdirected-request',
        `this server answers only to ${[...allowed].join(', ')} and other loopback hosts, not ${JSON.stringify(request.hostname)}`,
      );
    }
  });
}
