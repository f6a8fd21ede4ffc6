/**
 * The target of the checker's differential suite: two loopback servers (two origins, so a redirect
 * from one to the other is cross-origin) answering each case from a table, and a log of every
 * request, so the requests Chromium sends can be compared with the ones the checker sends.
 *
 * A case's URL is `/c/<case id>/<hop>?...`; the answer for each hop is taken from the case, with
 * placeholders in header values:
 *   {origin}  the request's Origin header, echoed (`null` after a tainting redirect)
 *   {page}    the page origin; {page-host} its host and port; {page-port} its port
 *   {next}    the next hop on the same server, same query
 *   {other}   the next hop on the other server (cross-origin), same query
 *   {other-untrusted}  the same, on the untrusted host name (untrusted-host.ts)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onUntrustedHost } from './untrusted-host.js';

export interface ServerPart {
  readonly status?: number;
  readonly headers?: readonly (readonly [string, string])[];
}

export interface ServerHop {
  /** The answer to OPTIONS. Default: 404 without CORS headers. */
  readonly preflight?: ServerPart;
  /** The answer to any other method. Default: 200 without CORS headers. */
  readonly actual?: ServerPart;
}

export interface LoggedRequest {
  readonly caseId: string;
  readonly hop: number;
  readonly server: 'T' | 'U';
  readonly method: string;
  /** Sent by Chromium (its User-Agent says HeadlessChrome), not by the checker. */
  readonly fromBrowser: boolean;
  readonly origin: string | undefined;
  readonly acrm: string | undefined;
  readonly acrh: string | undefined;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  /** Headers the browser adds, compared to the checker's imitation. */
  readonly added: Readonly<Record<string, string | undefined>>;
  readonly nonce: string;
}

/** Headers the browser adds itself, logged so the checker's imitation can be compared. */
const ADDED_HEADERS = [
  'accept',
  'accept-language',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'referer',
  'content-length',
  'sec-ch-ua-mobile',
  'cookie',
];

export interface CaseServers {
  /** http://127.0.0.1:<port> of the main target. */
  readonly target: string;
  /** http://127.0.0.1:<port> of the second target (another origin). */
  readonly other: string;
  readonly log: LoggedRequest[];
  register(caseId: string, hops: readonly ServerHop[]): void;
  close(): Promise<void>;
}

export async function startCaseServers(pageOrigin: () => string): Promise<CaseServers> {
  const cases = new Map<string, readonly ServerHop[]>();
  const log: LoggedRequest[] = [];
  let target = '';
  let other = '';

  const handler = (server: 'T' | 'U') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://target.invalid');
    const [, prefix, caseId = '', hopText = '0'] = url.pathname.split('/');
    const hop = Number(hopText);
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    log.push({
      caseId,
      hop,
      server,
      method: req.method ?? '',
      fromBrowser: /HeadlessChrome/.test(header('user-agent') ?? ''),
      origin: header('origin'),
      acrm: header('access-control-request-method'),
      acrh: header('access-control-request-headers'),
      authorization: header('authorization'),
      contentType: header('content-type'),
      added: Object.fromEntries(ADDED_HEADERS.map((name) => [name, header(name)])),
      nonce: url.searchParams.get('__nonce') ?? '',
    });
    const spec = prefix === 'c' ? cases.get(caseId)?.[hop] : undefined;
    const part = req.method === 'OPTIONS' ? spec?.preflight : spec?.actual;
    const status = part?.status ?? (req.method === 'OPTIONS' ? 404 : 200);
    const fill = (value: string) =>
      value
        .replaceAll('{origin}', header('origin') ?? '')
        .replaceAll('{page}', pageOrigin())
        .replaceAll('{page-host}', new URL(pageOrigin()).host)
        .replaceAll('{page-port}', new URL(pageOrigin()).port)
        .replaceAll('{next}', `${target}/c/${caseId}/${hop + 1}${url.search}`)
        .replaceAll(
          '{other-untrusted}',
          `${onUntrustedHost(other)}/c/${caseId}/${hop + 1}${url.search}`,
        )
        .replaceAll('{other}', `${other}/c/${caseId}/${hop + 1}${url.search}`);
    const raw: string[] = [];
    for (const [name, value] of part?.headers ?? []) raw.push(name, fill(value));
    // Drain the request body before answering, so keep-alive connections stay usable.
    req.resume();
    req.on('end', () => {
      res.writeHead(status, raw);
      res.end(req.method === 'HEAD' || status === 204 || status === 304 ? undefined : 'body');
    });
  };

  const listen = async (server: http.Server) => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const t = http.createServer(handler('T'));
  const u = http.createServer(handler('U'));
  target = await listen(t);
  other = await listen(u);
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    target,
    other,
    log,
    register(caseId, hops) {
      cases.set(caseId, hops);
    },
    async close() {
      await Promise.all([close(t), close(u)]);
    },
  };
}
