import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  type ChromiumHarness,
  chromiumSkipReason,
  launchChromium,
  uniqueUrl,
} from './chromium.js';

// Throws (fails the run loudly) in CI when Chromium is missing; skips with a message locally.
const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`[browser harness] ${skipReason}`);

interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

describe.skipIf(skipReason !== undefined)('browser harness', () => {
  let browser: ChromiumHarness;
  let target: http.Server;
  let targetOrigin: string;
  const seen: SeenRequest[] = [];

  const requestsTo = (url: string) => {
    const { pathname, search } = new URL(url);
    return seen.filter((r) => r.path === pathname + search);
  };

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
          res.writeHead(200, {
            'access-control-allow-origin': origin,
            'content-type': 'text/plain',
            'x-secret': 'hidden',
          });
          return res.end('allowed');
        case '/expose':
          res.writeHead(200, {
            'access-control-allow-origin': origin,
            'access-control-expose-headers': 'X-Secret',
            'content-type': 'text/plain',
            'x-secret': 'visible',
            'x-other': 'still-hidden',
          });
          return res.end('exposed');
        case '/none':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('no cors headers');
        case '/put':
          if (req.method === 'OPTIONS') {
            res.writeHead(204, {
              'access-control-allow-origin': origin,
              'access-control-allow-methods': 'PUT',
              'access-control-max-age': '600',
            });
            return res.end();
          }
          res.writeHead(200, { 'access-control-allow-origin': origin });
          return res.end(`${req.method} ok`);
        case '/put-denied':
          if (req.method === 'OPTIONS') {
            res.writeHead(204, { 'access-control-allow-origin': origin });
            return res.end();
          }
          res.writeHead(200, { 'access-control-allow-origin': origin });
          return res.end('should never be reached');
        case '/cookie':
          res.writeHead(200, {
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
          });
          return res.end(req.headers.cookie ?? '');
        default:
          res.writeHead(404);
          return res.end();
      }
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetOrigin = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
  });

  it('reports the browser version and page origins', () => {
    expect(browser.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(browser.pageOrigin).toBe(`http://127.0.0.1:${browser.pagePort}`);
    expect(browser.altPageOrigin).toBe(`http://localhost:${browser.pagePort}`);
    expect(browser.pageOrigin).not.toBe(targetOrigin);
  });

  it('uniqueUrl never repeats and keeps the original query', () => {
    const a = uniqueUrl(`${targetOrigin}/allow?x=1`, 7);
    const b = uniqueUrl(`${targetOrigin}/allow?x=1`, 7);
    expect(a).not.toBe(b);
    expect(new URL(a).searchParams.get('x')).toBe('1');
    expect(new URL(a).searchParams.get('case')).toBe('7');
  });

  it('succeeds when Access-Control-Allow-Origin matches, hiding non-exposed headers', async () => {
    const url = uniqueUrl(`${targetOrigin}/allow`);
    const outcome = await browser.fetch(url);
    expect(outcome).toMatchObject({ ok: true, status: 200, type: 'cors', url, body: 'allowed' });
    if (!outcome.ok) return;
    expect(outcome.headers).toEqual({ 'content-type': 'text/plain' });
    expect(requestsTo(url)[0]?.headers.origin).toBe(browser.pageOrigin);
  });

  it('makes a header readable when Access-Control-Expose-Headers lists it', async () => {
    const outcome = await browser.fetch(uniqueUrl(`${targetOrigin}/expose`));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.headers['x-secret']).toBe('visible');
    expect(outcome.headers['x-other']).toBeUndefined();
    expect(outcome.headers['content-type']).toBe('text/plain');
  });

  it('fails without Access-Control-Allow-Origin and captures the console message', async () => {
    const url = uniqueUrl(`${targetOrigin}/none`);
    const outcome = await browser.fetch(url);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBe('TypeError: Failed to fetch');
    expect(outcome.consoleMessage).toBe(
      `Access to fetch at '${url}' from origin '${browser.pageOrigin}' has been blocked by CORS policy: ` +
        "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
    expect(outcome.consoleMessages).toContain('Failed to load resource: net::ERR_FAILED');
    expect(outcome.corsError).toEqual({ code: 'MissingAllowOriginHeader', failedParameter: '' });
    // The request itself did reach the server: CORS blocks the response, not the simple request.
    expect(requestsTo(url)).toHaveLength(1);
  });

  it('preflights a PUT and then sends it', async () => {
    const url = uniqueUrl(`${targetOrigin}/put`);
    const outcome = await browser.fetch(url, { method: 'PUT', body: 'x' });
    expect(outcome).toMatchObject({ ok: true, status: 200, body: 'PUT ok' });
    const requests = requestsTo(url);
    expect(requests.map((r) => r.method)).toEqual(['OPTIONS', 'PUT']);
    expect(requests[0]?.headers['access-control-request-method']).toBe('PUT');
  });

  it('caches preflights per URL, which is why every case needs uniqueUrl', async () => {
    const url = uniqueUrl(`${targetOrigin}/put`);
    await browser.fetch(url, { method: 'PUT' });
    await browser.fetch(url, { method: 'PUT' });
    expect(requestsTo(url).map((r) => r.method)).toEqual(['OPTIONS', 'PUT', 'PUT']);
  });

  it('fails a PUT whose preflight does not allow the method', async () => {
    const url = uniqueUrl(`${targetOrigin}/put-denied`);
    const outcome = await browser.fetch(url, { method: 'PUT' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.consoleMessage).toBe(
      `Access to fetch at '${url}' from origin '${browser.pageOrigin}' has been blocked by CORS policy: ` +
        'Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.',
    );
    expect(outcome.corsError).toEqual({
      code: 'MethodDisallowedByPreflightResponse',
      failedParameter: 'PUT',
    });
    expect(requestsTo(url).map((r) => r.method)).toEqual(['OPTIONS']);
  });

  it('reports argument errors without waiting for console messages', async () => {
    const outcome = await browser.fetch(uniqueUrl(`${targetOrigin}/allow`), {
      headers: [['bad header', 'x']],
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errorName).toBe('TypeError');
    expect(outcome.error).not.toBe('TypeError: Failed to fetch');
    expect(outcome.consoleMessage).toBeUndefined();
    // The harness waits for console messages only after a network-level failure.
    expect(CHROMIUM.isNetworkFailure(outcome.error)).toBe(false);
  });

  it('returns an opaque response for no-cors', async () => {
    const outcome = await browser.fetch(uniqueUrl(`${targetOrigin}/none`), { mode: 'no-cors' });
    expect(outcome).toMatchObject({
      ok: true,
      status: 0,
      type: 'opaque',
      url: '',
      body: '',
      headers: {},
    });
  });

  it('sends same-site cookies only with credentials: include', async () => {
    await browser.setCookie({ url: targetOrigin, name: 'sid', value: 'lax', sameSite: 'Lax' });
    const include = await browser.fetch(uniqueUrl(`${targetOrigin}/cookie`), {
      credentials: 'include',
    });
    const sameOrigin = await browser.fetch(uniqueUrl(`${targetOrigin}/cookie`), {
      credentials: 'same-origin',
    });
    expect(include).toMatchObject({ ok: true, body: 'sid=lax' });
    expect(sameOrigin).toMatchObject({ ok: true, body: '' });
    await browser.clearCookies();
  });

  it('runs from a second, cross-site page origin where only SameSite=None cookies are sent', async () => {
    await expect(
      browser.setCookie({ url: targetOrigin, name: 'bad', value: '1', sameSite: 'None' }),
    ).rejects.toThrow(/SameSite=None requires secure/);
    await browser.setCookie({ url: targetOrigin, name: 'lax', value: '1', sameSite: 'Lax' });
    await browser.setCookie({
      url: targetOrigin,
      name: 'none',
      value: '1',
      sameSite: 'None',
      secure: true,
    });
    const url = uniqueUrl(`${targetOrigin}/cookie`);
    const outcome = await browser.fetch(url, { credentials: 'include' }, { from: 'localhost' });
    expect(outcome).toMatchObject({ ok: true, body: 'none=1' });
    expect(requestsTo(url)[0]?.headers.origin).toBe(browser.altPageOrigin);
    expect(requestsTo(url)[0]?.headers['sec-fetch-site']).toBe('cross-site');
    await browser.clearCookies();
  });
});
