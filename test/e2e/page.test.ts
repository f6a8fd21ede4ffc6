/**
 * The page of `corsproof serve`, in Debian's Chromium: checks that pass and fail against the demo
 * API, the history, an audit, a batch followed live to 100%, and a monitor's timeline. Each view
 * is saved to test-artifacts/ as a screenshot.
 *
 * Two services: the service built in this process (always; its audits are mocked while the
 * network auditor is not wired), and the real `corsproof serve` command when dist/ has it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason } from '../browser/chromium.js';
import {
  launchChromium,
  openPage,
  runCheck,
  screenshot,
  unlabelledControls,
} from './page-helpers.js';
import {
  ensurePageBuilt,
  type RunningService,
  serveSkipReason,
  startCliService,
  startInProcessService,
  startSwitchableTarget,
} from './service.js';

const APP_ORIGIN = 'https://app.example.com';

const browserSkip = chromiumSkipReason();
if (browserSkip !== undefined) console.warn(browserSkip);

async function verdictTitle(page: Page): Promise<string> {
  return (await page.locator('.verdict__title').textContent())?.trim() ?? '';
}

describe.skipIf(browserSkip !== undefined)('the page, against the service in-process', () => {
  let browser: Browser;
  let service: RunningService;
  let target: Awaited<ReturnType<typeof startSwitchableTarget>>;
  let blockedLink = '';

  beforeAll(async () => {
    await ensurePageBuilt();
    [service, target, browser] = await Promise.all([
      startInProcessService(),
      startSwitchableTarget(),
      launchChromium(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await target?.stop();
  });

  it('shows an allowed check: the verdict, the exchange with its decisive headers, and a link that reopens it', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(service.url);
    await runCheck(page, {
      url: `${service.demoUrl}/private`,
      origin: APP_ORIGIN,
      method: 'PUT',
      headers: [
        ['Authorization', 'Bearer demo-token'],
        ['Content-Type', 'application/json'],
      ],
      credentials: 'include',
      sendForReal: true,
    });
    expect(await verdictTitle(page)).toBe('Allowed');
    const steps = page.locator('.seq__step');
    await expect.poll(() => steps.count()).toBe(2);
    expect(await steps.first().locator('.seq__step-title').textContent()).toContain('Preflight');
    expect(await page.locator('.hdr--decisive.hdr--passed').count()).toBeGreaterThan(2);
    expect(await page.locator('.reasons').textContent()).toContain('PUT is not GET, HEAD or POST');
    await screenshot(page, 'check-allowed');

    const link = (await page.locator('.share__url').first().textContent()) ?? '';
    expect(link).toMatch(/\/#\/checks\/chk_/);
    const again = await context.newPage();
    await again.goto(link);
    await again.locator('.verdict__title').waitFor();
    expect(await verdictTitle(again)).toBe('Allowed');
    // The stored input comes back into the form, credentials redacted by the service.
    expect(await again.getByLabel('Method', { exact: true }).inputValue()).toBe('PUT');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('shows a blocked check in the browser’s words, with the fix per framework', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(service.url);
    await runCheck(page, { url: `${service.demoUrl}/no-cors`, origin: APP_ORIGIN });
    expect(await verdictTitle(page)).toBe('Blocked by CORS');
    expect(await page.locator('.console__message').textContent()).toContain(
      "has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header",
    );
    // The missing header is marked in the diagram, on the response that needed it.
    const missing = page.locator('.hdr--missing');
    expect(await missing.textContent()).toContain('access-control-allow-origin');
    expect(await page.locator('.seq__step--stopped').count()).toBe(1);

    // Framework tabs: one tab stop, arrow keys move and select.
    const tabs = page.getByRole('tab');
    expect(await tabs.count()).toBeGreaterThan(2);
    await tabs.first().focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => tabs.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await tabs.nth(1).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => tabs.last().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');

    await page.getByRole('button', { name: 'Copy the header' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(`Access-Control-Allow-Origin: ${APP_ORIGIN}`);
    await screenshot(page, 'check-blocked');
    blockedLink = page.url();
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('fits a 360 px screen, in the dark scheme', async () => {
    const { context, page, complaints } = await openPage(browser, { width: 360, dark: true });
    await page.goto(blockedLink);
    await page.locator('.verdict__title').waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await screenshot(page, 'check-blocked-360-dark');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('lists the checks in the history, filtered by verdict', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(`${service.url}/#/history`);
    await page.locator('.list__item').first().waitFor();
    expect(await page.locator('.list__item').count()).toBeGreaterThanOrEqual(2);
    await page.getByLabel('Verdict').selectOption('blocked');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('.list__item').count()).toBe(1);
    expect(await page.locator('.list__item').textContent()).toContain('/no-cors');
    await screenshot(page, 'history');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('groups an audit’s findings by severity', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(`${service.url}/#/audits`);
    // The demo's allow-list has http://localhost:5173 left in, with credentials: the real auditor
    // proves it trusted (medium with credentials) and its PUT/DELETE preflights accepted.
    await page.getByLabel('Endpoint URL').fill(`${service.demoUrl}/private`);
    await page.getByLabel('Trusted origin').fill(APP_ORIGIN);
    await page.getByLabel('Probe with credentials').check();
    await page.getByRole('button', { name: 'Run audit' }).click();
    await page.locator('.finding-group').first().waitFor({ timeout: 15_000 });
    const groups = await page.locator('.finding-group > h3').allTextContents();
    expect(groups).toEqual(['Medium severity (2)']);
    const titles = await page.locator('.finding-group').allTextContents();
    expect(titles.join(' ')).toContain('A development origin (localhost) is trusted');
    expect(titles.join(' ')).toContain('An untrusted origin may send state-changing methods');
    await screenshot(page, 'audit');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('runs a batch, following its progress to 100%, and sorts the results', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(`${service.url}/#/batches`);
    const lines = [
      `${service.demoUrl}/public`,
      `${service.demoUrl}/no-cors`,
      `${service.demoUrl}/private ${APP_ORIGIN} GET`,
      `${service.demoUrl}/private https://evil.example GET`,
      `${service.demoUrl}/tenants https://shop.example.com GET`,
      `${service.demoUrl}/tenants https://example.org GET`,
      `${service.demoUrl}/public http://localhost:3000 DELETE`,
      `${service.demoUrl}/private http://localhost:5173 PUT`,
    ];
    await page.getByLabel('Targets, one per line').fill(lines.join('\n'));
    await page.getByRole('button', { name: 'Start batch' }).click();
    await page.waitForURL(/#\/batches\/bat_/);
    await expect
      .poll(() => page.locator('.progress__percent').textContent(), { timeout: 15_000 })
      .toBe('100%');
    const bar = page.locator('#batch-progress');
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    await expect.poll(() => page.locator('tbody tr').count()).toBe(lines.length);
    await expect
      .poll(() => page.locator('.batch-run .card__title').textContent())
      .toBe('Batch finished');

    await page.getByRole('button', { name: /^Verdict/ }).click();
    expect(
      await page
        .locator('th', { has: page.getByRole('button', { name: /^Verdict/ }) })
        .getAttribute('aria-sort'),
    ).toBe('ascending');
    expect(await page.locator('tbody tr').first().textContent()).toContain('Blocked');
    await page.getByRole('button', { name: `${service.demoUrl}/no-cors` }).click();
    await page.locator('.target-details .verdict__title').waitFor();
    expect(await page.locator('.target-details .verdict__title').textContent()).toBe(
      'Blocked by CORS',
    );
    await screenshot(page, 'batch');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('shows a monitor’s pass/fail timeline with the headers that changed', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(`${service.url}/#/monitors`);
    await page.getByLabel('URL', { exact: true }).fill(target.url);
    await page.getByLabel('Page origin').fill(APP_ORIGIN);
    await page.getByLabel('Check every').selectOption('60');
    await page.getByRole('button', { name: 'Add monitor' }).click();
    const link = page.locator('.list__link').first();
    await link.waitFor();
    const id = ((await link.getAttribute('href')) ?? '').split('/').pop() ?? '';
    // The first run is due at once; then the target stops allowing the origin, and starts again.
    await expect
      .poll(async () => {
        const detail = (await (await fetch(`${service.url}/api/monitors/${id}`)).json()) as {
          monitor: { status: string };
        };
        return detail.monitor.status;
      })
      .toBe('passed');
    target.setAllowed(false);
    await service.runMonitorsAfter?.(60);
    target.setAllowed(true);
    await service.runMonitorsAfter?.(60);
    await service.runMonitorsAfter?.(60);

    await link.click();
    await page.locator('.transition').first().waitFor();
    expect(await page.locator('.transition').count()).toBe(3);
    expect(await page.locator('.timeline__band').count()).toBe(3);
    expect(await page.locator('.diff').first().textContent()).toContain(
      'access-control-allow-origin',
    );
    await screenshot(page, 'monitor');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('runs a check with the keyboard alone, with a visible focus ring', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(service.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('check-url');
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(ring).toBe('solid 3px');
    await page.keyboard.type(`${service.demoUrl}/public`);
    await page.keyboard.press('Enter');
    await page.locator('.verdict__title').waitFor();
    expect(await verdictTitle(page)).toBe('Allowed');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('gives every form control a label, in every view', async () => {
    const { context, page } = await openPage(browser);
    for (const view of ['#/', '#/history', '#/audits', '#/batches', '#/monitors', blockedLink]) {
      await page.goto(view.startsWith('#') ? `${service.url}/${view}` : view);
      await page.locator('h1').waitFor();
      if (view === '#/') await page.getByRole('button', { name: 'Add header' }).click();
      expect(await unlabelledControls(page), view).toEqual([]);
    }
    await context.close();
  });
});

const serveSkip = browserSkip ?? serveSkipReason();
if (browserSkip === undefined && serveSkip !== undefined) console.warn(serveSkip);

describe.skipIf(serveSkip !== undefined)('the page, served by `corsproof serve --demo`', () => {
  let browser: Browser;
  let service: RunningService;

  beforeAll(async () => {
    await ensurePageBuilt();
    [service, browser] = await Promise.all([startCliService(), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('checks a demo endpoint that passes and one that fails', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(service.url);
    await runCheck(page, { url: `${service.demoUrl}/public`, origin: APP_ORIGIN });
    expect(await verdictTitle(page)).toBe('Allowed');
    expect(await page.locator('.seq__step').count()).toBe(1);
    await screenshot(page, 'serve-check-allowed');
    await runCheck(page, { url: `${service.demoUrl}/no-cors`, origin: APP_ORIGIN });
    expect(await verdictTitle(page)).toBe('Blocked by CORS');
    expect(await page.locator('.hdr--missing').count()).toBe(1);
    await screenshot(page, 'serve-check-blocked');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it("runs both of Galxe's probes in Galxe mode, and the demo's /galxe passes both", async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(service.url);
    await page.getByLabel('URL the page fetches').fill(`${service.demoUrl}/galxe`);
    await page.getByLabel('Galxe mode').check();
    await page.getByRole('button', { name: 'Run check' }).click();
    const summary = page.locator('.emulation-summary');
    await summary.waitFor();
    expect((await summary.locator('strong').textContent())?.trim()).toBe(
      'Galxe’s CORS Check passes over its 2 probes',
    );
    const probes = await summary.locator('li').allTextContents();
    expect(probes.map((p) => p.split(' ')[0])).toEqual(['GET', 'POST']);
    await screenshot(page, 'serve-check-galxe');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('runs a batch to 100%', async () => {
    const { context, page, complaints } = await openPage(browser);
    await page.goto(`${service.url}/#/batches`);
    const endpoints = ['/public', '/private', '/tenants', '/no-cors'];
    await page
      .getByLabel('Targets, one per line')
      .fill(endpoints.map((e) => `${service.demoUrl}${e}`).join('\n'));
    await page.getByRole('button', { name: 'Start batch' }).click();
    await expect
      .poll(() => page.locator('.progress__percent').textContent(), { timeout: 15_000 })
      .toBe('100%');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(endpoints.length);
    await screenshot(page, 'serve-batch');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });
});
