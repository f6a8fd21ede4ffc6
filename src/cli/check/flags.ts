/** The flags of `corsproof check`, and what the single and batch modes make of them. */
import type { BrowserName, CheckOptions, CheckResult } from '../../check/index.js';
import type { TargetName } from '../../generate/index.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { OpenApiFlags } from '../openapi-flags.js';
import type { TransportFlags } from '../transport.js';

export interface CheckFlags extends OpenApiFlags, TransportFlags {
  origin?: string;
  method?: string;
  header?: [string, string][];
  credentials?: boolean;
  cookie?: string;
  data?: string;
  browser: BrowserName;
  preflightOnly?: boolean;
  /** An emulation's id (`--emulate ID`). */
  emulate?: string;
  /** Short for `--emulate galxe`. */
  galxe?: boolean;
  timeout?: number;
  deadline?: number;
  maxRedirects?: number;
  json?: boolean;
  /** `--fix-for nginx,flask`: the servers to render each fix for. */
  fixFor?: TargetName[];
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
    ...(emulationOf(flags) !== undefined ? { emulate: emulationOf(flags) } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
    ...(flags.deadline !== undefined ? { deadlineMs: flags.deadline } : {}),
    ...(flags.maxRedirects !== undefined ? { maxRedirects: flags.maxRedirects } : {}),
  };
}

/** The emulation the flags ask for: `--emulate ID`, or `--galxe` (its short form). */
export function emulationOf(flags: Pick<CheckFlags, 'emulate' | 'galxe'>): string | undefined {
  return flags.emulate ?? (flags.galxe === true ? 'galxe' : undefined);
}

/** 0 allowed, 1 blocked, 2 no verdict. */
export function exitCodeOf(result: CheckResult): number {
  if (result.verdict === 'allowed') return EXIT_OK;
  if (result.verdict === 'blocked') return EXIT_FAIL;
  return EXIT_USAGE;
}
