/**
 * `corsproof explain --message "..."`: a CORS line from the browser console, read back with the
 * failure table's own wording (the checker's parseConsoleLine), explained, with what the server
 * must send and the `corsproof check` command that reproduces it.
 */
import type { BrowserName, FailureCode, Fix } from '../check/index.js';
import { checkCommand } from './check-command.js';
import type { ExplainEngine } from './engine.js';

/** What explain understands, for the message that says it did not understand. */
export const UNDERSTOOD_WORDINGS = [
  "Chromium: \"Access to fetch at '<url>' from origin '<origin>' has been blocked by CORS policy: ...\"",
  'Firefox: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at <url>. (Reason: ...)"',
  'Chromium: "Failed to load resource: net::ERR_UNSAFE_PORT" (and the other net:: errors of a refused redirect)',
] as const;

export interface MessageExplanation {
  readonly browser: BrowserName;
  /** The failure the line reports (the first, most likely, when the wording fits several). */
  readonly code: FailureCode;
  /** Other failures worded the same way by this browser (Firefox words some alike). */
  readonly alternatives: readonly FailureCode[];
  readonly url: string | null;
  readonly pageOrigin: string | null;
  /** The values the line quotes (method, header, Access-Control-Allow-Origin value, status...). */
  readonly values: Readonly<Record<string, string>>;
  /** What it means; null when that needs what only the response has (then run the check). */
  readonly explanation: string | null;
  readonly fix: Fix;
  /** The command that reproduces it live (with placeholders for what the line does not say); null when the line names no URL. */
  readonly checkCommand: string | null;
}

/**
 * Explains one console line; null when no wording of the failure table matches it (the caller
 * then names the understood wordings, UNDERSTOOD_WORDINGS).
 *
 * @example
 * const explained = explainMessage("Access to fetch at 'https://api.example/x' from origin 'https://app.example' has been blocked by CORS policy: ...", engine);
 */
export function explainMessage(text: string, engine: ExplainEngine): MessageExplanation | null {
  const parsed = engine.parseConsoleLine(text);
  if (parsed === null) return null;
  const [code, ...alternatives] = parsed.codes;
  const reading = engine.readConsoleLine(parsed, code);
  const url = parsed.values.url ?? null;
  const pageOrigin = parsed.values.pageOrigin ?? null;
  const method = parsed.values.method ?? null;
  const header = parsed.values.header ?? null;
  const command =
    url === null
      ? null
      : checkCommand({
          url: parsed.values.firstUrl ?? url,
          // Firefox's lines never name the page: the user fills it in.
          origin: pageOrigin ?? '<page origin>',
          method: method ?? (engine.lineNeedsPreflight(parsed, code) ? '<METHOD>' : 'GET'),
          headers: [],
          // The line names the header, never its value: the command has a placeholder.
          requestedHeaderNames: header,
          credentials: /Wildcard|Credentials/.test(code),
          browser: parsed.browser,
        });
  return {
    browser: parsed.browser,
    code,
    alternatives,
    url,
    pageOrigin,
    values: parsed.values,
    explanation: reading.explanation,
    fix: reading.fix,
    checkCommand: command,
  };
}
