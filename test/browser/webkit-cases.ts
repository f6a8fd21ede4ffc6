/**
 * Cases for the WebKit differential suite on top of the shared `DIFF_CASES` and `FIREFOX_CASES`:
 * where WebKit's source (CrossOriginAccessControl.cpp, CrossOriginPreflightResultCache.cpp,
 * HTTPParsers.cpp, the network process's redirect handling) and the webkit profile say it differs
 * from the other two engines.
 */

import type { DiffCase } from './checker-cases.js';
import type { BrowserFetchInit } from './harness.js';

type Pair = readonly [string, string];
const h = (name: string, value: string): Pair => [name, value];
const ECHO = h('Access-Control-Allow-Origin', '{origin}');
const STAR = h('Access-Control-Allow-Origin', '*');
const CRED = h('Access-Control-Allow-Credentials', 'true');
const ACAM = (value: string) => h('Access-Control-Allow-Methods', value);
const ACAH = (value: string) => h('Access-Control-Allow-Headers', value);
const LOCATION = (value: string) => h('Location', value);

/** The preflight allows the origin only: a request passes iff it needs no preflight. */
const strict = (name: string, init: BrowserFetchInit): DiffCase => ({
  name,
  init,
  hops: [{ preflight: { status: 204, headers: [ECHO] }, actual: { headers: [ECHO] } }],
});

/** Every hop's preflight allows every method and header the cases use. */
const OPEN_PREFLIGHT = {
  status: 204,
  headers: [ECHO, ACAM('GET, POST, PUT, PATCH, DELETE'), ACAH('content-type, x-a, authorization')],
} as const;

/** `method` with `init`, redirected by `status` to `to` ('{next}' same origin, '{other}' not). */
const redirected = (
  name: string,
  init: BrowserFetchInit,
  status: number,
  to: '{next}' | '{other}',
  preflightEveryHop = true,
): DiffCase => ({
  name,
  init,
  hops: [
    {
      preflight: OPEN_PREFLIGHT,
      actual: { status, headers: [ECHO, LOCATION(to)] },
    },
    {
      ...(preflightEveryHop
        ? {
            preflight: {
              status: 204,
              headers: [STAR, ACAM('GET, POST, PUT, PATCH, DELETE'), ACAH('content-type, x-a')],
            },
          }
        : {}),
      actual: { headers: [STAR] },
    },
  ],
});

const DELETE: BrowserFetchInit = { method: 'DELETE' };
const PUT: BrowserFetchInit = { method: 'PUT', body: 'x' };
const PATCH: BrowserFetchInit = { method: 'PATCH', body: 'x' };
const JSON_POST: BrowserFetchInit = {
  method: 'POST',
  body: '{}',
  headers: { 'Content-Type': 'application/json' },
};

export const WEBKIT_CASES: readonly DiffCase[] = [
  // Client hints are not safelisted in WebKit (HTTPParsers.cpp): each one is preflighted.
  strict('WebKit: Width 100', { headers: { Width: '100' } }),
  strict('WebKit: Viewport-Width 100', { headers: { 'Viewport-Width': '100' } }),
  strict('WebKit: Device-Memory 8', { headers: { 'Device-Memory': '8' } }),
  strict('WebKit: Save-Data on', { headers: { 'Save-Data': 'on' } }),
  strict('WebKit: RTT 50', { headers: { RTT: '50' } }),
  strict('WebKit: Downlink 1.5', { headers: { Downlink: '1.5' } }),
  strict('WebKit: ECT 4g', { headers: { ECT: '4g' } }),
  strict('WebKit: Range Bytes=0-1', { headers: { Range: 'Bytes=0-1' } }),
  // Methods across redirects, same origin and not.
  ...[301, 302, 303, 307, 308].flatMap((status) => [
    redirected(`WebKit: DELETE ${status} to another origin`, DELETE, status, '{other}'),
    redirected(`WebKit: DELETE ${status} on the same origin`, DELETE, status, '{next}'),
    redirected(`WebKit: PUT ${status} to another origin`, PUT, status, '{other}'),
    redirected(`WebKit: PATCH ${status} on the same origin`, PATCH, status, '{next}'),
    redirected(`WebKit: JSON POST ${status} to another origin`, JSON_POST, status, '{other}'),
    redirected(`WebKit: JSON POST ${status} on the same origin`, JSON_POST, status, '{next}'),
  ]),
  // The same redirects when the next hop answers no preflight: what WebKit preflights there decides.
  ...[302, 303, 307].flatMap((status) => [
    redirected(
      `WebKit: DELETE ${status} across, no preflight there`,
      DELETE,
      status,
      '{other}',
      false,
    ),
    redirected(
      `WebKit: JSON POST ${status} across, no preflight there`,
      JSON_POST,
      status,
      '{other}',
      false,
    ),
    redirected(
      `WebKit: PUT ${status} same origin, no preflight there`,
      PUT,
      status,
      '{next}',
      false,
    ),
  ]),
  // WebKit compares Access-Control-Allow-Origin with the origin as one string.
  {
    name: 'WebKit: ACAO echoed and credentials with ACAC',
    init: { credentials: 'include' },
    hops: [{ actual: { headers: [ECHO, CRED] } }],
  },
  {
    name: 'WebKit: ACAO on two lines, both the origin',
    hops: [{ actual: { headers: [ECHO, ECHO] } }],
  },
];
