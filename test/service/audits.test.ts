import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/audit/index.js';
import { createRunner } from '../../src/service/jobs/runner.js';
import { createFakeRunner, createTestService, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

const body = {
  url: 'https://api.example.com/me',
  origin: 'https://app.example.com',
  credentials: true,
};

function finding(severity: Finding['severity']): Finding {
  return {
    id: 'origin-reflected-any',
    category: 'security',
    severity,
    title: 'Any origin is trusted',
    origin: 'https://cpx.example',
    message: 'reflected',
    why: '',
    fix: '',
    credentials: true,
    evidence: [
      {
        request: {
          method: 'GET',
          url: body.url,
          headers: [['Authorization', 'Bearer audit-secret-42']],
        },
        response: { status: 200, headers: [['Set-Cookie', 'sid=cookie-secret-77; Secure']] },
      },
    ],
  };
}

describe('POST /api/audits', () => {
  it('runs the audit and answers 201 with id, createdAt, input and result', async () => {
    service = await createTestService();
    service.runner.onAudit = () => ({ findings: [finding('high')] });
    const res = await service.app.inject({ method: 'POST', url: '/api/audits', payload: body });
    expect(res.statusCode).toBe(201);
    const record = res.json();
    expect(record.id).toMatch(/^aud_/);
    expect(record).toMatchObject({
      createdAt: '2025-01-01T00:00:00.000Z',
      input: { url: body.url, origin: body.origin, credentials: true },
      outcome: 'failed',
      result: { findings: [{ id: 'origin-reflected-any', severity: 'high' }] },
    });
    expect(service.runner.audits[0]).toMatchObject({ credentials: true, method: 'GET' });
    expect(res.headers.location).toBe(`/api/audits/${record.id}`);
  });

  it('redacts credentials in the evidence', async () => {
    service = await createTestService();
    service.runner.onAudit = () => ({ findings: [finding('medium')] });
    const res = await service.app.inject({ method: 'POST', url: '/api/audits', payload: body });
    expect(res.body).not.toContain('audit-secret-42');
    expect(res.body).not.toContain('cookie-secret-77');
    // Set-Cookie attributes stay visible: a CORS diagnosis needs them.
    expect(res.body).toContain('sid=****#');
    expect(res.body).toContain('; Secure');
  });

  it('only low findings pass', async () => {
    service = await createTestService();
    service.runner.onAudit = () => ({ findings: [finding('low'), finding('info')] });
    const res = await service.app.inject({ method: 'POST', url: '/api/audits', payload: body });
    expect(res.json().outcome).toBe('passed');
  });

  it('GET /api/audits/:id answers the stored audit, 404 for an unknown one', async () => {
    service = await createTestService();
    const created = (
      await service.app.inject({ method: 'POST', url: '/api/audits', payload: body })
    ).json();
    const res = await service.app.inject({ method: 'GET', url: `/api/audits/${created.id}` });
    expect(res.json()).toEqual(created);
    const missing = await service.app.inject({ method: 'GET', url: '/api/audits/aud_missing' });
    expect(missing.statusCode).toBe(404);
  });

  it('with the real runner, audits a loopback target and stores the proven findings', async () => {
    // A target that reflects any Origin with credentials: the classic critical misconfiguration.
    const target = http.createServer((req, res) => {
      const origin = req.headers.origin;
      if (origin !== undefined) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-credentials', 'true');
        res.setHeader('access-control-allow-methods', 'GET, PUT');
        res.setHeader('access-control-allow-headers', 'content-type');
      }
      res.end(req.method === 'OPTIONS' ? undefined : '{}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const { port } = target.address() as AddressInfo;
    const real = createRunner({ privateTargets: 'private' });
    const fake = createFakeRunner();
    fake.onAudit = (input, signal) => real.audit(input, signal);
    service = await createTestService({ runner: fake, privateTargets: 'private' });
    try {
      const res = await service.app.inject({
        method: 'POST',
        url: '/api/audits',
        payload: { url: `http://127.0.0.1:${port}/me`, origin: 'https://app.example.com' },
      });
      expect(res.statusCode).toBe(201);
      const stored = res.json() as { id: string; result: { findings: Finding[] } };
      const reflected = stored.result.findings.find((f) => f.id === 'origin-reflected-any');
      expect(reflected?.severity).toBe('high');
      const again = await service.app.inject({ method: 'GET', url: `/api/audits/${stored.id}` });
      expect(again.json()).toMatchObject({ id: stored.id });
    } finally {
      await real.close();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
