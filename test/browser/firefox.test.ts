import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIREFOX_NETWORK_ERROR,
  type FirefoxHarness,
  firefoxCorsReason,
  firefoxSkipReason,
  launchFirefox,
  uniqueUrl,
} from './firefox.js';

// Throws (fails the run loudly) in CI when Firefox is missing; skips with a message locally.
const skipReason = firefoxSkipReason();
if (skipReason) console.warn(`[firefox harness] ${skipReason}`);

interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

describe('firefoxCorsReason', () => {
  it.each([
    [
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.',
      'CORSMissingAllowOrigin2',
    ],
    [
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/x. (Reason: CORS request did not succeed). Status code: (null).',
      'CORSDidNotSucceed2',
    ],
    [
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://a/x’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).',
      'CORSNotSupportingCredentials',
    ],
    [
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘a). b’).',
      'CORSAllowOriginNotMatchingOrigin',
    ],
    ['Security Error: Content at http://a/ may not load data from blob:x.', undefined],
  ])('%s -> %s', (message, reason) => {
    expect(firefoxCorsReason(message)).toBe(reason);
  });
});

describe.skipIf(skipReason !== undefined)('firefox harness', () => {
  let firefox: FirefoxHarness;
  let target: http.Server;
  let targetOrigin: string;
  const seen: SeenRequest[] = [];

  const requestsTo = (url: string) => {
    const { pathname, search } = new URL(url);
    return seen.filter((r) => r.path === pathname + search);
  };
  /** The target on `localhost` instead of 127.0.0.1 (same server). */
  const onLocalhost = (url: string) => url.replace('//127.0.0.1:', '//localhost:');

  beforeAll(async () => {
    target = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://target.invalid');
      seen.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        headers: req.headers,
      });
      const origin = req.headers.origin ?? '';
      switch (url.pathname) {
        case '/allow':
          res.writeHead(200, { 'access-control-allow-origin': origin, 'x-secret': 'hidden' });
          return res.end('allowed');
        case '/none':
          res.writeHead(200);
          return res.end('no cors headers');
        case '/redirect':
          res.writeHead(302, {
            'access-control-allow-origin': origin,
            location: `/none${url.search}`,
          });
          return res.end();
        case '/put':
          res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
            'access-control-allow-origin': origin,
            'access-control-allow-methods': 'PUT',
            'access-control-allow-headers': '*',
            'access-control-max-age': '600',
          });
          return res.end();
        case '/cookie': {
          const set = url.searchParams.get('set');
          res.writeHead(200, {
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
            ...(set ? { 'set-cookie': set } : {}),
          });
          return res.end(req.headers.cookie ?? '');
        }
        default:
          res.writeHead(404);
          return res.end();
      }
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetOrigin = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    firefox = await launchFirefox();
    console.log(`[firefox harness] Firefox ${firefox.version}`);
  });

  afterAll(async () => {
    await firefox?.close();
    await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
  });

  it('reports the browser version and page origins', () => {
    expect(firefox.version).toMatch(/^\d+\.\d+(\.\d+)?/);
    expect(firefox.userAgent).toContain('Firefox/');
    expect(firefox.pageOrigin).toBe(`http://127.0.0.1:${firefox.pagePort}`);
    expect(firefox.altPageOrigin).toBe(`http://localhost:${firefox.pagePort}`);
  });

  it('reads an allowed response and sends the headers Firefox adds', async () => {
    const url = uniqueUrl(`${targetOrigin}/allow`);
    const outcome = await firefox.fetch(url);
    expect(outcome).toMatchObject({ ok: true, status: 200, type: 'cors', url, body: 'allowed' });
    if (!outcome.ok) return;
    expect(outcome.headers).toEqual({});
    const headers = requestsTo(url)[0]?.headers ?? {};
    expect(headers).toMatchObject({
      origin: firefox.pageOrigin,
      accept: '*/*',
      'accept-language': 'en-US,en;q=0.9',
      'sec-fetch-mode': 'cors',
      'sec-fetch-site': 'same-site',
      'sec-fetch-dest': 'empty',
      referer: `${firefox.pageOrigin}/`,
      'user-agent': firefox.userAgent,
    });
    expect(Object.keys(headers).filter((n) => n.startsWith('sec-ch-'))).toEqual([]);
  });

  it('works from localhost and *.localhost pages (loopback, no Local Network Access block)', async () => {
    for (const host of ['localhost', 'app.localhost']) {
      const url = uniqueUrl(`${targetOrigin}/allow`);
      const outcome = await firefox.fetch(url, {}, { from: host });
      expect(outcome.ok, host).toBe(true);
      expect(requestsTo(url)[0]?.headers.origin).toBe(firefox.originFor(host));
    }
  });

  it('captures the CORS console line, also for a redirect hop, by nonce', async () => {
    const direct = await firefox.fetch(uniqueUrl(`${targetOrigin}/none`));
    expect(direct).toMatchObject({ ok: false, error: FIREFOX_NETWORK_ERROR });
    if (direct.ok) return;
    expect(direct.reason).toBe('CORSMissingAllowOrigin2');
    expect(direct.consoleMessage).toContain(direct.requestUrl);

    const redirected = await firefox.fetch(uniqueUrl(`${targetOrigin}/redirect`));
    if (redirected.ok) throw new Error('the redirect target has no ACAO');
    expect(redirected.reason).toBe('CORSMissingAllowOrigin2');
    expect(redirected.consoleMessage).toContain('/none?');
  });

  it('reports argument errors and refused connections without a console line', async () => {
    const thrown = await firefox.fetch(targetOrigin, { headers: [['a b', 'x']] });
    expect(thrown).toMatchObject({ ok: false, errorName: 'TypeError', consoleMessages: [] });
    const refused = await firefox.fetch(uniqueUrl('http://127.0.0.1:1/x'), {}, {});
    expect(refused).toMatchObject({ ok: false, error: FIREFOX_NETWORK_ERROR, consoleMessages: [] });
  });

  it('lets Authorization through under Access-Control-Allow-Headers: * (no warning reaches BiDi)', async () => {
    const url = uniqueUrl(`${targetOrigin}/put`);
    const outcome = await firefox.fetch(url, { headers: { Authorization: 'x' } });
    expect(outcome.ok).toBe(true);
    expect(requestsTo(url).map((r) => r.method)).toEqual(['OPTIONS', 'GET']);
    // A page logs in order: once a later request's console line is in, any line about this one
    // (sent before it) would be in too.
    const later = await firefox.fetch(uniqueUrl(`${targetOrigin}/none`));
    expect(later).toMatchObject({ ok: false, reason: 'CORSMissingAllowOrigin2' });
    expect(await firefox.messagesFor(url)).toEqual([]);
  });

  it('reuses a preflight to a host name, never to an IP address', async () => {
    const preflights = async (url: string) => {
      await firefox.fetch(url, { method: 'PUT' });
      await firefox.fetch(url, { method: 'PUT' });
      return requestsTo(url).filter((r) => r.method === 'OPTIONS').length;
    };
    expect(await preflights(uniqueUrl(onLocalhost(`${targetOrigin}/put`)))).toBe(1);
    expect(await preflights(uniqueUrl(`${targetOrigin}/put`))).toBe(2);
  });

  describe('cookies (Total Cookie Protection)', () => {
    const cookieHeader = async (from?: string) => {
      const outcome = await firefox.fetch(
        uniqueUrl(`${targetOrigin}/cookie`),
        { credentials: 'include' },
        from === undefined ? {} : { from },
      );
      if (!outcome.ok) throw new Error(outcome.error);
      return outcome.body.split('; ').filter(Boolean).sort();
    };

    it('sends first-party cookies same-site, whatever their SameSite', async () => {
      await firefox.clearCookies();
      await firefox.setCookie({ url: targetOrigin, name: 'lax', value: '1' });
      await firefox.setCookie({
        url: targetOrigin,
        name: 'strict',
        value: '1',
        sameSite: 'Strict',
      });
      await firefox.setCookie({
        url: targetOrigin,
        name: 'none',
        value: '1',
        sameSite: 'None',
        secure: true,
      });
      expect((await firefox.cookies(targetOrigin)).map((c) => c.name).sort()).toEqual([
        'lax',
        'none',
        'strict',
      ]);
      expect(await cookieHeader()).toEqual(['lax=1', 'none=1', 'strict=1']);
    });

    it('does not send them cross-site, even SameSite=None; Secure', async () => {
      expect(await cookieHeader('localhost')).toEqual([]);
    });

    it('sends a cookie partitioned by the cross-site page, and one the target set there', async () => {
      await firefox.setCookie({
        url: targetOrigin,
        name: 'part',
        value: '1',
        sameSite: 'None',
        secure: true,
        partitionKey: firefox.altPageOrigin,
      });
      expect(await cookieHeader('localhost')).toEqual(['part=1']);
      const set = encodeURIComponent('fromtarget=1; SameSite=None; Secure');
      const setting = await firefox.fetch(
        uniqueUrl(`${targetOrigin}/cookie?set=${set}`),
        { credentials: 'include' },
        { from: 'localhost' },
      );
      expect(setting.ok).toBe(true);
      expect(await cookieHeader('localhost')).toEqual(['fromtarget=1', 'part=1']);
      // The partitioned jar is not the first-party one.
      expect(await cookieHeader()).toEqual(['lax=1', 'none=1', 'strict=1']);
    });

    it('clears every jar', async () => {
      await firefox.clearCookies();
      expect(await firefox.cookies()).toEqual([]);
      expect(await cookieHeader()).toEqual([]);
      expect(await cookieHeader('localhost')).toEqual([]);
    });
  });
});
