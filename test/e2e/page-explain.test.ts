/**
 * The page's explain view, in Chromium: a real HAR recording (test/fixtures/har/) chosen as a file
 * is judged in the page, with no request to the service; a pasted console line is explained, and
 * a line the page does not know says which it does.
 */
import path from 'node:path';
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
const HAR = path.resolve(import.meta.dirname, '../fixtures/har');

describe.skipIf(browserSkip !== undefined)('the page’s explain view', () => {
  const session = withServiceAndChromium();

  it('judges a Chromium HAR in the page, sending nothing', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/explain`);
    await page.getByLabel('HAR file').waitFor();
    expect(await page.getByText('the HAR file never leaves this machine').count()).toBe(1);
    const sent = requestsOf(page, (url) => !url.pathname.startsWith('/assets/'));
    await page.getByLabel('HAR file').setInputFiles(path.join(HAR, 'chromium.har'));
    const output = page.locator('.tool-output');
    await expect
      .poll(() => output.textContent())
      .toContain('9 cross-origin requests: 3 allowed, 6 blocked');
    const blocked = page
      .locator('.finding')
      .filter({ hasText: 'PUT http://127.0.0.1:9090/put-no-method' });
    expect(await blocked.textContent()).toContain(
      'Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.',
    );
    expect(await blocked.locator('.code__body').textContent()).toBe(
      'corsproof check http://127.0.0.1:9090/put-no-method --origin http://localhost:8080 -X PUT',
    );
    expect(await output.textContent()).not.toContain('secret');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'explain-har');
    expect(sent).toEqual([]);
    expect(complaints.errors).toEqual([]);
    await context.close();
  });

  it('explains a pasted console line, and names the wordings it knows for any other text', async () => {
    const { context, page, complaints } = await openPage(session.browser);
    await page.goto(`${session.service.url}/#/explain`);
    const box = page.getByLabel('Console error');
    await box.fill(
      "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin. Have the server send the header with a valid value.",
    );
    const output = page.locator('.tool-output');
    await expect.poll(() => output.textContent()).toContain('AllowOriginMismatch');
    expect(await output.textContent()).toContain('the value has a trailing "/"');
    await screenshot(page, 'explain-message');
    await box.fill('TypeError: Failed to fetch');
    await expect
      .poll(() => page.locator('.tool-output .notice--error').textContent())
      .toContain('Cross-Origin Request Blocked');
    expect(complaints.errors).toEqual([]);
    await context.close();
  });
});
