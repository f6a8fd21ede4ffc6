/**
 * Galxe's "CORS Check" failures: one line each, the same for every browser profile, since
 * Galxe's backend is no browser.
 */
import { ACAM, ACAO, getHeader } from 'corsproof/spec';
import { serverFix } from '../../fixes.js';
import type { Fix } from '../../result.js';
import type { EmulationFailureDetail, EmulationFailureEntry } from '../emulation.js';
import { GALXE_ORIGIN, type GalxeFailureCode } from './info.js';

const FAILED = 'Galxe CORS Check failed:';
const METHODS = 'GET, POST, OPTIONS';

/** What Galxe needs, whichever of its rules failed. */
function galxeFix(header: Fix['header']): Fix {
  return serverFix(
    {
      origin: GALXE_ORIGIN,
      credentials: false,
      // What the preflight asks about: the credential API's methods and its Content-Type.
      methods: ['GET', 'POST'],
      requestHeaders: ['content-type'],
    },
    `Answer OPTIONS with 204, \`Access-Control-Allow-Origin: ${GALXE_ORIGIN}\` (or \`*\`) and \`Access-Control-Allow-Methods: ${METHODS}\`.`,
    'preflight',
    header,
  );
}

const allowOrigin = (d: EmulationFailureDetail) => getHeader(d.headers, ACAO);
const allowMethods = (d: EmulationFailureDetail) => getHeader(d.headers, ACAM);
const ORIGIN_HEADER = { name: 'Access-Control-Allow-Origin', value: GALXE_ORIGIN };

export const GALXE_FAILURES: { readonly [K in GalxeFailureCode]: EmulationFailureEntry } = {
  GalxeInvalidStatus: {
    message: (d) => `${FAILED} the OPTIONS preflight answered ${d.status}, not 2xx.`,
    explain: (d) =>
      `Galxe's backend sent a preflight (OPTIONS ${d.url}) and got ${d.status}; it needs a 2xx status (its documentation shows 204). APIs that only route GET and POST answer OPTIONS with 404 or 405.`,
    failedParameter: () => '',
    fix: () => galxeFix(null),
  },
  GalxeMissingAllowOrigin: {
    message: () => `${FAILED} the preflight response has no Access-Control-Allow-Origin header.`,
    explain: () =>
      `The preflight response has no Access-Control-Allow-Origin; Galxe needs ${GALXE_ORIGIN} or *.`,
    failedParameter: () => '',
    fix: () => galxeFix(ORIGIN_HEADER),
  },
  GalxeAllowOriginMismatch: {
    message: (d) =>
      `${FAILED} Access-Control-Allow-Origin is '${allowOrigin(d) ?? ''}', neither '${GALXE_ORIGIN}' nor '*'.`,
    explain: (d) =>
      `The preflight response's Access-Control-Allow-Origin is ${JSON.stringify(allowOrigin(d))}; Galxe needs exactly ${GALXE_ORIGIN} or *.`,
    failedParameter: () => '',
    fix: () => galxeFix(ORIGIN_HEADER),
  },
  GalxeMethodNotAllowed: {
    message: (d) =>
      `${FAILED} Access-Control-Allow-Methods ('${allowMethods(d) ?? ''}') does not list ${d.method}.`,
    explain: (d) => {
      const value = allowMethods(d);
      return `The preflight response's Access-Control-Allow-Methods is ${value === null ? 'absent' : JSON.stringify(value)}; Galxe needs it to list ${d.method} (its documentation shows "${METHODS}").`;
    },
    failedParameter: () => '',
    fix: () => galxeFix({ name: 'Access-Control-Allow-Methods', value: METHODS }),
  },
};
