/**
 * The explain view's model, pure: a HAR file or a console line in, the explanation out, run in the
 * page with the checker's pure judging functions (never its transport: the page has no undici).
 */
import {
  lineNeedsPreflight,
  parseConsoleLine,
  readConsoleLine,
} from '../../../../src/check/failures/parse.js';
import type { BrowserName } from '../../../../src/check/profiles.js';
import { judgeRecordedExchange, pageSetHeaders } from '../../../../src/check/recorded.js';
import {
  type ExplainEngine,
  explainHar,
  explainMessage,
  HarError,
  type HarExplanation,
  type MessageExplanation,
  plural,
  UNDERSTOOD_WORDINGS,
} from '../../../../src/explain/index.js';

export { UNDERSTOOD_WORDINGS };

/** The checker's judging functions, from its pure modules. */
export const PAGE_ENGINE: ExplainEngine = {
  judgeRecordedExchange,
  pageSetHeaders,
  parseConsoleLine,
  readConsoleLine,
  lineNeedsPreflight,
};

export type BrowserChoice = 'auto' | BrowserName;

export type HarOutcome =
  | { readonly kind: 'explained'; readonly name: string; readonly report: HarExplanation }
  | { readonly kind: 'unreadable'; readonly name: string; readonly message: string };

export type MessageOutcome =
  | { readonly kind: 'empty' }
  | { readonly kind: 'explained'; readonly explanation: MessageExplanation }
  | { readonly kind: 'unknown' };

/** Explains a HAR's text; a file that is not a HAR is an outcome, not an exception. */
export function explainHarText(name: string, text: string, browser: BrowserChoice): HarOutcome {
  try {
    const options = browser === 'auto' ? {} : { browser };
    return { kind: 'explained', name, report: explainHar(text, options, PAGE_ENGINE) };
  } catch (error) {
    if (error instanceof HarError) return { kind: 'unreadable', name, message: error.message };
    throw error;
  }
}

export function explainLine(text: string): MessageOutcome {
  if (text.trim() === '') return { kind: 'empty' };
  const explanation = explainMessage(text, PAGE_ENGINE);
  return explanation === null ? { kind: 'unknown' } : { kind: 'explained', explanation };
}

/** One sentence for screen readers: what the file held. */
export function harSummary(outcome: HarOutcome): string {
  if (outcome.kind === 'unreadable') return `${outcome.name} could not be read.`;
  const { requests, summary } = outcome.report;
  return `${plural(requests.length, 'cross-origin request')}: ${summary.allowed} allowed, ${summary.blocked} blocked, ${summary.unknown} not decided by the recording.`;
}
