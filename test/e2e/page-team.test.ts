/**
 * The views a team uses, in Chromium, against a service that asks for tokens: signing in, making
 * and revoking a token with the audit log naming who did it; the History's audits and batches
 * (an unreachable audit listed and re-run as an error, a batch re-run and downloaded with the
 * token); the monitors list and a monitor's page (pause, resume, run now, a webhook whose
 * receiver fails twice, each attempt in the delivery log, and the change that caused it).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/service/auth/api-token.js';
import { createService, type Service } from '../../src/service/http/server.js';
import { createRunner } from '../../src/service/jobs/runner.js';
import { createIdFactory } from '../../src/service/store/ids.js';
import { openSqliteStore } from '../../src/service/store/index.js';
import { chromiumSkipReason } from '../browser/chromium.js';
import { launchChromium, openPage, screenshot } from './page-helpers.js';
import { ensurePageBuilt, startSwitchableTarget, WEB_ROOT } from './service.js';

const APP_ORIGIN = 'https://app.example.com';

const browserSkip = chromiumSkipReason();

/** A loopback port where nothing listens: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A webhook receiver that answers 500 to its first `failures` requests, then 204. */
async function startReceiver(failures: number): Promise<{
  url: string;
  readonly received: { status: number; body: string; signature: string }[];
  stop(): Promise<void>;
}> {
  const received: { status: number; body: string; signature: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const status = received.length < failures ? 500 : 204;
      received.push({ status, body, signature: String(req.headers['corsproof-signature']) });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/hook`,
    received,
    stop() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe.skipIf(browserSkip !== undefined)('the page of a team’s service', () => {
  let browser: Browser;
  let service: Service;
  let target: Awaited<ReturnType<typeof startSwitchableTarget>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let url = '';
  let adminToken = '';
  let nowhere = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corsproof-team-'));
  const store = openSqliteStore(path.join(dir, 'x.db'));
  const runner = createRunner({ privateTargets: 'loopback' });

  /** The API as the admin, from the test. */
  async function api(method: string, route: string, body?: unknown, token = adminToken) {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
  }

  /**
   * Signs in as the admin. The page's first call is answered 401 (that is how it learns to ask for
   * a token), which Chromium logs as a console error: that one is forgotten, later ones are not.
   */
  async function signIn(page: Page, complaints: { errors: string[] }): Promise<void> {
    await page.goto(`${url}/#/`);
    await page.getByLabel('API token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('owner (admin)').waitFor();
    expect(complaints.errors).toEqual([
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
    complaints.errors.splice(0);
  }

  beforeAll(async () => {
    await ensurePageBuilt();
    adminToken = (
      await issueToken(store.tokens, createIdFactory(Date.now), Date.now(), {
        name: 'owner',
        scope: 'admin',
        createdBy: null,
      })
    ).token;
    [target, receiver, browser] = await Promise.all([
      startSwitchableTarget(),
      startReceiver(2),
      launchChromium(),
    ]);
    nowhere = `http://127.0.0.1:${await closedPort()}/api`;
    service = await createService({
      store,
      runner,
      privateTargets: 'loopback',
      auth: 'tokens',
      webRoot: WEB_ROOT,
      // Retries 20 ms, then 40 ms apart: the delivery log fills in well under a second.
      webhookRetry: { baseDelayMs: 20 },
    });
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.app.close();
    await runner.close();
    store.close();
    await target?.stop();
    await receiver?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a token shown once, revokes it, and the audit log says who did both', async () => {
    const { context, page, complaints } = await openPage(browser);
    await signIn(page, complaints);
    await page.getByRole('link', { name: 'Access' }).click();
    await page.getByRole('heading', { name: 'Make a token' }).waitFor();
    await page.getByLabel('Name').fill('ci');
    await page.getByLabel('Scope').selectOption('run');
    await page.getByRole('button', { name: 'Make the token' }).click();
    const shown = page.getByRole('status').filter({ hasText: 'shown this once' });
    const made = (await shown.locator('code').textContent()) ?? '';
    expect(made).toMatch(/^cpt_[A-Za-z0-9]+_[A-Za-z0-9_-]{43}$/);
    expect(await api('GET', '/api/session', undefined, made)).toMatchObject({
      status: 200,
      json: { name: 'ci', scope: 'run' },
    });

    const row = page.locator('.list__item', { hasText: /^ci\s*run/ });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    expect((await api('GET', '/api/session', undefined, made)).status).toBe(401);

    const log = page.locator('section', { has: page.getByRole('heading', { name: 'Audit log' }) });
    await expect
      .poll(() => log.locator('.list__title').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/^owner · revokeToken tok_/)]));
    expect((await log.locator('.list__title').allTextContents()).join('\n')).toMatch(
      /owner · createToken tok_/,
    );
    // Reloading shows the token's name and scope, never its text again.
    await page.reload();
    await page.getByRole('heading', { name: 'Tokens' }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(made);
    await screenshot(page, 'access-tokens');
    expect(complaints.errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('lists audits with an unreachable one as an error, and runs it again as an error', async () => {
    const failed = await api('POST', '/api/audits', { url: nowhere, origin: APP_ORIGIN });
    expect(failed.status).toBe(201);
    expect(failed.json.outcome).toBe('error');
    const clean = await api('POST', '/api/audits', { url: target.url, origin: APP_ORIGIN });
    expect(clean.status).toBe(201);

    const { context, page, complaints } = await openPage(browser);
    await signIn(page, complaints);
    await page.goto(`${url}/#/history`);
    await page.getByRole('tab', { name: 'Audits' }).click();
    const item = page.locator('.list__item', { hasText: nowhere });
    await item.waitFor();
    expect(await page.locator('.list__item').count()).toBe(2);
    expect(await item.locator('.badge').textContent()).toBe('Error');
    expect(await item.locator('.badge--allowed').count()).toBe(0);

    await item.getByRole('button', { name: 'Run again' }).click();
    await page.waitForURL(
      (at) => /#\/audits\/aud_/.test(at.hash) && !at.hash.endsWith(failed.json.id),
    );
    const result = page.locator('.result');
    await result.locator('.verdict__title').waitFor({ timeout: 15_000 });
    expect(await result.locator('.verdict__title').textContent()).toBe('Could not audit');
    expect(await result.textContent()).not.toContain('No findings');
    await screenshot(page, 'history-audits');
    expect(complaints.errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('lists batches, runs one again, and downloads it with the tab’s token', async () => {
    const created = await api('POST', '/api/batches', {
      kind: 'check',
      targets: [
        { url: target.url, origin: APP_ORIGIN },
        { url: nowhere, origin: APP_ORIGIN },
      ],
    });
    expect(created.status).toBe(202);
    await expect
      .poll(async () => (await api('GET', `/api/batches/${created.json.id}`)).json.status, {
        timeout: 15_000,
      })
      .toBe('done');

    const { context, page, complaints } = await openPage(browser);
    await signIn(page, complaints);
    await page.goto(`${url}/#/history`);
    await page.getByRole('tab', { name: 'Batches' }).click();
    const item = page.locator('.list__item', { hasText: '2 checks' });
    await item.waitFor();
    expect(await item.locator('.list__sub').textContent()).toBe('1 passed · 0 failed · 1 errors');

    await item.getByRole('button', { name: 'Run again' }).click();
    await page.waitForURL(
      (at) => /#\/batches\/bat_/.test(at.hash) && !at.hash.endsWith(created.json.id),
    );
    await expect
      .poll(() => page.locator('.batch-run .card__title').textContent(), { timeout: 15_000 })
      .toBe('Batch finished');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^bat_.*\.csv$/);
    let text = '';
    for await (const chunk of await file.createReadStream()) text += String(chunk);
    expect(text).toContain(`${nowhere},${APP_ORIGIN},GET,done,error,error,`);
    expect(text).not.toContain('unauthorized');
    await screenshot(page, 'history-batch-rerun');
    expect(complaints.errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('runs a monitor now, pauses and resumes it, and logs every webhook attempt', async () => {
    const created = await api('POST', '/api/monitors', {
      url: target.url,
      origin: APP_ORIGIN,
      intervalSeconds: 3600,
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const status = async () => (await api('GET', `/api/monitors/${id}`)).json.monitor.status;
    await expect.poll(status, { timeout: 15_000 }).toBe('passed');

    const { context, page, complaints } = await openPage(browser);
    await signIn(page, complaints);
    await page.goto(`${url}/#/monitors/${id}`);
    await page.getByLabel('URL', { exact: true }).fill(receiver.url);
    await page.getByRole('button', { name: 'Set webhook' }).click();
    await page.getByText('Signing secret, shown this once').waitFor();
    const secret = (await page.getByRole('status').locator('code').textContent()) ?? '';
    expect(secret).not.toBe('');

    // The target stops allowing the origin; "Run now" sees it, and the webhook is told.
    target.setAllowed(false);
    await page.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(status, { timeout: 15_000 }).toBe('failed');
    await expect
      .poll(
        async () => (await api('GET', `/api/monitors/${id}/webhook`)).json.deliveries[0]?.status,
        {
          timeout: 15_000,
        },
      )
      .toBe('delivered');
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 204]);
    const delivered = receiver.received[2];
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivered?.signature ?? '') ?? [];
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${delivered?.body}`).digest('hex'));
    expect(JSON.parse(delivered?.body ?? '{}')).toMatchObject({ from: 'passed', to: 'failed' });

    await page.reload();
    const deliveries = page.locator('section', {
      has: page.getByRole('heading', { name: 'Webhook' }),
    });
    const delivery = deliveries.locator('.list__item').first();
    await delivery.waitFor();
    expect(await delivery.locator('.list__title').textContent()).toBe('delivered 3 attempts');
    const attempts = (await delivery.locator('.list__sub').textContent()) ?? '';
    expect(attempts).toMatch(
      /^#1 .*: 500 \(the receiver answered 500\) · #2 .*: 500 \(the receiver answered 500\) · #3 .*: 204$/,
    );
    expect(await page.locator('.transition').count()).toBe(2);
    // The change is shown with the delivery it caused; the first run caused none.
    await expect
      .poll(() =>
        page.locator('.transition').first().locator('.transition__delivery').textContent(),
      )
      .toBe('Webhook delivered after 3 attempts (500, 500, 204).');
    expect(await page.locator('.transition').nth(1).locator('.transition__delivery').count()).toBe(
      0,
    );
    expect(await page.locator('.timeline__band').count()).toBe(2);
    expect(await page.locator('.diff').first().textContent()).toContain(
      'access-control-allow-origin',
    );
    await screenshot(page, 'monitor-webhook');

    // Paused: no "Run now", a badge here and in the list; resumed: running again.
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.card__head .badge', { hasText: 'Paused' }).waitFor();
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    await page.goto(`${url}/#/monitors`);
    const listed = page.locator('.list__item', { hasText: target.url });
    await listed.locator('.badge', { hasText: 'Paused' }).waitFor();
    expect(await listed.locator('.list__sub').textContent()).toContain(
      'paused, not run until resumed',
    );
    await screenshot(page, 'monitors-paused');
    await listed.getByRole('link').click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Run now' }).waitFor();
    expect(await page.locator('.card__head .badge', { hasText: 'Paused' }).count()).toBe(0);
    expect((await api('GET', `/api/monitors/${id}`)).json.monitor.paused).toBe(false);
    expect(complaints.errors).toEqual([]);
    await context.close();
  }, 60_000);
});
