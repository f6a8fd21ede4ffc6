/**
 * The CORS check a browser runs on every cross-origin response (and each redirect hop), with the
 * diagnosis Chromium gives when it fails.
 * https://fetch.spec.whatwg.org/#concept-cors-check
 */
import { ACAC, ACAO } from './header-names.js';
import { getHeader, type HeaderList } from './response-headers.js';

/**
 * Why a CORS check failed, named after Chromium's `network::mojom::CorsError` values so a developer
 * recognizes them from DevTools.
 */
export type CorsCheckFailure =
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'WildcardOriginNotAllowed'
  | 'InvalidAllowCredentials';

export interface CorsCheckInput {
  /** The request origin's ASCII serialization, `null` for an opaque or tainted origin. */
  readonly origin: string;
  /** Whether the request's credentials mode is "include". */
  readonly credentialsInclude: boolean;
}

/**
 * Runs the CORS check over a response's header list: null on success, else the failure.
 * The steps are the standard's; the choice between failure names follows Chromium's `CheckAccess`.
 */
export function corsCheck(headers: HeaderList, request: CorsCheckInput): CorsCheckFailure | null {
  // 1. Let originValue be the result of getting `Access-Control-Allow-Origin` from the header list.
  const originValue = getHeader(headers, ACAO);
  // 2. If originValue is null, then return failure.
  if (originValue === null) return 'MissingAllowOriginHeader';
  // 3. If credentials mode is not "include" and originValue is `*`, then return success.
  if (originValue === '*') return request.credentialsInclude ? 'WildcardOriginNotAllowed' : null;
  // 4. If the byte-serialized request origin is not originValue, then return failure.
  if (originValue !== request.origin) return classifyMismatch(originValue);
  // 5. If credentials mode is not "include", then return success.
  if (!request.credentialsInclude) return null;
  // 6-8. Access-Control-Allow-Credentials must be exactly `true` (byte-case-sensitive).
  return getHeader(headers, ACAC) === 'true' ? null : 'InvalidAllowCredentials';
}

/** Chromium separates lists, unparseable values and plain mismatches when naming the failure. */
function classifyMismatch(value: string): CorsCheckFailure {
  // Two header lines arrive combined by ", "; a space or comma means more than one value.
  if (/[ ,]/.test(value)) return 'MultipleAllowOriginValues';
  if (value === 'null') return 'AllowOriginMismatch';
  if (!URL.canParse(value)) return 'InvalidAllowOriginValue';
  return 'AllowOriginMismatch';
}
