/**
 * Driving the page in Chromium: launch, watch for CSP violations and console errors, fill the
 * forms the way a user does (labels, not CSS selectors), and save screenshots.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../browser/chromium.js';
import { ensurePageBuilt, ROOT, type RunningService, startInProcessService } from './service.js';

export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', ...CHROMIUM_ARGS],
  });
}

/** Everything the page complained about: console errors and CSP violations. */
export interface Complaints {
  readonly errors: string[];
}

/** A page at `width` px, with clipboard access, reporting console errors and CSP violations. */
export async function openPage(
  browser: Browser,
  options: { width?: number; height?: number; dark?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; complaints: Complaints }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const complaints: Complaints = { errors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') complaints.errors.push(message.text());
  });
  page.on('pageerror', (error) => complaints.errors.push(`pageerror: ${error.message}`));
  await page.exposeFunction('__reportCspViolation', (text: string) => {
    complaints.errors.push(`CSP: ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void })
        .__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  return { context, page, complaints };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  // From the top: a full-page shot draws the sticky bar where the page is scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface CheckForm {
  readonly url: string;
  readonly origin: string;
  readonly method?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly credentials?: 'omit' | 'include';
  readonly sendForReal?: boolean;
}

/** Fills the check form by its labels and runs it; resolves when the verdict is shown. */
export async function runCheck(page: Page, form: CheckForm): Promise<void> {
  await page.getByLabel('URL the page fetches').fill(form.url);
  await page.getByLabel('Page origin').fill(form.origin);
  await page.getByLabel('Method', { exact: true }).fill(form.method ?? 'GET');
  for (const [i, [name, value]] of (form.headers ?? []).entries()) {
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel(`Header ${i + 1} name`).fill(name);
    await page.getByLabel(`Header ${i + 1} value`).fill(value);
  }
  await page.getByLabel(form.credentials ?? 'omit', { exact: true }).check();
  if (form.sendForReal) await page.getByLabel(/^Send the .* for real$/).check();
  const before = page.url();
  await page.getByRole('button', { name: 'Run check' }).click();
  await page.waitForURL((url) => url.href !== before && url.hash.startsWith('#/checks/'));
  await page.locator('.verdict__title').waitFor();
}

/** Labels of form controls that have none (a11y guard). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('input, select, textarea, button'))
      .filter((el) => {
        const control = el as HTMLInputElement;
        if (control.type === 'hidden') return false;
        const named =
          (control.labels?.length ?? 0) > 0 ||
          control.hasAttribute('aria-label') ||
          control.hasAttribute('aria-labelledby') ||
          (el.tagName === 'BUTTON' && (el.textContent ?? '').trim() !== '');
        return !named;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** What `withServiceAndChromium` starts: read them inside tests, once `beforeAll` has run. */
export interface PageSession {
  readonly browser: Browser;
  readonly service: RunningService;
}

/**
 * Registers the hooks of a describe block of page tests: the page built, the in-process service
 * and Chromium started before its tests (bounded at 120 s), both closed after.
 */
export function withServiceAndChromium(): PageSession {
  let browser: Browser | undefined;
  let service: RunningService | undefined;
  beforeAll(async () => {
    await ensurePageBuilt();
    [service, browser] = await Promise.all([startInProcessService(), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is read before beforeAll started it`);
    return value;
  };
  return {
    get browser() {
      return started(browser, 'Chromium');
    },
    get service() {
      return started(service, 'the service');
    },
  };
}

/** `METHOD /path` of every request the page makes from now on whose URL passes `keep`. */
export function requestsOf(page: Page, keep: (url: URL) => boolean): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (keep(url)) seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}
