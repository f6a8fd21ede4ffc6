/**
 * `audit()` as an API: what it refuses, what it sends (and never sends), how it treats network
 * errors, and how it shares its connections.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCheckDispatcher } from '../check/index.js';
import { audit } from './audit.js';
import { AuditInputError } from './errors.js';

const TRUSTED = 'https://app.example.com';

interface Seen {
  method: string;
  origin: string | undefined;
  cookie: string | undefined;
  acrh: string | undefined;
}

let server: http.Server;
let base = '';
let seen: Seen[] = [];
let connections = 0;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    seen.push({
      method: req.method ?? '',
      origin: req.headers.origin,
      cookie: req.headers.cookie,
      acrh: req.headers['access-control-request-headers'],
    });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const origin = req.headers.origin;
    // A few milliseconds per answer, so concurrent requests overlap.
    setTimeout(() => {
      inFlight--;
      if (req.url === '/flaky' && origin !== undefined && origin !== TRUSTED) {
        req.socket.destroy();
        return;
      }
      res.setHeader('vary', 'Origin');
      if (origin !== undefined) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-credentials', 'true');
      }
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', 'GET, PUT');
        res.setHeader('access-control-allow-headers', 'content-type, x-requested-with');
        res.statusCode = 204;
        res.end();
        return;
      }
      res.end('{}');
    }, 2);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen = [];
  connections = 0;
  maxInFlight = 0;
});

describe('audit() refuses what it cannot audit', () => {
  it.each([
    [{ url: 'not a url', origin: TRUSTED }, 'INVALID_URL'],
    [{ url: 'ftp://x.example/', origin: TRUSTED }, 'INVALID_URL'],
    [{ url: 'https://u:p@x.example/', origin: TRUSTED }, 'INVALID_URL'],
    [{ url: 'https://x.example/', origin: 'https://app.example.com/' }, 'INVALID_ORIGIN'],
    [{ url: 'https://x.example/', origin: 'null' }, 'INVALID_ORIGIN'],
    [{ url: 'https://app.example.com/api', origin: TRUSTED }, 'SAME_ORIGIN'],
    [{ url: 'http://api.example.net/', origin: TRUSTED }, 'MIXED_CONTENT'],
    [{ url: 'https://x.example:6000/', origin: TRUSTED }, 'UNSAFE_PORT'],
    [{ url: 'https://x.example/', origin: TRUSTED, concurrency: 0 }, 'INVALID_OPTION'],
    [{ url: 'https://x.example/', origin: TRUSTED, method: 'TRACE' }, 'INVALID_OPTION'],
    [{ url: 'https://x.example/', origin: TRUSTED, timeoutMs: 0 }, 'INVALID_OPTION'],
    [
      { url: 'https://x.example/', origin: TRUSTED, headers: { 'Bad Name': 'x' } },
      'INVALID_OPTION',
    ],
  ])('%j -> %s, before sending anything', async (options, code) => {
    await expect(audit(options)).rejects.toMatchObject({ name: 'AuditInputError', code });
    expect(seen).toEqual([]);
  });

  it('throws a TypeError subclass with a message that starts with "corsproof:"', async () => {
    const error = await audit({ url: 'x', origin: TRUSTED }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditInputError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^corsproof: /);
  });
});

describe('audit() on the wire', () => {
  it('sends only GETs and preflights, never the state-changing request', async () => {
    await audit({ url: `${base}/x`, origin: TRUSTED });
    expect(new Set(seen.map((s) => s.method))).toEqual(new Set(['GET', 'OPTIONS']));
  });

  it('sends the cookie on GETs with credentials, never on preflights, and redacts it', async () => {
    const report = await audit({ url: `${base}/x`, origin: TRUSTED, cookie: 'sid=secret' });
    expect(seen.filter((s) => s.method === 'GET').every((s) => s.cookie === 'sid=secret')).toBe(
      true,
    );
    expect(seen.filter((s) => s.method === 'OPTIONS').some((s) => s.cookie !== undefined)).toBe(
      false,
    );
    expect(JSON.stringify(report)).not.toContain('secret');
  });

  it('sends the page headers as a browser would: a non-safelisted one is preflighted', async () => {
    await audit({ url: `${base}/x`, origin: TRUSTED, headers: { 'X-Requested-With': 'fetch' } });
    const preflights = seen.filter((s) => s.method === 'OPTIONS');
    expect(preflights.some((s) => s.acrh === 'x-requested-with')).toBe(true);
    expect(preflights.some((s) => s.acrh === 'content-type,x-requested-with')).toBe(true);
  });

  it('keeps to its concurrency and reuses one pool of connections', async () => {
    const report = await audit({ url: `${base}/x`, origin: TRUSTED, concurrency: 3 });
    expect(report.requests).toBeGreaterThan(100);
    expect(report.requests).toBe(seen.length);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(connections).toBeLessThanOrEqual(3);
  });

  it('uses a given dispatcher and leaves it open for the caller', async () => {
    const dispatcher = createCheckDispatcher({ connections: 2 });
    try {
      await audit({ url: `${base}/x`, origin: TRUSTED, dispatcher });
      await audit({ url: `${base}/x`, origin: TRUSTED, dispatcher });
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      await dispatcher.close();
    }
  });

  it('reports progress until every planned request is done', async () => {
    const calls: [number, number][] = [];
    await audit({ url: `${base}/x`, origin: TRUSTED, onProgress: (d, t) => calls.push([d, t]) });
    const last = calls[calls.length - 1];
    expect(last?.[0]).toBe(last?.[1]);
    expect(calls.every(([d, t]) => d <= t)).toBe(true);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      audit({ url: `${base}/x`, origin: TRUSTED, signal: controller.signal }),
    ).rejects.toThrow('stop');
  });

  it('cancels the requests in flight when its signal aborts mid-run', async () => {
    // Answers the trusted origin's baseline, then lets every probe hang.
    let probes = 0;
    let closedProbes = 0;
    let firstProbe!: () => void;
    const probing = new Promise<void>((resolve) => {
      firstProbe = resolve;
    });
    const hang = http.createServer((req, res) => {
      if (req.headers.origin === TRUSTED || req.headers.origin === undefined) {
        res.writeHead(200, { 'access-control-allow-origin': TRUSTED, vary: 'Origin' }).end();
        return;
      }
      probes++;
      if (req.socket.destroyed) closedProbes++;
      else req.socket.once('close', () => closedProbes++);
      firstProbe();
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/x`;
    let closed = false;
    try {
      const controller = new AbortController();
      const reason = new Error('stop');
      const pending = audit({ url, origin: TRUSTED, signal: controller.signal, timeoutMs: 60_000 });
      await probing;
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      // close() closes the idle connections and calls back once every other one has closed: only
      // when the audit cancelled each hanging probe (their timeout is a minute away).
      await new Promise((r) => hang.close(r));
      closed = true;
      expect(probes).toBeGreaterThan(0);
      expect(closedProbes).toBe(probes);
    } finally {
      if (!closed) {
        hang.closeAllConnections();
        await new Promise((r) => hang.close(r));
      }
    }
  });
});

describe('audit() and network errors', () => {
  it('is an error, not findings, when the trusted origin cannot reach the target', async () => {
    const report = await audit({
      url: 'http://127.0.0.1:59997/x',
      origin: TRUSTED,
    });
    expect(report.error).toMatchObject({ leg: 'get', code: 'CONNECTION_REFUSED' });
    expect(report.findings).toEqual([]);
    expect(report.baseline).toBeNull();
  });

  it('lists the exchanges that failed and judges the rest', async () => {
    const report = await audit({ url: `${base}/flaky`, origin: TRUSTED });
    expect(report.error).toBeNull();
    expect(report.errors.length).toBeGreaterThan(50);
    expect(report.errors[0]).toMatchObject({ code: 'CONNECTION_RESET' });
    expect(report.findings.map((f) => f.id)).not.toContain('origin-reflected-any');
    expect(report.baseline?.get.passes.include).toBe(true);
  });
});
