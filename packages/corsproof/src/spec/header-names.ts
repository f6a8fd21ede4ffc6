/**
 * Names of the CORS protocol headers, lower-cased as Node and the Fetch `Headers` class expose them.
 * https://fetch.spec.whatwg.org/#http-requests and #http-responses
 */
export const ORIGIN = 'origin';
export const VARY = 'vary';
/** Access-Control-Request-Method */
export const ACRM = 'access-control-request-method';
/** Access-Control-Request-Headers */
export const ACRH = 'access-control-request-headers';
/** Access-Control-Request-Private-Network (Private Network Access, WICG draft) */
export const ACRPN = 'access-control-request-private-network';
/** Access-Control-Allow-Origin */
export const ACAO = 'access-control-allow-origin';
/** Access-Control-Allow-Credentials */
export const ACAC = 'access-control-allow-credentials';
/** Access-Control-Allow-Methods */
export const ACAM = 'access-control-allow-methods';
/** Access-Control-Allow-Headers */
export const ACAH = 'access-control-allow-headers';
/** Access-Control-Expose-Headers */
export const ACEH = 'access-control-expose-headers';
/** Access-Control-Max-Age */
export const ACMA = 'access-control-max-age';
/** Access-Control-Allow-Private-Network (Private Network Access, WICG draft) */
export const ACAPN = 'access-control-allow-private-network';
