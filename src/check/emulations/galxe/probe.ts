/**
 * The request Galxe's "CORS Check" sends and its pass rule (docs.galxe.com/quest/credential-api/
 * overview/cross-domain-check): a preflight from `https://dashboard.galxe.com` with
 * `Access-Control-Request-Headers: Content-Type` (its curl recipe), passing on a 2xx status,
 * `Access-Control-Allow-Origin` equal to that origin or `*`, and the method listed in
 * `Access-Control-Allow-Methods`. Galxe's code is not public: comparing the method
 * case-insensitively and accepting `*` there are our assumptions.
 */
import { ACAM, ACAO, getHeader, isOkStatus, parseTokenList } from 'corsproof/spec';
import type { SentRequest } from '../../result.js';
import { GALXE_ORIGIN, type GalxeFailureCode } from './info.js';

/**
 * The preflight Galxe sends (its documented curl recipe, plus curl's default Accept).
 *
 * @example
 * curlCommand(galxePreflightRequest(new URL('https://api.example/cred'), 'GET'))
 */
export function galxePreflightRequest(url: URL, method: string): SentRequest {
  return {
    method: 'OPTIONS',
    url: url.href,
    headers: [
      ['Accept', '*/*'],
      ['Origin', GALXE_ORIGIN],
      ['Access-Control-Request-Method', method],
      ['Access-Control-Request-Headers', 'Content-Type'],
    ],
    body: null,
  };
}

/**
 * Galxe's pass rule over the preflight response: null on pass, else the first failing rule.
 *
 * @example
 * judgeGalxePreflight(204, [['Access-Control-Allow-Origin', '*'],
 *   ['Access-Control-Allow-Methods', 'GET, POST,OPTIONS']], 'POST') // null
 * judgeGalxePreflight(404, [], 'GET') // 'GalxeInvalidStatus'
 */
export function judgeGalxePreflight(
  status: number,
  headers: readonly (readonly [string, string])[],
  method: string,
): GalxeFailureCode | null {
  if (!isOkStatus(status)) return 'GalxeInvalidStatus';
  const allowOrigin = getHeader(headers, ACAO);
  if (allowOrigin === null) return 'GalxeMissingAllowOrigin';
  if (allowOrigin !== GALXE_ORIGIN && allowOrigin !== '*') return 'GalxeAllowOriginMismatch';
  const methods = parseTokenList(getHeader(headers, ACAM) ?? '');
  const listed = methods.ok ? methods.items.map((m) => m.toUpperCase()) : [];
  if (!listed.includes(method.toUpperCase()) && !listed.includes('*'))
    return 'GalxeMethodNotAllowed';
  return null;
}
