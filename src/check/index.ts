/**
 * corsproof/check: would a page at origin X be able to call this API? Sends what a browser would
 * send and judges the responses with the browser's rules.
 */
export { check } from './check.js';
export { curlCommand, shellQuote } from './curl.js';
export { DEADLINE_TIMEOUTS, MAX_DEADLINE_MS } from './deadline.js';
export * from './emulations/index.js';
export { CheckInputError, type CheckInputErrorCode } from './errors.js';
export type { FailureContext, FailureDetail } from './failures/detail.js';
// `corsproof explain`: judging what a browser recorded, and reading its console lines back.
export {
  type ConsoleLineReading,
  lineNeedsPreflight,
  type ParsedConsoleLine,
  parseConsoleLine,
  readConsoleLine,
} from './failures/parse.js';
// The auditor sends its probes as the checker sends requests, and the CLI pins names as it does;
// these are their interface to the checker, not part of what a check's caller needs.
/** @internal */
export { isMixedContent } from './gates.js';
export { type CheckOptions, type HeadersInput, MAX_REDIRECTS } from './options.js';
/** @internal */
export {
  BROWSER_NAMES,
  type BrowserName,
  type BrowserProfile,
  browserProfile,
  CHROMIUM,
  FIREFOX,
  isBrowserName,
  isChromiumSafelistedRequestHeader,
} from './profiles.js';
export {
  judgeRecordedExchange,
  pageSetHeaders,
  type RecordedExchange,
  type RecordedJudgement,
  type RecordedResponse,
} from './recorded.js';
export type { ResolveMap } from './resolve.js';
/** @internal */
export { PinnedHosts } from './resolve.js';
export type {
  BrowserFailureCode,
  CheckResult,
  CorsStatus,
  CredentialsMode,
  DroppedHeader,
  EmulationProbe,
  EmulationReport,
  Failure,
  FailureCode,
  Fix,
  FixSnippet,
  NeededPolicy,
  NetworkError,
  NetworkErrorCode,
  PreflightCacheReport,
  PreflightPlan,
  PreflightTrigger,
  ReadableResponse,
  ReceivedResponse,
  RequestFailureCode,
  RequestPlan,
  SentRequest,
  Step,
  Verdict,
  Warning,
  WarningCode,
} from './result.js';
/** @internal */
export {
  type CheckDispatcherOptions,
  createCheckDispatcher,
  DEFAULT_TIMEOUT_MS,
  exchange,
  MAX_BODY_BYTES,
} from './transport.js';
