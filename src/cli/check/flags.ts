/** The flags of `corsproof check`, and what the single and batch modes make of them. */
import type { BrowserName, CheckOptions, CheckResult, Framework } from '../../check/index.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { OpenApiFlags } from '../openapi-flags.js';

export interface CheckFlags extends OpenApiFlags {
  origin?: string;
  method?: string;
  header?: [string, string][];
  credentials?: boolean;
  cookie?: string;
  data?: string;
  browser: BrowserName;
  preflightOnly?: boolean;
  galxe?: boolean;
  timeout?: number;
  maxRedirects?: number;
  json?: boolean;
  fixFor?: Framework;
  curl: boolean;
  input?: string;
  concurrency: number;
  resolve?: Record<string, string>;
}

/** The check options the flags give: the whole request in single mode, the defaults in a batch. */
export function optionsFrom(flags: CheckFlags): Omit<CheckOptions, 'url'> {
  return {
    ...(flags.origin !== undefined ? { origin: flags.origin } : {}),
    ...(flags.method !== undefined ? { method: flags.method } : {}),
    headers: flags.header ?? [],
    credentials: flags.credentials ? 'include' : 'same-origin',
    ...(flags.cookie !== undefined ? { cookie: flags.cookie } : {}),
    body: flags.data ?? null,
    browser: flags.browser,
    preflightOnly: flags.preflightOnly === true,
    galxe: flags.galxe === true,
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
    ...(flags.maxRedirects !== undefined ? { maxRedirects: flags.maxRedirects } : {}),
  };
}

/** 0 allowed, 1 blocked, 2 no verdict. */
export function exitCodeOf(result: CheckResult): number {
  if (result.verdict === 'allowed') return EXIT_OK;
  if (result.verdict === 'blocked') return EXIT_FAIL;
  return EXIT_USAGE;
}
