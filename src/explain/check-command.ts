/**
 * The `corsproof check` command that sends a request live, as explain prints it after a verdict
 * it read from a recording or a console line. Credentials in headers are masked: the user puts
 * the real value back in.
 */
import type { BrowserName } from '../check/index.js';
import { redactValue } from './redact.js';

export interface CheckCommandInput {
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  /** The request's page-set header lines. */
  readonly headers: readonly (readonly [string, string])[];
  /** A preflight's Access-Control-Request-Headers: names whose values the recording lost. */
  readonly requestedHeaderNames: string | null;
  readonly credentials: boolean;
  readonly browser: BrowserName;
}

/** POSIX shell single quotes: safe for any text. */
function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** The header lines to pass: those recorded, then names only a preflight kept, with a placeholder. */
function headerLines(input: CheckCommandInput): string[] {
  const lines = input.headers.map(([name, value]) => `${name}: ${redactValue(name, value)}`);
  const have = new Set(input.headers.map(([name]) => name.toLowerCase()));
  for (const name of (input.requestedHeaderNames ?? '').split(',')) {
    const trimmed = name.trim().toLowerCase();
    if (trimmed !== '' && !have.has(trimmed)) lines.push(`${trimmed}: <value>`);
  }
  return lines;
}

export function checkCommand(input: CheckCommandInput): string {
  const parts = ['corsproof', 'check', quote(input.url), '--origin', quote(input.origin)];
  if (input.method !== 'GET') parts.push('-X', quote(input.method));
  for (const line of headerLines(input)) parts.push('-H', quote(line));
  if (input.credentials) parts.push('--credentials');
  if (input.browser !== 'chromium') parts.push('--browser', input.browser);
  return parts.join(' ');
}
