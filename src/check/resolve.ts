/**
 * Fixed addresses for host names, as curl's `--resolve` gives them: the URL, the Host header and
 * the TLS server name stay the host name; only the address connected to changes. For checking a
 * server before its DNS points at it (staging, a new load balancer), and for tests.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/** Host name → IPv4 or IPv6 address, e.g. `{ 'api.example.com': '203.0.113.7' }`. */
export type ResolveMap = Readonly<Record<string, string>>;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** The `lookup` net.connect() calls, answering pinned names from the map and the rest from DNS. */
export type Lookup = (
  hostname: string,
  options: { all?: boolean },
  callback: LookupCallback,
) => void;

/**
 * Checks the map and returns a lookup function for it. Throws a TypeError naming the bad entry.
 *
 * @example
 * new Agent({ connect: { lookup: pinnedLookup({ 'api.example.com': '127.0.0.1' }) } });
 */
export function pinnedLookup(map: ResolveMap): Lookup {
  const pinned = new Map<string, LookupAddress>();
  for (const [host, address] of Object.entries(map)) {
    const family = isIP(address);
    if (family === 0) {
      throw new TypeError(
        `corsproof: resolve maps ${JSON.stringify(host)} to ${JSON.stringify(address)}, which is not an IPv4 or IPv6 address; give the address to connect to, e.g. "203.0.113.7"`,
      );
    }
    if (host === '' || /[\s/:@[\]]/.test(host)) {
      throw new TypeError(
        `corsproof: resolve has the key ${JSON.stringify(host)}, which is not a host name; give the name as it appears in the URL, e.g. "api.example.com"`,
      );
    }
    pinned.set(host.toLowerCase().replace(/\.$/, ''), { address, family });
  }
  return (hostname, options, callback) => {
    const hit = pinned.get(hostname.toLowerCase().replace(/\.$/, ''));
    if (hit === undefined) {
      dnsLookup(hostname, options as { all: boolean }, callback as (...args: unknown[]) => void);
      return;
    }
    // net.connect asks for every address (`all`) when it may race IPv4 against IPv6.
    if (options.all) process.nextTick(callback, null, [hit]);
    else process.nextTick(callback, null, hit.address, hit.family);
  };
}
