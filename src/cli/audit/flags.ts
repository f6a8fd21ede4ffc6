/** The flags of `corsproof audit`, and what its modes share: options, exit codes, SARIF targets. */

import type { AuditedTarget, AuditOptions, AuditReport } from '../../audit/index.js';
import {
  AuditInputError,
  type Finding,
  type Severity,
  severityAtLeast,
} from '../../audit/index.js';
import type { BrowserName } from '../../check/index.js';
import { CheckInputError } from '../../check/index.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { OpenApiFlags } from '../openapi-flags.js';
import type { TransportFlags } from '../transport.js';

export type Format = 'human' | 'json' | 'sarif';

export interface AuditFlags extends OpenApiFlags, TransportFlags {
  origin?: string;
  header?: [string, string][];
  credentials?: boolean;
  cookie?: string;
  method?: string;
  browser: BrowserName;
  timeout?: number;
  deadline?: number;
  json?: boolean;
  format?: Format;
  input?: string;
  concurrency?: number;
  policy?: string;
  resolve?: Record<string, string>;
  /** The least severity that fails the run (exit 1). Default medium. */
  failOn?: Severity;
}

/** The severity `--fail-on` defaults to: what a reviewer must act on. */
export const DEFAULT_FAIL_ON: Severity = 'medium';

/** The audit options the flags give: the whole audit in single mode, the defaults in a batch. */
export function optionsFrom(flags: AuditFlags): Omit<AuditOptions, 'url' | 'origin'> {
  return {
    headers: flags.header ?? [],
    credentials: flags.credentials === true,
    ...(flags.cookie === undefined ? {} : { cookie: flags.cookie }),
    ...(flags.method === undefined ? {} : { method: flags.method }),
    browser: flags.browser,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
    ...(flags.deadline === undefined ? {} : { deadlineMs: flags.deadline }),
  };
}

/**
 * 2 when the audit has no result; 1 when a finding of `failOn` severity or above (medium unless
 * `--fail-on` says otherwise) is proven (even if some probes failed: what is proven stays proven);
 * 2 when probes failed and nothing that serious was proven (the rest is unknown, not clean); else 0.
 */
export function exitCodeOf(report: AuditReport, failOn: Severity = DEFAULT_FAIL_ON): number {
  if (report.error !== null) return EXIT_USAGE;
  if (hasSerious(report.findings, failOn)) return EXIT_FAIL;
  return report.errors.length > 0 ? EXIT_USAGE : EXIT_OK;
}

/** Whether a finding of `failOn` severity (default medium) or above is among `findings`. */
export function hasSerious(
  findings: readonly Finding[],
  failOn: Severity = DEFAULT_FAIL_ON,
): boolean {
  return findings.some((f) => severityAtLeast(f.severity, failOn));
}

/** An error the audit or the checker throws for what the user gave: a usage error, not a bug. */
export function isInputError(error: unknown): error is AuditInputError | CheckInputError {
  return error instanceof AuditInputError || error instanceof CheckInputError;
}

/** A report as one target of a SARIF log, its failed exchanges as errors. */
export function sarifTarget(report: AuditReport): AuditedTarget {
  const errors = report.error !== null ? [report.error] : report.errors;
  return {
    target: report.target,
    findings: report.findings,
    errors: errors.map((e) => `${e.leg} from ${e.origin}: ${e.code}: ${e.message}`),
  };
}
