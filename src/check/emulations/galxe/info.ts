/**
 * Galxe's "CORS Check", as data: reproduced from its documentation
 * (docs.galxe.com/quest/credential-api/overview/cross-domain-check). Before a credential API is
 * saved, Galxe's backend sends a preflight from `https://dashboard.galxe.com`, for GET as well as
 * POST. Data only (no imports), so the page and the API schemas can list it without the checker.
 */
import type { EmulationInfo } from '../emulation.js';

/** Galxe's dashboard origin, which its CORS Check always sends. */
export const GALXE_ORIGIN = 'https://dashboard.galxe.com';

export const GALXE_FAILURE_CODES = [
  'GalxeInvalidStatus',
  'GalxeMissingAllowOrigin',
  'GalxeAllowOriginMismatch',
  'GalxeMethodNotAllowed',
] as const;

/** Galxe's "CORS Check" rules, as its documentation describes them. */
export type GalxeFailureCode = (typeof GALXE_FAILURE_CODES)[number];

export const GALXE_INFO = {
  id: 'galxe',
  platform: 'Galxe',
  name: "Galxe's CORS Check",
  origin: GALXE_ORIGIN,
  documentation: 'https://docs.galxe.com/quest/credential-api/overview/cross-domain-check',
  summary: `reproduce Galxe's CORS Check (origin ${GALXE_ORIGIN}): GET and POST, unless -X picks one`,
  probeMethods: ['GET', 'POST'],
  outcome: {
    passed: 'the credential API can be saved.',
    failed: 'the dashboard refuses to save this credential API.',
  },
  failureCodes: GALXE_FAILURE_CODES,
} as const satisfies EmulationInfo<GalxeFailureCode>;
