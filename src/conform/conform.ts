/**
 * `conform()`: does the live server answer as its policy file says? Every case derived from the
 * file is run twice through the same browser-exact checker: against the intended server (the
 * policy, in memory) and against the live one; every way they differ is reported.
 */

import type { CorsOptions } from 'corsproof';
import { type PolicyFile, type PolicySetJSON, parsePolicyFile } from 'corsproof';
import type { Dispatcher } from 'undici';
import {
  type BrowserName,
  CheckInputError,
  createCheckDispatcher,
  isBrowserName,
} from '../check/index.js';
import type { ConformCase } from './case.js';
import { type ConformDifference, compareOutcomes } from './compare.js';
import { deriveCases } from './derive.js';
import { IntentDispatcher } from './intent.js';
import { type Outcome, runCase } from './outcome.js';

export interface ConformOptions {
  /** The live server: its origin, and for a file without a path table the path to try. */
  readonly url: string | URL;
  /**
   * The policy file the server is meant to carry out: parsed (`parsePolicyFile`), or the document
   * as written, which is parsed here (and throws a `CorsRoutesError` when invalid).
   */
  readonly file: PolicyFile | CorsOptions | PolicySetJSON;
  /** Cases run at once; default 8. */
  readonly concurrency?: number;
  /** The browser whose rules judge the answers; default `chromium`. */
  readonly browser?: BrowserName;
  /** Aborts the run: requests in flight are cancelled and `conform()` rejects with the reason. */
  readonly signal?: AbortSignal;
  /** An undici pool to send through (e.g. `createCheckDispatcher({ resolve })`); one is made otherwise. */
  readonly dispatcher?: Dispatcher;
  /** Called as cases finish, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One case, what the policy intends, and what the live server did. */
export interface CaseResult {
  readonly case: ConformCase;
  readonly expected: Outcome;
  readonly actual: Outcome;
  /** Empty when the case conforms. */
  readonly differences: readonly ConformDifference[];
}

export interface ConformReport {
  readonly url: string;
  readonly browser: BrowserName;
  /** Every case, in the order derived. */
  readonly cases: readonly CaseResult[];
  /** Every difference, in case order. */
  readonly differences: readonly ConformDifference[];
  /** Whether every case conforms. */
  readonly conforms: boolean;
  /** What makes the run prove less than it seems (cases the browser blocks before CORS applies). */
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

const DEFAULT_CONCURRENCY = 8;

function resolveUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new CheckInputError(
      'INVALID_URL',
      'url',
      `${JSON.stringify(String(input))} is not an absolute URL; give the server's, e.g. "https://api.example.com/"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CheckInputError(
      'UNSUPPORTED_SCHEME',
      'url',
      `${JSON.stringify(url.href)} is not an http(s) URL; CORS only applies to http: and https:`,
    );
  }
  return url;
}

function checkOptions(options: ConformOptions): { concurrency: number; browser: BrowserName } {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'concurrency',
      `concurrency must be a whole number from 1 to 64, not ${JSON.stringify(concurrency)}`,
    );
  }
  const browser = options.browser ?? 'chromium';
  if (!isBrowserName(browser)) {
    throw new CheckInputError(
      'INVALID_OPTION',
      'browser',
      `browser must be "chromium", "firefox" or "webkit", not ${JSON.stringify(browser)}`,
    );
  }
  return { concurrency, browser };
}

function isPolicyFile(value: ConformOptions['file']): value is PolicyFile {
  return typeof (value as { policyFor?: unknown }).policyFor === 'function';
}

/** Runs `work` over `items` with at most `limit` at once, results in item order. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Cases the intended server blocks as mixed content never reach the CORS rules: an https page
 * cannot fetch an http URL that is not potentially trustworthy (https://w3c.github.io/webappsec-mixed-content/),
 * so they conform whatever the server answers.
 */
function warningsOf(results: readonly CaseResult[], url: URL): string[] {
  const mixed = results.filter((r) => r.expected.code === 'MixedContent').length;
  if (mixed === 0) return [];
  return [
    `${mixed} of ${results.length} cases come from https origins, which browsers do not let fetch ${url.origin} (mixed content), so they test nothing about CORS; run conform against the server's https URL`,
  ];
}

/**
 * Checks that the live server at `url` answers every case of the policy file as the policy says,
 * in the chosen browser's terms. Network failures are differences (`network-error`), not
 * exceptions; it throws a `CheckInputError` for an unusable URL or option.
 *
 * @example
 * const file = parsePolicyFile(JSON.parse(await readFile('cors.json', 'utf8')));
 * const report = await conform({ url: 'https://staging.api.example.com/', file });
 * for (const d of report.differences) console.log(d.kind, d.case.title, d.message);
 */
export async function conform(options: ConformOptions): Promise<ConformReport> {
  const started = performance.now();
  const url = resolveUrl(options.url);
  const { concurrency, browser } = checkOptions(options);
  options.signal?.throwIfAborted();
  const file = isPolicyFile(options.file) ? options.file : parsePolicyFile(options.file);
  const cases = deriveCases(file, `${url.pathname}${url.search}`);
  const exposed = [...new Set(cases.flatMap((c) => c.exposeProbe))];
  const intent = new IntentDispatcher(file, exposed);
  const live = options.dispatcher ?? createCheckDispatcher({ connections: concurrency });
  const signal = options.signal;
  let done = 0;
  try {
    const results = await pool(cases, concurrency, async (c): Promise<CaseResult> => {
      const expected = await runCase(c, { baseUrl: url, browser, dispatcher: intent, signal });
      const actual = await runCase(c, { baseUrl: url, browser, dispatcher: live, signal });
      options.onProgress?.(++done, cases.length);
      return { case: c, expected, actual, differences: compareOutcomes(c, expected, actual) };
    });
    const differences = results.flatMap((r) => r.differences);
    return {
      url: url.href,
      browser,
      cases: results,
      differences,
      conforms: differences.length === 0,
      warnings: warningsOf(results, url),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    if (options.dispatcher === undefined) await live.close();
  }
}
