/**
 * The real webhook transport: a POST through the same SSRF guard as checks (a webhook URL is a
 * request the service makes on a client's behalf), no redirects followed, 10 s at most.
 */
import { type Dispatcher, fetch } from 'undici';
import { createGuardedDispatcher } from '../guard/index.js';
import { createLoopbackRoutingDispatcher } from '../guard/loopback-dispatcher.js';
import type { PrivateTargets } from '../guard/target-policy.js';
import type { WebhookSend } from './webhooks.js';

export function createWebhookTransport(privateTargets: PrivateTargets): WebhookSend {
  const dispatcher: Dispatcher =
    privateTargets === 'loopback'
      ? createLoopbackRoutingDispatcher({})
      : createGuardedDispatcher({ allowPrivateTargets: privateTargets === 'private' });
  return async (url, headers, body) => {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      dispatcher,
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.status;
  };
}
