/**
 * The dispatcher of `--demo` mode: requests to loopback hosts go through a guard that allows
 * private targets, every other request through the strict guard. The choice is made per
 * dispatch, that is per hop, so a loopback target that redirects to 10.0.0.1 or to a name that
 * resolves to a private address is still refused by the strict guard.
 */

import { isLoopbackHost } from 'corsproof/spec';
import { Dispatcher } from 'undici';

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
