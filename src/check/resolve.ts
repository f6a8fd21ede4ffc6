/**
 * Fixed addresses for host names, as curl's `--resolve` gives them: the URL, the Host header and
 * the TLS server name stay the host name; only the address connected to changes. For checking a
 * server before its DNS points at it (staging, a new load balancer), and for tests.
 */
import { isIP } from 'node:net';
import type { buildConnector as BuildConnector, Dispatcher } from 'undici';
import { portOf } from './gates.js';
import { buildConnector } from './undici.js';

/**
 * Host name, or `host:port`, → IPv4 or IPv6 address, e.g. `{ 'api.example.com': '203.0.113.7' }`
 * (every port) or `{ 'api.example.com:8443': '::1' }` (that port only, which wins over the name).
 */
export type ResolveMap = Readonly<Record<string, string>>;

/** A checked ResolveMap: `host:port` and `host` keys, lower-cased, to addresses. */
export class PinnedHosts {
  private readonly pins = new Map<string, string>();

  constructor(map: ResolveMap) {
    for (const [key, address] of Object.entries(map)) {
      if (isIP(address) === 0) {
        throw new TypeError(
          `corsproof: resolve maps ${JSON.stringify(key)} to ${JSON.stringify(address)}, which is not an IPv4 or IPv6 address; give the address to connect to, e.g. "203.0.113.7" or "::1"`,
        );
      }
      const match = /^([^\s/:@[\]]+?)\.?(?::(\d{1,5}))?$/.exec(key);
      const port = match?.[2] === undefined ? null : Number(match[2]);
      if (match === null || (port !== null && (port < 1 || port > 65535))) {
        throw new TypeError(
          `corsproof: resolve has the key ${JSON.stringify(key)}, which is not a host name or host:port; give the name as it appears in the URL, e.g. "api.example.com" or "api.example.com:8443"`,
        );
      }
      const host = (match[1] as string).toLowerCase();
      this.pins.set(port === null ? host : `${host}:${port}`, address);
    }
  }

  /** The address to connect to for `hostname` and `port`, or null to resolve it as usual. */
  addressFor(hostname: string, port: number): string | null {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return this.pins.get(`${host}:${port}`) ?? this.pins.get(host) ?? null;
  }

  /** `addressFor` a URL, on its port or its scheme's default one. */
  addressForUrl(url: URL): string | null {
    return this.addressFor(url.hostname, portOf(url));
  }
}

/**
 * undici's own connector, connecting pinned names to their address. Only the address changes:
 * `host` (and so the TLS server name and the session cache key) stays the name.
 */
export function pinnedConnector(
  pins: PinnedHosts,
  tls: BuildConnector.BuildOptions = {},
): BuildConnector.connector {
  const connect = buildConnector(tls);
  return (options, callback) => {
    const address = pins.addressFor(options.hostname, portOf(options));
    connect(address === null ? options : { ...options, hostname: address }, callback);
  };
}

/** The pins of each dispatcher made by `createCheckDispatcher({ resolve })`. */
const PINNED = new WeakMap<Dispatcher, PinnedHosts>();

export function rememberPins(dispatcher: Dispatcher, pins: PinnedHosts): void {
  PINNED.set(dispatcher, pins);
}

/** The curl flags (`--proxy`, `--cacert`, `-k`) of each dispatcher that needs some. */
const CURL_FLAGS = new WeakMap<Dispatcher, readonly string[]>();

export function rememberCurlFlags(dispatcher: Dispatcher, flags: readonly string[]): void {
  if (flags.length > 0) CURL_FLAGS.set(dispatcher, flags);
}

/** What the curl commands of checks sent through `dispatcher` must add to go the same way. */
export function curlFlagsOf(dispatcher: Dispatcher): readonly string[] | undefined {
  return CURL_FLAGS.get(dispatcher);
}

/** The pins a dispatcher connects by, so the curl commands can say `--resolve` too. */
export function pinsOf(dispatcher: Dispatcher): PinnedHosts | undefined {
  return PINNED.get(dispatcher);
}
