/**
 * The page never shows "clean" for "could not look": an unreachable target is an error with what
 * happened and what to do, in a check, an audit and a batch row. And the rough edges: the verdict
 * scrolls into view below the sticky bar on a phone, a batch skips bad lines as the CLI does, and
 * the audit form asks for the method with the CLI's default.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason } from '../browser/chromium.js';
import { openPage, runCheck, screenshot, withServiceAndChromium } from './page-helpers.js';

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

async function runAudit(page: Page, url: string, origin = APP_ORIGIN): Promise<void> {
  await page.getByLabel('Endpoint URL').fill(url);
  await page.getByLabel('Trusted origin').fill(origin);
  await page.getByRole('button', { name: 'Run audit' }).click();
  await page.waitForURL(/#\/audits\/aud_/);
  await page.locator('.result').waitFor({ timeout: 15_000 });
}

describe.skipIf(browserSkip !== undefined)('the page’s error states and rough edges', () => {
  const session = withServiceAndChromium();
  let nowhere = '';

  beforeAll(async () => {
    nowhere = `http://127.0.0.1:${await closedPort()}/api`;
  });

  it('an audit of a target where nothing listens is an error, never “no findings”', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/audits`);
    await runAudit(page, nowhere);
    const result = page.locator('.result');
    expect(await result.locator('.verdict__title').textContent()).toBe('Could not audit');
    expect(await result.locator('.verdict--error').count()).toBe(1);
    expect(await result.locator('.verdict--allowed').count()).toBe(0);
    expect(await result.textContent()).not.toContain('No findings');
    expect(await result.locator('.verdict__advice').textContent()).toContain(
      'Nothing accepts connections',
    );
    expect(await page.locator('[aria-live="polite"]').first().textContent()).toContain(
      'Could not audit',
    );
    await screenshot(page, 'audit-unreachable');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('a check of a target where nothing listens says it could not check, and what to do', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(session.service.url);
    await runCheck(page, { url: nowhere, origin: APP_ORIGIN });
    expect(await page.locator('.verdict__title').textContent()).toBe('Could not check');
    expect(await page.locator('.verdict--error').count()).toBe(1);
    expect(await page.locator('.verdict__advice').textContent()).toContain(
      'Nothing accepts connections',
    );
    await screenshot(page, 'check-unreachable');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('a batch skips a bad line, lists it, and marks an unreachable target as an error', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/batches`);
    await page.getByRole('radio', { name: 'Audits' }).check();
    await page.getByLabel('Trusted origin').fill(APP_ORIGIN);
    const lines = [`${session.service.demoUrl}/public`, 'ftp://not-http.example', nowhere];
    await page.getByLabel('Targets, one per line').fill(lines.join('\n'));
    await page.getByRole('button', { name: 'Start batch' }).click();
    await page.waitForURL(/#\/batches\/bat_/);
    expect(await page.locator('.skipped-lines').textContent()).toContain(
      'Line 2: "ftp://not-http.example" is not an http(s) URL.',
    );
    await expect
      .poll(() => page.locator('.batch-run .card__title').textContent(), { timeout: 30_000 })
      .toBe('Batch finished');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    const unreachable = page.locator('tbody tr', { hasText: nowhere });
    expect(await unreachable.locator('.badge--error').textContent()).toContain('Error');
    expect(await unreachable.textContent()).not.toContain('No findings');
    expect(await page.locator('.batch-run').textContent()).toContain(
      '1 of 2 targets could not be audited',
    );
    // The batch downloads as CSV from its page, the unreachable target marked as an error.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV' }).click();
    const csv = await (await download).createReadStream();
    let text = '';
    for await (const chunk of csv) text += String(chunk);
    expect(text).toContain(`${nowhere},${APP_ORIGIN},GET,done,error,error,`);
    await page.getByRole('button', { name: nowhere }).click();
    const details = page.locator('.target-details');
    await details.locator('.verdict__title').waitFor();
    expect(await details.locator('.verdict__title').textContent()).toBe('Could not audit');
    await screenshot(page, 'batch-unreachable');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('a check batch marks an unreachable target as an error', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/batches`);
    await page.getByLabel('Page origin').fill(APP_ORIGIN);
    await page
      .getByLabel('Targets, one per line')
      .fill(`${session.service.demoUrl}/public\n${nowhere}`);
    await page.getByRole('button', { name: 'Start batch' }).click();
    await page.waitForURL(/#\/batches\/bat_/);
    await expect
      .poll(() => page.locator('.batch-run .card__title').textContent(), { timeout: 30_000 })
      .toBe('Batch finished');
    const unreachable = page.locator('tbody tr', { hasText: nowhere });
    await expect.poll(() => unreachable.locator('.badge--error').count()).toBe(1);
    expect(await unreachable.locator('.badge--allowed').count()).toBe(0);
    expect(await page.locator('.batch-run').textContent()).toContain(
      '1 of 2 targets could not be checked',
    );
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('on a 390 px screen, the verdict of a new check shows below the sticky bar', async () => {
    const { context, page, complaints } = await openPage(session.browser, {
      width: 390,
      height: 844,
    });
    await page.goto(session.service.url);
    await runCheck(page, { url: `${session.service.demoUrl}/public`, origin: APP_ORIGIN });
    const bar = page.locator('.topbar');
    const verdict = page.locator('.verdict-slot .verdict');
    await expect
      .poll(async () => {
        const barBox = await bar.boundingBox();
        const box = await verdict.boundingBox();
        if (barBox === null || box === null) return 'not laid out';
        // The headline's top is below the bar and on screen.
        return box.y >= barBox.y + barBox.height && box.y < 844 ? 'visible' : `at ${box.y}`;
      })
      .toBe('visible');
    await page.screenshot({ path: 'test-artifacts/check-verdict-390.png' });
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('the audit form asks for the method, PUT by default as in the CLI, and sends it', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/audits`);
    const method = page.getByLabel('Method', { exact: true });
    expect(await method.inputValue()).toBe('PUT');
    await runAudit(page, `${session.service.demoUrl}/public`);
    const id = page.url().split('/').pop() ?? '';
    const stored = (await (await fetch(`${session.service.url}/api/audits/${id}`)).json()) as {
      input: { method: string };
    };
    expect(stored.input.method).toBe('PUT');
    // Reopened, the stored method comes back into the form.
    await page.reload();
    await page.locator('.result').waitFor();
    expect(await method.inputValue()).toBe('PUT');
    await screenshot(page, 'audit-method');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });
});
