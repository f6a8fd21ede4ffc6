/**
 * Every policy file of the shared table, carried out by each of corsproof's adapters on loopback,
 * must conform case for case; and servers that are wrong on purpose must not.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePolicyFile } from 'corsproof';
import { withCors } from 'corsproof/node';
import { afterEach, describe, expect, it } from 'vitest';
import { conform } from '../../src/conform/index.js';
import { ADAPTERS, type RunningServer, startAdapterServer } from './adapter-servers.js';
import { policies } from './policies.js';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function listen(listener: http.RequestListener): Promise<string> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({
    url: '',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe.each(ADAPTERS)('the %s adapter', (adapter) => {
  it.each(policies)(
    'conforms to the $name policy file in every case',
    async ({ file: document }) => {
      const file = parsePolicyFile(document);
      const server = await startAdapterServer(adapter, document, file);
      running.push(server);
      const report = await conform({ url: server.url, file });
      expect(report.cases.length).toBeGreaterThanOrEqual(5);
      expect(report.differences.map((d) => `${d.kind}: ${d.case.id}: ${d.message}`)).toEqual([]);
      expect(report.conforms).toBe(true);
    },
  );
});

const APP = 'https://app.example.com';

describe('conform catches a server that differs from its policy', () => {
  it('finds every origin a reflecting server lets in with credentials', async () => {
    const file = parsePolicyFile({ origins: [APP], credentials: true });
    const url = await listen((req, res) => {
      res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
      res.end('ok');
    });
    const report = await conform({ url, file });
    expect(report.conforms).toBe(false);
    const let_in = report.differences
      .filter((d) => d.kind === 'allowed-but-policy-refuses')
      .map((d) => d.case.origin);
    expect(let_in).toEqual(
      expect.arrayContaining([
        'https://app.example.com.corsproof-evil.test',
        'https://corsproofevilapp.example.com',
        'http://app.example.com',
        'https://app.example.com:8443',
        'null',
      ]),
    );
    expect(report.differences[0]?.curl[0]).toMatch(/^curl -sS -i /);
  });

  it('finds a middleware whose Vary was dropped on the way out', async () => {
    const file = parsePolicyFile({ origins: [APP] });
    const cors = withCors(file.default ?? { origins: [APP] }, (_req, res) => {
      res.removeHeader('vary');
      res.end('ok');
    });
    const url = await listen(cors);
    const report = await conform({ url, file });
    const kinds = new Set(report.differences.map((d) => d.kind));
    expect([...kinds]).toEqual(['vary-origin-missing']);
    expect(report.differences.map((d) => d.case.origin)).toContain(APP);
  });

  it('finds exposed headers missing and a max-age the policy does not give', async () => {
    const file = parsePolicyFile({
      origins: [APP],
      exposeHeaders: ['X-Total-Count'],
      methods: ['PUT'],
      maxAge: 600,
    });
    const url = await listen((req, res) => {
      res.setHeader('vary', 'Origin');
      if (req.headers.origin === APP) res.setHeader('access-control-allow-origin', APP);
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', 'PUT');
        res.setHeader('access-control-max-age', '86400');
        res.statusCode = 204;
      }
      res.end();
    });
    const report = await conform({ url, file });
    const kinds = report.differences.map((d) => d.kind);
    expect(kinds).toContain('exposed-header-hidden');
    expect(kinds).toContain('max-age-differs');
    const hidden = report.differences.find((d) => d.kind === 'exposed-header-hidden');
    expect(hidden?.expected).toBe('readable: x-total-count');
    expect(hidden?.actual).toBe('readable: none');
  });

  it('finds a path the policy closes answered with CORS, and an allowed method refused', async () => {
    const file = parsePolicyFile({
      default: { origins: [APP], methods: ['DELETE'] },
      paths: { '/admin/*': false },
    });
    const url = await listen((req, res) => {
      res.setHeader('vary', 'Origin');
      if (req.headers.origin === APP) res.setHeader('access-control-allow-origin', APP);
      if (req.method === 'OPTIONS') res.statusCode = 204; // no Access-Control-Allow-Methods
      res.end();
    });
    const report = await conform({ url, file });
    const found = report.differences.map((d) => `${d.kind} ${d.case.method} ${d.case.path}`);
    expect(found).toContain('allowed-but-policy-refuses GET /admin/corsproof-conform');
    expect(found).toContain('refused-but-policy-allows DELETE /corsproof-conform-unmatched');
  });

  it('finds private network access the policy grants and the server does not', async () => {
    const url = await listen(withCors({ origins: [APP] }, (_req, res) => res.end('ok')));
    const report = await conform({ url, file: { origins: [APP], privateNetwork: true } });
    expect(report.differences.map((d) => [d.kind, d.case.probe])).toEqual([
      ['refused-but-policy-allows', 'private-network'],
    ]);
    expect(report.differences[0]?.message).toContain('access-control-allow-private-network');
  });

  it('takes the policy document as written, parsing it itself', async () => {
    const url = await listen(withCors({ origins: [APP] }, (_req, res) => res.end('ok')));
    const report = await conform({ url, file: { origins: [APP] } });
    expect(report.conforms).toBe(true);
    expect(report.cases.length).toBe(9);
  });

  it('stops when its signal aborts, rejecting with the reason', async () => {
    const url = await listen(withCors({ origins: [APP] }, (_req, res) => res.end('ok')));
    const controller = new AbortController();
    const reason = new Error('deploy cancelled');
    const run = conform({
      url,
      file: { origins: [APP] },
      concurrency: 1,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 2) controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
  });

  it('reports a server that is not there as network errors', async () => {
    const url = await listen(() => {});
    await Promise.all(running.splice(0).map((s) => s.close()));
    const report = await conform({ url, file: parsePolicyFile({ origins: [APP] }) });
    expect(report.differences.length).toBe(report.cases.length);
    expect(new Set(report.differences.map((d) => d.kind))).toEqual(new Set(['network-error']));
  });
});
