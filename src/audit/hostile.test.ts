/**
 * The auditor against targets that misbehave: a reset is reported as one, a redirect loop is the
 * browser's redirect-limit failure on every leg, and a dripping target ends the run at its
 * deadline with every request cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileServer, startHostileServer } from '../../test/hostile/targets.js';
import { audit } from './audit.js';

const TRUSTED = 'https://app.example';

let server: HostileServer;

beforeAll(async () => {
  server = await startHostileServer();
});

afterAll(async () => {
  await server.close();
});

describe('audit() against hostile targets', () => {
  it('reports a reset target as CONNECTION_RESET, not as a timeout', async () => {
    const report = await audit({ url: `${server.base}/rst`, origin: TRUSTED, timeoutMs: 600_000 });
    expect(report.error).toMatchObject({ leg: 'get', code: 'CONNECTION_RESET' });
  });

  it('judges every GET of a redirect loop as the redirect-limit failure, 16 at once', async () => {
    const report = await audit({
      url: `${server.base}/loop/0`,
      origin: TRUSTED,
      concurrency: 16,
      timeoutMs: 600_000,
    });
    expect(report.error).toBeNull();
    expect(report.errors).toEqual([]);
    expect(report.probes.length).toBeGreaterThan(0);
    for (const probe of report.probes) expect(probe.get.failure).toBe('TooManyRedirects');
    // A preflight may not be redirected at all (fetch.bs "CORS-preflight fetch" step 7).
    for (const probe of report.probes) {
      expect(probe.preflight.failure).toBe('PreflightDisallowedRedirect');
    }
    // About 600 requests: on a busy machine that takes a while.
  }, 120_000);

  it('ends a dripping target at the deadline, names it, and cancels what was in flight', async () => {
    const before = server.cancelled();
    const report = await audit({
      url: `${server.base}/drip`,
      origin: TRUSTED,
      timeoutMs: 600_000,
      deadlineMs: 300,
    });
    expect(report.findings).toEqual([]);
    expect(report.baseline).toBeNull();
    expect(report.error).toMatchObject({ leg: 'deadline', code: 'TIMEOUT' });
    expect(report.error?.message).toContain(
      'ran past its deadline of 300 ms (deadlineMs, --deadline)',
    );
    // The baseline's three exchanges were in flight: the server saw each connection close.
    await server.cancelledAtLeast(before + 3);
  });

  it("still rejects with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const reason = new Error('shutdown');
    const pending = audit({
      url: `${server.base}/drip`,
      origin: TRUSTED,
      timeoutMs: 600_000,
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it.each([0, 2.5, 3_600_001])('refuses deadlineMs %s, naming the option', async (value) => {
    await expect(
      audit({ url: `${server.base}/`, origin: TRUSTED, deadlineMs: value }),
    ).rejects.toMatchObject({ name: 'AuditInputError', option: 'deadlineMs' });
  });
});
