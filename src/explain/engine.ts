/**
 * The checker's judging functions explain runs on. They are handed in rather than imported, so
 * that this folder imports the checker only for its types: the CLI passes them from the checker's
 * index, and the page from the checker's pure modules, without undici in its bundle.
 */
import type {
  judgeRecordedExchange,
  lineNeedsPreflight,
  pageSetHeaders,
  parseConsoleLine,
  readConsoleLine,
} from '../check/index.js';

export interface ExplainEngine {
  readonly judgeRecordedExchange: typeof judgeRecordedExchange;
  readonly pageSetHeaders: typeof pageSetHeaders;
  readonly parseConsoleLine: typeof parseConsoleLine;
  readonly readConsoleLine: typeof readConsoleLine;
  readonly lineNeedsPreflight: typeof lineNeedsPreflight;
}
