/** Probes and metrics: what an orchestrator and a Prometheus scraper read. */
import { afterEach, describe, expect, it } from 'vitest';
import { checkBody, createTestService, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('probes', () => {
  it('/healthz answers while the process lives; /readyz when the store and workers are up', async () => {
    service = await createTestService({ auth: 'tokens' });
    expect((await service.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
    });
    const ready = await service.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { store: true, workers: true } });
  });

  it('/readyz answers 503 naming what fails', async () => {
    service = await createTestService({ startJobs: false });
    const idle = await service.app.inject({ method: 'GET', url: '/readyz' });
    expect(idle.statusCode).toBe(503);
    expect(idle.json().checks).toEqual({ store: true, workers: false });
    expect(idle.json().message).toBe(
      'corsproof: not ready: the batch and monitor workers are not running',
    );
  });
});

describe('GET /metrics', () => {
  it('counts checks by outcome and times them, in the Prometheus text format', async () => {
    service = await createTestService();
    await service.app.inject({ method: 'POST', url: '/api/checks', payload: checkBody() });
    const res = await service.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('corsproof_runs_total{kind="check",outcome="passed"} 1');
    expect(res.body).toContain('corsproof_run_duration_seconds_count{kind="check"} 1');
    expect(res.body).toMatch(/corsproof_queue_depth\{queue="slots"\} 0/);
    expect(res.body).toContain('corsproof_guard_refusals_total 0');
  });
});
