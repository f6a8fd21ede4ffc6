/**
 * Cases for the Firefox differential suite on top of the shared `DIFF_CASES`: the points where the
 * notes (§1.6, §1.9) and the firefox profile say Firefox differs from Chromium, written so that the
 * standard's rules (not Chromium's extensions) are what is exercised.
 */

import type { DiffCase } from './checker-cases.js';
import type { BrowserFetchInit } from './harness.js';

type Pair = readonly [string, string];
const h = (name: string, value: string): Pair => [name, value];
const ECHO = h('Access-Control-Allow-Origin', '{origin}');
const CRED = h('Access-Control-Allow-Credentials', 'true');
const ACAO = (value: string) => h('Access-Control-Allow-Origin', value);
const ACAM = (value: string) => h('Access-Control-Allow-Methods', value);
const ACAH = (value: string) => h('Access-Control-Allow-Headers', value);
const LOCATION = (value: string) => h('Location', value);

/** The preflight allows the origin only: a request passes iff it needs no preflight. */
const strict = (name: string, init: BrowserFetchInit): DiffCase => ({
  name,
  init,
  hops: [{ preflight: { status: 204, headers: [ECHO] }, actual: { headers: [ECHO] } }],
});
const preflighted = (
  name: string,
  init: BrowserFetchInit,
  preflight: Pair[],
  actual: Pair[] = [ECHO],
): DiffCase => ({
  name,
  init,
  hops: [{ preflight: { status: 204, headers: preflight }, actual: { headers: actual } }],
});
const a = (n: number) => 'a'.repeat(n);
const PUT_OK = { status: 204, headers: [ECHO, ACAM('PUT')] } as const;

export const FIREFOX_CASES: readonly DiffCase[] = [
  // fetch.bs "CORS-unsafe request-header names" step 5: more than 1024 bytes of safelisted values
  // make them all unsafe. With the standard's five names at 128 bytes each the budget cannot be
  // reached, so repeated names (separate entries of the header list) are what can exceed it.
  // Measured: Firefox judges each line alone and has no total, so none of these is preflighted.
  strict('Firefox: 8 Accept-Language lines of 128 bytes (1024, within budget)', {
    headers: Array.from({ length: 8 }, (): [string, string] => ['Accept-Language', a(128)]),
  }),
  strict('Firefox: 9 Accept-Language lines of 128 bytes (1152, over budget)', {
    headers: Array.from({ length: 9 }, (): [string, string] => ['Accept-Language', a(128)]),
  }),
  strict('Firefox: 20 Accept lines of 128 bytes (2560)', {
    headers: Array.from({ length: 20 }, (): [string, string] => ['Accept', a(128)]),
  }),
  strict('Firefox: Accept twice, one line of 129 bytes', {
    headers: [
      ['Accept', 'a'],
      ['Accept', a(129)],
    ],
  }),
  strict('Firefox: Content-Type text/plain and text/html', {
    method: 'POST',
    body: 'x',
    headers: [
      ['Content-Type', 'text/plain'],
      ['Content-Type', 'text/html'],
    ],
  }),
  strict('Firefox: Accept, Accept-Language, Content-Language at 128 bytes each', {
    headers: [
      ['Accept', a(128)],
      ['Accept-Language', a(128)],
      ['Content-Language', a(128)],
    ],
  }),
  strict('Firefox: Accept twice at 64 bytes (combined 130 bytes)', {
    headers: [
      ['Accept', a(64)],
      ['Accept', a(64)],
    ],
  }),
  strict(
    'Firefox: Accept-Language of 128 bytes with spaces',
    header('Accept-Language', `${a(127)} `),
  ),
  // Client hints are Chromium's extension: in Firefox each one needs a preflight ...
  strict('Firefox: Viewport-Width 100 (client hint)', header('Viewport-Width', '100')),
  strict('Firefox: Save-Data on (client hint)', header('Save-Data', 'on')),
  // ... which passes once the preflight lists it.
  preflighted('Firefox: DPR listed in Access-Control-Allow-Headers', header('DPR', '2'), [
    ECHO,
    ACAH('dpr'),
  ]),
  // Authorization under `*`: allowed without credentials (with a deprecation warning), never with.
  preflighted('Firefox: Authorization under * and listed by name', header('Authorization', 'x'), [
    ECHO,
    ACAH('*, Authorization'),
  ]),
  preflighted(
    'Firefox: credentials, Authorization and X-A under *, authorization',
    {
      headers: [
        ['Authorization', 'x'],
        ['X-A', '1'],
      ],
      credentials: 'include',
    },
    [ECHO, CRED, ACAH('*, authorization')],
    [ECHO, CRED],
  ),
  // After a cross-origin redirect the request carries `Origin: null`, but Firefox sends the next
  // preflight as a new request from the page: its Origin and its CORS check use the page origin.
  {
    name: 'Firefox: PUT 307 to another origin, that preflight allows the page origin',
    init: { method: 'PUT', body: 'x' },
    hops: [
      { preflight: PUT_OK, actual: { status: 307, headers: [ECHO, LOCATION('{other}')] } },
      {
        preflight: { status: 204, headers: [ACAO('{page}'), ACAM('PUT')] },
        actual: { headers: [ECHO] },
      },
    ],
  },
  {
    name: 'Firefox: PUT 307 to another origin, that preflight allows null',
    init: { method: 'PUT', body: 'x' },
    hops: [
      { preflight: PUT_OK, actual: { status: 307, headers: [ECHO, LOCATION('{other}')] } },
      {
        preflight: { status: 204, headers: [ACAO('null'), ACAM('PUT')] },
        actual: { headers: [ECHO] },
      },
    ],
  },
  // Once preflighted, every later cross-origin hop is preflighted in Firefox, even a 303's GET.
  {
    name: 'Firefox: PUT 303 to the same server, the GET preflight answered',
    init: { method: 'PUT', body: 'x' },
    hops: [
      { preflight: PUT_OK, actual: { status: 303, headers: [ECHO, LOCATION('{next}')] } },
      { preflight: { status: 204, headers: [ECHO] }, actual: { headers: [ECHO] } },
    ],
  },
  {
    name: 'Firefox: credentials, X-A kept on a cross-origin redirect',
    init: { headers: [['X-A', '1']], credentials: 'include' },
    hops: [
      {
        preflight: { status: 204, headers: [ECHO, CRED, ACAH('x-a')] },
        actual: { status: 307, headers: [ECHO, CRED, LOCATION('{other}')] },
      },
      {
        preflight: { status: 204, headers: [ECHO, CRED, ACAH('x-a')] },
        actual: { headers: [ECHO, CRED] },
      },
    ],
  },
  // An empty Location is a redirect to the same URL in Firefox: it loops until the limit.
  {
    name: 'Firefox: 307 with an empty Location and ACAO',
    hops: [{ actual: { status: 307, headers: [ECHO, LOCATION('')] } }],
  },
  // Range (added to the safelist by the standard in 2022).
  strict('Firefox: Range bytes=10-', header('Range', 'bytes=10-')),
  strict('Firefox: Range bytes=-10 (suffix)', header('Range', 'bytes=-10')),
];

function header(name: string, value: string): BrowserFetchInit {
  return { headers: [[name, value]] };
}
