/**
 * Galxe's "CORS Check" failures (see ../galxe.ts): one line, the same for every browser profile,
 * since Galxe's backend is no browser.
 */
import { snippetsFor } from '../fixes.js';
import { GALXE_ORIGIN } from '../options.js';
import type { Fix, GalxeFailureCode } from '../result.js';
import type { DetailOf, FailureTable } from './detail.js';

const FAILED = 'Galxe CORS Check failed:';

/** What Galxe needs, whichever of its rules failed. */
function galxeFix(header: Fix['header']): Fix {
  return {
    summary: `Answer OPTIONS with 204, \`Access-Control-Allow-Origin: ${GALXE_ORIGIN}\` (or \`*\`) and \`Access-Control-Allow-Methods: GET, POST, OPTIONS\`.`,
    where: 'preflight',
    header,
    snippets: snippetsFor({
      origin: GALXE_ORIGIN,
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      headers: ['content-type'],
    }),
  };
}

type GalxeDetail = DetailOf<GalxeFailureCode>;

function invalidStatus(detail: GalxeDetail): string {
  return `${FAILED} the OPTIONS preflight answered ${detail.status}, not 2xx.`;
}

function missingAllowOrigin(): string {
  return `${FAILED} the preflight response has no Access-Control-Allow-Origin header.`;
}

function allowOriginMismatch(detail: GalxeDetail): string {
  return `${FAILED} Access-Control-Allow-Origin is '${detail.allowOrigin ?? ''}', neither '${GALXE_ORIGIN}' nor '*'.`;
}

function methodNotAllowed(detail: GalxeDetail): string {
  return `${FAILED} Access-Control-Allow-Methods ('${detail.allowMethods ?? ''}') does not list ${detail.method}.`;
}

export const GALXE_FAILURES: FailureTable<GalxeFailureCode> = {
  GalxeInvalidStatus: {
    chromium: invalidStatus,
    firefox: invalidStatus,
    webkit: invalidStatus,
    explain: (detail, ctx) =>
      `Galxe's backend sent a preflight (OPTIONS ${ctx.url}) and got ${detail.status}; it needs a 2xx status (its documentation shows 204). APIs that only route GET and POST answer OPTIONS with 404 or 405.`,
    fix: () => galxeFix(null),
  },
  GalxeMissingAllowOrigin: {
    chromium: missingAllowOrigin,
    firefox: missingAllowOrigin,
    webkit: missingAllowOrigin,
    explain: () =>
      `The preflight response has no Access-Control-Allow-Origin; Galxe needs ${GALXE_ORIGIN} or *.`,
    fix: () => galxeFix({ name: 'Access-Control-Allow-Origin', value: GALXE_ORIGIN }),
  },
  GalxeAllowOriginMismatch: {
    chromium: allowOriginMismatch,
    firefox: allowOriginMismatch,
    webkit: allowOriginMismatch,
    explain: (detail) =>
      `The preflight response's Access-Control-Allow-Origin is ${JSON.stringify(detail.allowOrigin)}; Galxe needs exactly ${GALXE_ORIGIN} or *.`,
    fix: () => galxeFix({ name: 'Access-Control-Allow-Origin', value: GALXE_ORIGIN }),
  },
  GalxeMethodNotAllowed: {
    chromium: methodNotAllowed,
    firefox: methodNotAllowed,
    webkit: methodNotAllowed,
    explain: (detail) =>
      `The preflight response's Access-Control-Allow-Methods is ${detail.allowMethods === null ? 'absent' : JSON.stringify(detail.allowMethods)}; Galxe needs it to list ${detail.method} (its documentation shows "GET, POST, OPTIONS").`,
    fix: () => galxeFix({ name: 'Access-Control-Allow-Methods', value: 'GET, POST, OPTIONS' }),
  },
};
