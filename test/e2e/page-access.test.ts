/**
 * The page against a service that asks for tokens: the sign-in first, a refused token, a read-only
 * token that may look but not run (the 403 names the scope), and signing out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/service/auth/api-token.js';
import { createService, type Service } from '../../src/service/http/server.js';
import { createRunner } from '../../src/service/jobs/runner.js';
import { createIdFactory } from '../../src/service/store/ids.js';
import { openSqliteStore } from '../../src/service/store/index.js';
import { chromiumSkipReason } from '../browser/chromium.js';
import { launchChromium, openPage } from './page-helpers.js';
import { ensurePageBuilt, WEB_ROOT } from './service.js';

const browserSkip = chromiumSkipReason();

describe.skipIf(browserSkip !== undefined)('the page with tokens required', () => {
  let browser: Browser;
  let service: Service;
  let url = '';
  let readToken = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corsproof-access-'));
  const store = openSqliteStore(path.join(dir, 'x.db'));
  const runner = createRunner({ privateTargets: 'loopback' });

  beforeAll(async () => {
    await ensurePageBuilt();
    const issued = await issueToken(store.tokens, createIdFactory(Date.now), Date.now(), {
      name: 'reader',
      scope: 'read',
      createdBy: null,
    });
    readToken = issued.token;
    service = await createService({
      store,
      runner,
      privateTargets: 'loopback',
      auth: 'tokens',
      webRoot: WEB_ROOT,
    });
    await service.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.app.close();
    await runner.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for a token, refuses a wrong one, and says which scope a refused action needs', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(`${url}/#/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByLabel('API token').fill('cpt_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');

    await page.getByLabel('API token').fill(readToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('reader (read)').waitFor();

    await page.getByLabel('URL the page fetches').fill(`${url}/api/health`);
    await page.getByLabel('Page origin').fill('https://app.example.com');
    await page.getByRole('button', { name: 'Run check' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('"run" scope');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('corsproof.token'))).toBeNull();
    await context.close();
  }, 60_000);
});
