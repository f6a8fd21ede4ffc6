import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../check.js';
import { galxePreflightRequest, judgeGalxePreflight } from './probe.js';

const GALXE = 'https://dashboard.galxe.com';

describe("Galxe's pass rule", () => {
  it.each([
    [
      204,
      [
        ['Access-Control-Allow-Origin', GALXE],
        ['Access-Control-Allow-Methods', 'GET, POST,OPTIONS'],
      ],
      'GET',
      null,
    ],
    [
      200,
      [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Methods', 'POST'],
      ],
      'POST',
      null,
    ],
    [
      204,
      [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Methods', 'get'],
      ],
      'GET',
      null,
    ],
    [
      404,
      [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Methods', 'GET'],
      ],
      'GET',
      'GalxeInvalidStatus',
    ],
    [204, [['Access-Control-Allow-Methods', 'GET']], 'GET', 'GalxeMissingAllowOrigin'],
    [
      204,
      [
        ['Access-Control-Allow-Origin', 'https://app.galxe.com'],
        ['Access-Control-Allow-Methods', 'GET'],
      ],
      'GET',
      'GalxeAllowOriginMismatch',
    ],
    [204, [['Access-Control-Allow-Origin', GALXE]], 'POST', 'GalxeMethodNotAllowed'],
    [
      204,
      [
        ['Access-Control-Allow-Origin', GALXE],
        ['Access-Control-Allow-Methods', 'GET'],
      ],
      'POST',
      'GalxeMethodNotAllowed',
    ],
  ] as [number, [string, string][], string, string | null][])(
    '%i %j %s -> %s',
    (status, headers, method, expected) => {
      expect(judgeGalxePreflight(status, headers, method)).toBe(expected);
    },
  );

  it('always preflights, as its documented curl recipe does', () => {
    expect(galxePreflightRequest(new URL('https://api.example/cred'), 'GET').headers).toEqual([
      ['Accept', '*/*'],
      ['Origin', GALXE],
      ['Access-Control-Request-Method', 'GET'],
      ['Access-Control-Request-Headers', 'Content-Type'],
    ]);
  });
});

describe("check({ emulate: 'galxe' })", () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const handlesOptions = req.url?.startsWith('/good') === true;
      req.resume();
      if (req.method === 'OPTIONS') {
        res.writeHead(
          handlesOptions ? 204 : 405,
          handlesOptions
            ? {
                'access-control-allow-origin': '*',
                'access-control-allow-methods': 'GET, POST,OPTIONS',
              }
            : {},
        );
        return res.end();
      }
      res.writeHead(200, {
        'access-control-allow-origin': '*',
        'content-type': 'application/json',
      });
      res.end('{"result":1}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('passes when OPTIONS is handled', async () => {
    const r = await check({ url: `${base}/good`, emulate: 'galxe' });
    expect(r).toMatchObject({ verdict: 'allowed', emulation: { passed: true, trap: false } });
    expect(r.plan.origin).toBe(GALXE);
  });

  it('explains the trap: the request works, the preflight is not handled', async () => {
    const r = await check({
      url: `${base}/bad`,
      emulate: 'galxe',
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(r).toMatchObject({ verdict: 'blocked', emulation: { passed: false, trap: true } });
    expect(r.emulation?.notes[0]).toContain('the test succeeded but the save failed');
    if (r.verdict === 'blocked') expect(r.failures[0].code).toBe('GalxeInvalidStatus');
  });

  it('refuses methods other than GET and POST', async () => {
    await expect(check({ url: `${base}/good`, emulate: 'galxe', method: 'PUT' })).rejects.toThrow(
      /GET or POST/,
    );
  });
});
