/**
 * The dispatcher of `--demo` mode: requests to loopback hosts go through a guard that allows
 * loopback addresses, every other request through the strict guard. The choice is made per
 * dispatch, that is per hop, so a loopback target that redirects to 10.0.0.1 or to a name that
 * resolves to a private address is still refused by the strict guard.
 *
 * `localhost` and `*.localhost` are loopback names only by convention (RFC 6761 section 6.3):
 * `/etc/hosts` or a resolver may answer anything for them. So the routing by name only picks the
 * guard; that guard then decides by the addresses the name resolves to, and connects only when
 * every one is loopback (or public, which the strict guard would allow anyway).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isLoopbackHost } from 'corsproof/spec';
import { Dispatcher } from 'undici';
import { classifyAddress } from './address-policy.js';
import { createGuardedDispatcher, type GuardedDispatcherOptions } from './dispatcher.js';
import { refuseAddress, TargetRefusedError } from './refusal.js';
import type { LookupFunction } from './resolver.js';

/**
 * Wraps a lookup so that a name with any answer that is neither public nor loopback is refused
 * with a `TargetRefusedError` naming that address, before any connection.
 */
export function loopbackOnlyLookup(
  lookup: LookupFunction = (hostname, options) => dnsLookup(hostname, options),
): LookupFunction {
  return async (hostname, options) => {
    const answers = await lookup(hostname, options);
    for (const answer of answers) {
      const verdict = classifyAddress(answer.address);
      if (!verdict.allowed && verdict.range.id !== 'loopback') {
        throw new TargetRefusedError(refuseAddress(verdict, hostname));
      }
    }
    return answers;
  };
}

/**
 * The `--demo` dispatcher: loopback hosts through a guard that lets in loopback addresses only,
 * everything else through the strict guard.
 *
 * @example
 * ```ts
 * const dispatcher = createLoopbackRoutingDispatcher();
 * await fetch('http://127.0.0.1:8081/', { dispatcher }); // reaches the demo API
 * await fetch('http://evil.localhost/', { dispatcher }); // refused if it resolves to 10.0.0.1
 * ```
 */
export function createLoopbackRoutingDispatcher(
  options: GuardedDispatcherOptions = {},
): LoopbackRoutingDispatcher {
  return new LoopbackRoutingDispatcher(
    createGuardedDispatcher({
      ...options,
      allowPrivateTargets: true,
      lookup: loopbackOnlyLookup(options.lookup),
    }),
    createGuardedDispatcher({ ...options, allowPrivateTargets: false }),
  );
}

/** Routes each request to `loopback` or `other` by the host it goes to. */
export class LoopbackRoutingDispatcher extends Dispatcher {
  readonly #loopback: Dispatcher;
  readonly #other: Dispatcher;

  constructor(loopback: Dispatcher, other: Dispatcher) {
    super();
    this.#loopback = loopback;
    this.#other = other;
  }

  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    return this.#pick(options.origin).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | undefined {
    const done = Promise.all([this.#loopback.close(), this.#other.close()]).then(() => undefined);
    if (callback === undefined) return done;
    done.then(callback, callback);
    return undefined;
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(
    errOrCallback?: Error | null | (() => void),
    callback?: () => void,
  ): Promise<void> | undefined {
    const err = typeof errOrCallback === 'function' ? null : (errOrCallback ?? null);
    const cb = typeof errOrCallback === 'function' ? errOrCallback : callback;
    const done = Promise.all([this.#loopback.destroy(err), this.#other.destroy(err)]).then(
      () => undefined,
    );
    if (cb === undefined) return done;
    done.then(cb, cb);
    return undefined;
  }

  #pick(origin: Dispatcher.DispatchOptions['origin']): Dispatcher {
    if (origin === undefined) return this.#other;
    let hostname: string;
    try {
      hostname = new URL(String(origin)).hostname;
    } catch {
      return this.#other;
    }
    return isLoopbackHost(hostname) ? this.#loopback : this.#other;
  }
}
