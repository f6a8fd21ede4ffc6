/**
 * corsproof/check: would a page at origin X be able to call this API? Sends what a browser would
 * send and judges the responses with the browser's rules.
 */
export { type BatchEntry, type BatchLine, parseBatchInput } from '../targets/check-batch.js';
export { check } from './check.js';
export { curlCommand, shellQuote } from './curl.js';
export { CheckInputError, type CheckInputErrorCode } from './errors.js';
export type { FailureContext, FailureDetail } from './failures/detail.js';
export { type NeededPolicy, snippetsFor } from './fixes.js';
export { type FormatOptions, formatCheckResult } from './format.js';
export { galxePreflightRequest, judgeGalxePreflight } from './galxe.js';
export { type CheckOptions, GALXE_ORIGIN, type HeadersInput, MAX_REDIRECTS } from './options.js';
export {
  BROWSER_NAMES,
  type BrowserName,
  type BrowserProfile,
  browserProfile,
  CHROMIUM,
  FIREFOX,
  isChromiumSafelistedRequestHeader,
} from './profiles.js';
export type { ResolveMap } from './resolve.js';
export type {
  CheckResult,
  CorsStatus,
  CredentialsMode,
  DroppedHeader,
  Failure,
  FailureCode,
  Fix,
  Framework,
  GalxeFailureCode,
  GalxeReport,
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
  Snippet,
  Step,
  Verdict,
  Warning,
  WarningCode,
} from './result.js';
export { type CheckDispatcherOptions, createCheckDispatcher, MAX_BODY_BYTES } from './transport.js';
