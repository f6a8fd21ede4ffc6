/**
 * The undici dispatcher of the check service: every connection it opens goes to an address the
 * guard validated, resolved by the guard itself (nodejs/undici#2019 describes the hook we use).
 *
 * How each hole is closed:
 * - IP-literal hosts never reach a `lookup` hook (net.connect skips DNS for them), so the connector
 *   classifies them before creating a socket.
 * - Names go through `createGuardedLookup`, installed as the socket's `lookup`: it resolves once
 *   with `resolveHostname`, which validates every answer, and hands net.connect only that list. The
 *   OS resolver is never asked again, so a second DNS answer cannot differ from the validated one.
 * - The URL is never rewritten to an IP: undici keeps the name for `Host` and TLS SNI and
 *   certificate checks (rewriting breaks TLS; colophon-group/jobseek#2766).
 * - Node 20 enables `autoSelectFamily` (Happy Eyeballs), which calls the lookup with `all: true` and
 *   tries every address returned: we return only validated ones.
 * - The service follows redirects itself and sends every hop through this dispatcher, so every hop
 *   is re-validated here; it should also run `validateTargetUrl` on each `Location` for the
 *   scheme, credential and port rules and a clearer message.
 */
import type { LookupAddress as DnsLookupAddress } from 'node:dns';
import { isIP, type LookupFunction as NetLookupFunction } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { isBadPort } from 'corsproof/spec';
import { Agent, buildConnector } from 'undici';
import { classifyAddress } from './address-policy.js';
import { refuseAddress, refuseBadPort, refuseScheme, TargetRefusedError } from './refusal.js';
import { type ResolveOptions, resolveHostname } from './resolver.js';

/** Options of `createGuardedDispatcher`. */
export interface GuardedDispatcherOptions extends ResolveOptions {
  /** TCP connect plus TLS handshake, DNS included. Default 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** From sending the request to the end of the response headers. Default 10 000 ms. */
  readonly headersTimeoutMs?: number;
  /** Longest silence between two body chunks. Default 10 000 ms. */
  readonly bodyTimeoutMs?: number;
  /** Abort a response whose body exceeds this many bytes. Default 1 MiB. */
  readonly maxResponseSize?: number;
  /** Abort a response whose header section exceeds this many bytes. Default 16 KiB. */
  readonly maxHeaderSize?: number;
  /** Sockets per origin, so one slow target cannot take every socket. Default 4. */
  readonly connectionsPerOrigin?: number;
  /** Extra CA certificates to trust (a TLS-intercepting egress proxy, tests). Default: Node's. */
  readonly ca?: ConnectionOptions['ca'];
}

/** The defaults, documented on `GuardedDispatcherOptions`. */
export const GUARDED_DISPATCHER_DEFAULTS = Object.freeze({
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  maxResponseSize: 1024 * 1024,
  maxHeaderSize: 16 * 1024,
  connectionsPerOrigin: 4,
});

/**
 * An undici `Agent` whose connections go only to validated addresses. A refused connection fails
 * the request with a `TargetRefusedError` (`code: 'CORSPROOF_TARGET_REFUSED'`) before any byte is
 * sent to the target; `fetch` puts it in the `cause` of its `TypeError`.
 *
 * It follows no redirects and keeps no cookies: the checker does both hop by hop, as a browser would.
 *
 * @example
 * ```ts
 * const dispatcher = createGuardedDispatcher();
 * try {
 *   const res = await request('http://169.254.169.254/latest/meta-data/', { dispatcher });
 * } catch (err) {
 *   TargetRefusedError.find(err)?.reason; // 'corsproof: the target address "169.254.169.254" is in ...'
 * }
 * ```
 */
export function createGuardedDispatcher(options: GuardedDispatcherOptions = {}): Agent {
  const defaults = GUARDED_DISPATCHER_DEFAULTS;
  return new Agent({
    connect: createGuardedConnector(options),
    headersTimeout: options.headersTimeoutMs ?? defaults.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs ?? defaults.bodyTimeoutMs,
    maxResponseSize: options.maxResponseSize ?? defaults.maxResponseSize,
    maxHeaderSize: options.maxHeaderSize ?? defaults.maxHeaderSize,
    connections: options.connectionsPerOrigin ?? defaults.connectionsPerOrigin,
  });
}

/**
 * The connector of `createGuardedDispatcher`: refuses IP-literal hosts and bad ports before creating
 * a socket, and connects names through `createGuardedLookup`.
 */
export function createGuardedConnector(
  options: GuardedDispatcherOptions = {},
): buildConnector.connector {
  const connect = buildConnector({
    timeout: options.connectTimeoutMs ?? GUARDED_DISPATCHER_DEFAULTS.connectTimeoutMs,
    lookup: createGuardedLookup(options),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  const allowPrivate = options.allowPrivateTargets === true;

  return (connectOptions, callback) => {
    const refusal = refuseBeforeConnect(connectOptions, allowPrivate);
    if (refusal) {
      // Asynchronously, as a socket error would be: undici expects the callback after return.
      process.nextTick(callback, refusal, null);
      return;
    }
    connect(connectOptions, callback);
  };
}

function refuseBeforeConnect(
  { hostname, protocol, port }: buildConnector.Options,
  allowPrivate: boolean,
): TargetRefusedError | undefined {
  // Defence in depth: the service checks scheme and port per hop with validateTargetUrl already.
  if (protocol !== 'http:' && protocol !== 'https:') {
    return new TargetRefusedError(refuseScheme(protocol));
  }
  const effectivePort = port === '' ? (protocol === 'https:' ? 443 : 80) : Number(port);
  if (isBadPort(effectivePort)) {
    return new TargetRefusedError(refuseBadPort(effectivePort));
  }
  // undici passes IPv6 literals without brackets. No lookup hook runs for a literal, so this is
  // the only place it can be checked before the socket connects.
  if (!allowPrivate && isIP(hostname) !== 0) {
    const verdict = classifyAddress(hostname);
    if (!verdict.allowed) return new TargetRefusedError(refuseAddress(verdict));
  }
  return undefined;
}

/**
 * A `net.connect` `lookup` hook that resolves with `resolveHostname` (validating every answer) and
 * answers with validated addresses only, filtered to the requested family. A refusal is reported
 * as a `TargetRefusedError`, which net.connect emits as the socket's error before connecting.
 */
export function createGuardedLookup(options: ResolveOptions = {}): NetLookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveHostname(hostname, options).then(
      (result) => {
        if (!result.ok) {
          callback(new TargetRefusedError(result), '');
          return;
        }
        const family = familyOf(lookupOptions.family);
        const answers: DnsLookupAddress[] = result.addresses
          .filter((a) => family === 0 || a.family === family)
          .map((a) => ({ address: a.address, family: a.family }));
        const first = answers[0];
        if (first === undefined) {
          callback(noAddressOfFamily(hostname, family), '');
        } else if (lookupOptions.all) {
          callback(null, answers);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), '');
      },
    );
  };
}

function familyOf(family: number | 'IPv4' | 'IPv6' | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** The error getaddrinfo gives for a name without addresses of the family asked for. */
function noAddressOfFamily(hostname: string, family: number): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `getaddrinfo ENOTFOUND ${hostname} (no IPv${family} address)`,
  );
  error.code = 'ENOTFOUND';
  error.syscall = 'getaddrinfo';
  return error;
}
