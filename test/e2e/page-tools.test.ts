import { describe, expect, it } from 'vitest';
import { chromiumSkipReason } from '../browser/chromium.js';
import {
  openPage,
  requestsOf,
  screenshot,
  unlabelledControls,
  withServiceAndChromium,
} from './page-helpers.js';

const browserSkip = chromiumSkipReason();

describe.skipIf(browserSkip !== undefined)('the page’s generate and import views', () => {
  const session = withServiceAndChromium();

  it('generates nginx for a two-origin policy, with headers added on errors too, in the page', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(session.service.url);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Generate' })
      .click();
    await page.getByLabel('Allowed origins, one per line').waitFor();
    // The view's code arrives after the route changes; focus still lands on its heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const api = requestsOf(page, (url) => url.pathname.startsWith('/api'));
    await page
      .getByLabel('Allowed origins, one per line')
      .fill('https://app.example.com\nhttps://admin.example.com');
    await page.getByLabel('Allow credentials').check();
    await page.getByLabel('Target server').selectOption('nginx');
    const code = page.locator('.tool-output .code__body');
    await expect
      .poll(() => code.textContent())
      .toMatch(/add_header Access-Control-Allow-Origin .* always;/);
    expect(await code.textContent()).toContain('https://admin\\.example\\.com');
    expect(await page.locator('.tool-output .notice--error').count()).toBe(0);
    expect(await page.getByText('This runs in your browser').count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'generate-nginx');
    expect(api).toEqual([]);
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('lists each warning with its code where the target is stricter, on a 360 px dark screen', async () => {
    const { context, page, complaints } = await openPage(session.browser, {
      width: 360,
      dark: true,
    });
    await page.goto(`${session.service.url}/#/generate`);
    await page.getByLabel('Target server').selectOption('flask');
    const warnings = page.locator('.tool-output .notice--warning');
    await warnings.waitFor();
    expect(await warnings.textContent()).toMatch(
      /^Generated, stricter than the policy in \d+ ways/,
    );
    expect(await warnings.locator('li code').allTextContents()).toContain('vary-incomplete');
    expect(await page.locator('.tool-output .notice--ok').count()).toBe(0);
    expect(await page.locator('.tool-output .code__title').textContent()).toMatch(/\.py$/);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await screenshot(page, 'generate-flask-360-dark');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('shows an invalid origin’s problem beside the form, and no configuration', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/generate`);
    await page.getByLabel('Allowed origins, one per line').fill('https://app.example.com/');
    const problems = page.locator('form .notice--error');
    await problems.waitFor();
    const text = (await problems.textContent()) ?? '';
    expect(text).toContain('The policy has a problem');
    expect(text).toContain('origins[0]');
    expect(text).toContain('ORIGIN_INVALID');
    expect(text).toContain('Fix:');
    expect(await page.locator('.tool-output .code').count()).toBe(0);
    expect(await page.locator('.tool-output .notice--ok').count()).toBe(0);
    expect(await page.locator('.tool-output').textContent()).toContain('Nothing generated');
    await screenshot(page, 'generate-invalid-origin');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('edits the full policy file as JSON, and shows a target’s refusal as an error', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/generate`);
    await page.getByLabel('JSON', { exact: true }).check();
    const editor = page.getByLabel('Policy file (JSON)');
    expect(JSON.parse(await editor.inputValue())).toMatchObject({
      origins: ['https://app.example.com', 'https://admin.example.com'],
    });
    await editor.fill(
      JSON.stringify({
        default: { origins: ['https://app.example.com'] },
        paths: { '/api/*': { origins: ['https://other.example.com'] }, '/*': false },
      }),
    );
    await page.getByLabel('Target server').selectOption('s3');
    const refusal = page.locator('.tool-output .notice--error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      /Cannot generate for s3.*corsproof: cannot generate s3/s,
    );
    expect(await page.locator('.tool-output .code').count()).toBe(0);
    await screenshot(page, 'generate-refused');

    await editor.fill('{ "origins": [ ');
    expect(await page.locator('.tool-output .notice--error').textContent()).toContain('Not JSON');
    // Back to the form and again to JSON: the file the user wrote is still there.
    await page.getByLabel('Form', { exact: true }).check();
    await page.getByLabel('JSON', { exact: true }).check();
    expect(await editor.inputValue()).toBe('{ "origins": [ ');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('imports an unanchored Flask regex and reports it as a prefix match, in the page', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/import`);
    await page.getByLabel('Configuration', { exact: true }).waitFor();
    const api = requestsOf(page, (url) => url.pathname.startsWith('/api'));
    await page.getByLabel('Configuration of').selectOption('flask');
    await page
      .getByLabel('Configuration', { exact: true })
      .fill(
        'CORS(app,\n     origins=[r"https://app\\.example\\.com"],\n     supports_credentials=True)',
      );
    const finding = page.locator('.finding').filter({ hasText: 'prefix-match-bypass' });
    await finding.waitFor();
    expect(await finding.locator('.badge').textContent()).toMatch(/High|Medium|Low|Info/);
    expect(await finding.locator('.finding__line').textContent()).toMatch(/^line \d+$/);
    const policy = JSON.parse((await page.locator('.tool-output .code__body').textContent()) ?? '');
    expect(policy).toMatchObject({ origins: ['https://app.example.com'], credentials: true });
    expect(await page.locator('.tool-output .notice--ok').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'import-flask');

    await page.getByLabel('Configuration', { exact: true }).fill('CORS(app, origins=[');
    const unreadable = page.locator('.tool-output .notice--error');
    await unreadable.waitFor();
    expect(await unreadable.textContent()).toContain('Could not read line');
    expect(await page.locator('.tool-output .code').count()).toBe(0);
    await screenshot(page, 'import-unreadable');
    expect(api).toEqual([]);
    expect(complaints.errors).toEqual([]);
    await context.close();
  });
});
