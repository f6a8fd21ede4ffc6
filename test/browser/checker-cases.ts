/**
 * The cases of the checker's differential suite: each is a fetch() call and the server's answers,
 * hop by hop. Chromium is the oracle; the cases only say what to send. Most are derived from the
 * web-platform-tests CORS suites (file names in the section comments).
 */

import type { ServerHop } from './checker-server.js';
import type { BrowserFetchInit } from './harness.js';

export interface DiffCase {
  readonly name: string;
  readonly init?: BrowserFetchInit;
  readonly hops: readonly ServerHop[];
  /** The page's host when not 127.0.0.1: `localhost` is a cross-site page origin. */
  readonly from?: string;
  /** Fetch the untrusted host name (untrusted-host.ts) instead of 127.0.0.1. */
  readonly untrusted?: true;
}

type Pair = readonly [string, string];
const h = (name: string, value: string): Pair => [name, value];
const ACAO = (value: string) => h('Access-Control-Allow-Origin', value);
const ECHO = ACAO('{origin}');
const CRED = h('Access-Control-Allow-Credentials', 'true');
const ACAM = (value: string) => h('Access-Control-Allow-Methods', value);
const ACAH = (value: string) => h('Access-Control-Allow-Headers', value);
const ACEH = (value: string) => h('Access-Control-Expose-Headers', value);
const LOCATION = (value: string) => h('Location', value);
const include: BrowserFetchInit = { credentials: 'include' };

/** A simple GET answered with `headers`. */
const get = (name: string, headers: Pair[], init?: BrowserFetchInit): DiffCase => ({
  name,
  ...(init ? { init } : {}),
  hops: [{ actual: { headers } }],
});

/** A request answered by a preflight with `preflight` headers (status 204) and an actual `actual`. */
const preflighted = (
  name: string,
  init: BrowserFetchInit,
  preflight: Pair[],
  actual: Pair[] = [ECHO],
  status = 204,
): DiffCase => ({
  name,
  init,
  hops: [{ preflight: { status, headers: preflight }, actual: { headers: actual } }],
});

/**
 * A "strict" server: the preflight allows the origin only, so a request passes iff it needs no
 * preflight. Used to learn which headers and methods Chromium safelists.
 */
const strict = (name: string, init: BrowserFetchInit): DiffCase => ({
  name,
  init,
  hops: [{ preflight: { status: 204, headers: [ECHO] }, actual: { headers: [ECHO] } }],
});
const header = (name: string, value: string): BrowserFetchInit => ({ headers: [[name, value]] });
const post = (contentType: string): BrowserFetchInit => ({
  method: 'POST',
  body: 'x',
  headers: [['Content-Type', contentType]],
});

// ---- The CORS check on a simple response (cors/origin.htm, cors-origin.any.js) ----
const allowOrigin: DiffCase[] = [
  get('ACAO echoes the origin', [ECHO]),
  get('ACAO *', [ACAO('*')]),
  get('ACAO * padded with spaces', [ACAO('  *  ')]),
  get('ACAO * padded with a tab', [ACAO('\t*')]),
  get('no ACAO', []),
  get('ACAO is the page origin with a trailing slash', [ACAO('{page}/')]),
  get('ACAO is the page origin with a path', [ACAO('{page}/app')]),
  get('ACAO is the page origin with a query', [ACAO('{page}?')]),
  get('ACAO is the page origin with a fragment', [ACAO('{page}#')]),
  get('ACAO without the port', [ACAO('http://127.0.0.1')]),
  get('ACAO upper-case scheme', [ACAO('HTTP://{page-host}')]),
  get('ACAO https instead of http', [ACAO('https://{page-host}')]),
  get('ACAO with the port written with a leading zero', [ACAO('http://127.0.0.1:0{page-port}')]),
  get('ACAO scheme-relative', [ACAO('//127.0.0.1')]),
  get('ACAO null', [ACAO('null')]),
  get('ACAO empty', [ACAO('')]),
  get('ACAO foo', [ACAO('foo')]),
  get('ACAO *.0.0.1', [ACAO('*.0.0.1')]),
  get('ACAO http://*', [ACAO('http://*')]),
  get('ACAO quoted *', [ACAO('"*"')]),
  get('ACAO * *', [ACAO('* *')]),
  get('ACAO *, *', [ACAO('*, *')]),
  get('ACAO origin and *', [ACAO('{page},*')]),
  get('ACAO origin twice in one line', [ACAO('{page}, {page}')]),
  get('ACAO two lines, same origin', [ECHO, ECHO]),
  get('ACAO two lines, origin and *', [ECHO, ACAO('*')]),
  get('ACAO two lines, * and *', [ACAO('*'), ACAO('*')]),
  get('ACAO two lines, origin and empty', [ECHO, ACAO('')]),
  get('ACAO origin with trailing space', [ACAO('{page} ')]),
  get('ACAO origin with leading tab', [ACAO('\t{page}')]),
  get('ACAO header name in upper case', [h('ACCESS-CONTROL-ALLOW-ORIGIN', '{origin}')]),
  get('ACAO header name in mixed case', [h('Access-control-Allow-origin', '{origin}')]),
  get('ACAO with userinfo', [ACAO('http://user@127.0.0.1')]),
  get('ACAO for localhost instead of 127.0.0.1', [ACAO('http://localhost:{page-port}')]),
  get('ACAO with a latin-1 byte', [ACAO('{page}\u00e9')]),
  get('ACAO with credentials-less * and ACAC true', [ACAO('*'), CRED]),
  get('ACAO with ACAC garbage, no credentials', [
    ECHO,
    h('Access-Control-Allow-Credentials', 'garbage'),
  ]),
  get('credentials omit with ACAO *', [ACAO('*')], { credentials: 'omit' }),
  get('credentials same-origin with ACAO *', [ACAO('*')], { credentials: 'same-origin' }),
  get('HEAD with ACAO', [ECHO], { method: 'HEAD' }),
  get('HEAD without ACAO', [], { method: 'HEAD' }),
  get('POST text/plain with ACAO', [ECHO], post('text/plain')),
  get('POST without ACAO', [], post('text/plain')),
];

// ---- Credentials (cors/credentials-flag.htm, cors-cookies.any.js) ----
const credentials: DiffCase[] = [
  get('credentials: origin and ACAC true', [ECHO, CRED], include),
  get('credentials: no ACAC', [ECHO], include),
  get('credentials: ACAC True', [ECHO, h('Access-Control-Allow-Credentials', 'True')], include),
  get('credentials: ACAC TRUE', [ECHO, h('Access-Control-Allow-Credentials', 'TRUE')], include),
  get('credentials: ACAC "true"', [ECHO, h('Access-Control-Allow-Credentials', '"true"')], include),
  get('credentials: ACAC false', [ECHO, h('Access-Control-Allow-Credentials', 'false')], include),
  get('credentials: ACAC 1', [ECHO, h('Access-Control-Allow-Credentials', '1')], include),
  get('credentials: ACAC empty', [ECHO, h('Access-Control-Allow-Credentials', '')], include),
  get(
    'credentials: ACAC true padded',
    [ECHO, h('Access-Control-Allow-Credentials', ' true ')],
    include,
  ),
  get('credentials: ACAC twice', [ECHO, CRED, CRED], include),
  get(
    'credentials: ACAC header name upper case',
    [ECHO, h('ACCESS-CONTROL-ALLOW-CREDENTIALS', 'true')],
    include,
  ),
  get('credentials: ACAO * and ACAC true', [ACAO('*'), CRED], include),
  get('credentials: ACAO * without ACAC', [ACAO('*')], include),
  get('credentials: ACAO null and ACAC true', [ACAO('null'), CRED], include),
  get('credentials: no ACAO', [CRED], include),
  get('credentials: ACAO trailing slash and ACAC', [ACAO('{page}/'), CRED], include),
  get('credentials: ACAO two lines and ACAC', [ECHO, ECHO, CRED], include),
];

// ---- Exposed headers (cors-expose-star.js, cors-filtering.js, access-control-expose-headers-parsing) ----
const EXTRA: Pair[] = [
  h('X-A', '1'),
  h('X-B', '2'),
  h('Content-Type', 'text/plain'),
  h('Cache-Control', 'no-store'),
  h('Content-Language', 'en'),
  h('Expires', '0'),
  h('Last-Modified', 'Tue, 15 Nov 1994 12:45:26 GMT'),
  h('Pragma', 'no-cache'),
  h('Set-Cookie', 'a=1'),
  h('Server', 'test'),
];
const exposed: DiffCase[] = [
  get('no ACEH: only safelisted response headers are readable', [ECHO, ...EXTRA]),
  get('ACEH x-a', [ECHO, ACEH('x-a'), ...EXTRA]),
  get('ACEH X-A, x-b', [ECHO, ACEH('X-A, x-b'), ...EXTRA]),
  get('ACEH on two lines', [ECHO, ACEH('x-a'), ACEH('x-b'), ...EXTRA]),
  get('ACEH with empty elements', [ECHO, ACEH(',, x-a ,'), ...EXTRA]),
  get('ACEH * without credentials', [ECHO, ACEH('*'), ...EXTRA]),
  get('ACEH * with credentials is literal', [ECHO, CRED, ACEH('*'), ...EXTRA], include),
  get('ACEH *, x-a with credentials', [ECHO, CRED, ACEH('*, x-a'), ...EXTRA], include),
  get('ACEH x-a with credentials', [ECHO, CRED, ACEH('x-a'), ...EXTRA], include),
  get('ACEH set-cookie never exposes Set-Cookie', [ECHO, ACEH('set-cookie, x-a'), ...EXTRA]),
  get('ACEH with an invalid element', [ECHO, ACEH('x-a, bad header, x-b'), ...EXTRA]),
  get('ACEH with a quoted element', [ECHO, ACEH('"x-a", x-b'), ...EXTRA]),
  get('ACEH server', [ECHO, ACEH('server'), ...EXTRA]),
  get('ACEH empty', [ECHO, ACEH(''), ...EXTRA]),
  get('ACEH * and ACAO *', [ACAO('*'), ACEH('*'), ...EXTRA]),
];

// ---- Which requests need a preflight (cors-no-preflight.any.js, cors-preflight-not-cors-safelisted,
// cors/cors-safelisted-request-header.any.js, cors/client-hint-request-headers) ----
const long = (n: number) => 'a'.repeat(n);
const safelist: DiffCase[] = [
  strict('GET needs no preflight', {}),
  strict('get is normalized to GET', { method: 'get' }),
  strict('post is normalized to POST', { method: 'post', body: 'x' }),
  strict('head is normalized to HEAD', { method: 'head' }),
  strict('PUT needs a preflight', { method: 'PUT' }),
  strict('put is normalized to PUT and needs a preflight', { method: 'put' }),
  strict('DELETE needs a preflight', { method: 'DELETE' }),
  strict('PATCH needs a preflight', { method: 'PATCH' }),
  strict('OPTIONS needs a preflight', { method: 'OPTIONS' }),
  strict('a custom method needs a preflight', { method: 'SUPER' }),
  strict('Accept text/html', header('Accept', 'text/html')),
  strict('Accept with a list', header('Accept', 'application/json, */*;q=0.8')),
  strict('Accept with a double quote', header('Accept', '"')),
  strict('Accept with a brace', header('Accept', 'a{')),
  strict('Accept with DEL', header('Accept', 'a\u007f')),
  strict('Accept of 128 bytes', header('Accept', long(128))),
  strict('Accept of 129 bytes', header('Accept', long(129))),
  strict('Accept twice (combined)', {
    headers: [
      ['Accept', 'a'],
      ['Accept', 'b'],
    ],
  }),
  strict('Accept-Language en-US', header('Accept-Language', 'en-US')),
  strict('Accept-Language with q', header('Accept-Language', 'en;q=0.5, *')),
  strict('Accept-Language with @', header('Accept-Language', '@')),
  strict('Accept-Language with underscore', header('Accept-Language', 'en_US')),
  strict('Accept-Language empty', header('Accept-Language', '')),
  strict('Content-Language de', header('Content-Language', 'de')),
  strict('Content-Language with a paren', header('Content-Language', 'de(')),
  strict('Content-Language of 129 bytes', header('Content-Language', long(129))),
  strict('Content-Type text/plain', post('text/plain')),
  strict('Content-Type Text/Plain', post('Text/Plain')),
  strict('Content-Type text/plain;charset=utf-8', post('text/plain;charset=utf-8')),
  strict('Content-Type text/plain; charset=utf-8', post('text/plain; charset=utf-8')),
  strict('Content-Type text/plain;', post('text/plain;')),
  strict('Content-Type text/plain,', post('text/plain,')),
  strict('Content-Type text /plain', post('text /plain')),
  strict('Content-Type text/ plain', post('text/ plain')),
  strict('Content-Type text/plain with trailing space', post('text/plain ')),
  strict('Content-Type text/plain, application/json', post('text/plain, application/json')),
  strict('Content-Type with a quoted charset', post('text/plain;charset="utf-8"')),
  strict('Content-Type with a long parameter', post(`text/plain; long=${long(120)}`)),
  strict('Content-Type form-urlencoded', post('application/x-www-form-urlencoded')),
  strict('Content-Type multipart/form-data with boundary', post('multipart/form-data; boundary=x')),
  strict('Content-Type multipart/form-data;"', post('multipart/form-data;"')),
  strict('Content-Type application/json', post('application/json')),
  strict('Content-Type text/html', post('text/html')),
  strict('Content-Type text/plain twice (combined)', {
    method: 'POST',
    body: 'x',
    headers: [
      ['Content-Type', 'text/plain'],
      ['Content-Type', 'text/plain'],
    ],
  }),
  strict('string body without Content-Type', { method: 'POST', body: 'x' }),
  strict('Range bytes=0-', header('Range', 'bytes=0-')),
  strict('Range bytes=0-1', header('Range', 'bytes=0-1')),
  strict('Range bytes=1-0', header('Range', 'bytes=1-0')),
  strict('Range bytes=-1 (suffix)', header('Range', 'bytes=-1')),
  strict('Range with two ranges', header('Range', 'bytes=0-1,2-3')),
  strict('Range with spaces', header('Range', 'bytes = 0-1')),
  strict('Range in upper case', header('Range', 'BYTES=0-1')),
  strict('Range bits=0-1', header('Range', 'bits=0-1')),
  strict('Range bytes=', header('Range', 'bytes=')),
  strict('Range bytes=00-01', header('Range', 'bytes=00-01')),
  strict('DPR 2', header('DPR', '2')),
  strict('DPR 2.5', header('DPR', '2.5')),
  strict('DPR 2.', header('DPR', '2.')),
  strict('DPR x', header('DPR', 'x')),
  strict('Device-Memory 0.5', header('Device-Memory', '0.5')),
  strict('Width 100', header('Width', '100')),
  strict('Width 1.5', header('Width', '1.5')),
  strict('Viewport-Width 100', header('Viewport-Width', '100')),
  strict('RTT 50', header('RTT', '50')),
  strict('RTT 5.5', header('RTT', '5.5')),
  strict('Downlink 1.5', header('Downlink', '1.5')),
  strict('ECT 4g', header('ECT', '4g')),
  strict('ECT 4G', header('ECT', '4G')),
  strict('ECT 5g', header('ECT', '5g')),
  strict('Save-Data on', header('Save-Data', 'on')),
  strict('Save-Data ON', header('Save-Data', 'ON')),
  strict('Save-Data off', header('Save-Data', 'off')),
  strict('Intervention anything', header('Intervention', '<anything>')),
  strict('X-Custom needs a preflight', header('X-Custom', '1')),
  strict('Authorization needs a preflight', header('Authorization', 'Bearer x')),
  strict('Cache-Control needs a preflight', header('Cache-Control', 'no-cache')),
  strict('Content-Encoding needs a preflight', header('Content-Encoding', 'gzip')),
  strict('a forbidden header (Cookie) is dropped', header('Cookie', 'a=1')),
  strict('a forbidden header (Content-Length) is dropped', header('Content-Length', '5')),
  strict('a forbidden header (DNT) is dropped', header('DNT', '1')),
  strict('a Sec- header is dropped', header('Sec-Custom', '1')),
  strict('a Proxy- header is dropped', header('Proxy-Custom', '1')),
  strict('X-HTTP-Method-Override: TRACE is dropped', header('X-HTTP-Method-Override', 'TRACE')),
  strict('X-HTTP-Method-Override: PUT needs a preflight', header('X-HTTP-Method-Override', 'PUT')),
  strict('X-Method-Override: get, track is dropped', header('X-Method-Override', 'get, track')),
  strict('safelisted values under the 1024-byte budget', {
    headers: [
      ['Accept', long(128)],
      ['Accept-Language', long(128)],
      ['Content-Language', long(128)],
      ['Intervention', long(128)],
      ['Width', '1'.repeat(128)],
      ['Viewport-Width', '1'.repeat(128)],
      ['RTT', '1'.repeat(128)],
      ['DPR', '1'.repeat(128)],
    ],
  }),
  strict('safelisted values over the 1024-byte budget', {
    headers: [
      ['Accept', long(128)],
      ['Accept-Language', long(128)],
      ['Content-Language', long(128)],
      ['Intervention', long(128)],
      ['Width', '1'.repeat(128)],
      ['Viewport-Width', '1'.repeat(128)],
      ['RTT', '1'.repeat(128)],
      ['DPR', '1'.repeat(128)],
      ['Device-Memory', '1'.repeat(2)],
    ],
  }),
];

// ---- The value rules of the safelisted request headers at their edges (fetch.bs "CORS-safelisted
// request-header", "CORS-unsafe request-header byte", "simple range header value"; WPT
// cors/cors-safelisted-request-header.any.js). A fetch() header value is a ByteString, so a page
// can send latin-1 bytes; each engine judges them its own way. A safelisted latin-1 value goes
// beside an unsafe X-Probe header, so the verdict shows in the preflight's
// Access-Control-Request-Headers and the value itself never reaches the wire: WebKit writes header
// values as UTF-8, the others as latin-1. ----
const N_2_53 = '9007199254740992';
const N_2_63 = '9223372036854775808';
const N_2_64 = '18446744073709551616';
const range = (value: string) => header('Range', value);
const PROBE: [string, string] = ['X-Probe', '1'];
const probed = (name: string, value: string): BrowserFetchInit => ({
  headers: [[name, value], PROBE],
});
const postProbed = (contentType: string): BrowserFetchInit => ({
  method: 'POST',
  body: 'x',
  headers: [['Content-Type', contentType], PROBE],
});
const safelistEdges: DiffCase[] = [
  // Range: the grammar and its integer limits.
  strict('edge: Range bytes=0-0', range('bytes=0-0')),
  strict('edge: Range bytes=-0', range('bytes=-0')),
  strict('edge: Range bytes=5-5', range('bytes=5-5')),
  strict('edge: Range bytes=10-9', range('bytes=10-9')),
  strict('edge: Range bytes=01-', range('bytes=01-')),
  strict('edge: Range bytes=000-001', range('bytes=000-001')),
  strict('edge: Range bytes=0-2^53-1', range('bytes=0-9007199254740991')),
  strict('edge: Range bytes=0-2^53+1', range('bytes=0-9007199254740993')),
  strict(
    'edge: Range bytes=2^53+1-2^53 (equal as doubles)',
    range(`bytes=9007199254740993-${N_2_53}`),
  ),
  strict('edge: Range bytes=0-2^63-1', range('bytes=0-9223372036854775807')),
  strict('edge: Range bytes=0-2^63', range(`bytes=0-${N_2_63}`)),
  strict('edge: Range bytes=2^63-', range(`bytes=${N_2_63}-`)),
  strict('edge: Range bytes=2^64-1-', range('bytes=18446744073709551615-')),
  strict('edge: Range bytes=0-2^64-1', range('bytes=0-18446744073709551615')),
  strict('edge: Range bytes=2^64-', range(`bytes=${N_2_64}-`)),
  strict('edge: Range bytes=0-2^64', range(`bytes=0-${N_2_64}`)),
  strict('edge: Range with a 30-digit start', range(`bytes=${'9'.repeat(30)}-`)),
  strict('edge: Range with a 30-digit end', range(`bytes=0-${'9'.repeat(30)}`)),
  strict('edge: Range with 120 leading zeros', range(`bytes=${'0'.repeat(120)}1-`)),
  strict('edge: Range of 129 bytes', range(`bytes=${'0'.repeat(122)}-`)),
  strict('edge: Range bytes= 0-1 (space after =)', range('bytes= 0-1')),
  strict('edge: Range bytes=0 -1', range('bytes=0 -1')),
  strict('edge: Range bytes=0- 1', range('bytes=0- 1')),
  strict('edge: Range with a tab after =', range('bytes=\t0-1')),
  strict('edge: Range with padding trimmed', range('  bytes=0-1\t')),
  strict('edge: Range Bytes=0-', range('Bytes=0-')),
  strict('edge: Range bytes=0-1, (trailing comma)', range('bytes=0-1,')),
  strict('edge: Range bytes=+0-1', range('bytes=+0-1')),
  strict('edge: Range bytes==0-1', range('bytes==0-1')),
  strict('edge: Range bytes 0-1 (no =)', range('bytes 0-1')),
  strict('edge: Range bytes=0-1;x', range('bytes=0-1;x')),
  strict('edge: Range bytes=0--1', range('bytes=0--1')),
  strict('edge: Range bytes=0-+1', range('bytes=0-+1')),
  strict('edge: Range with a latin-1 digit', range('bytes=0-\u00b9')),
  // Accept: CORS-unsafe request-header bytes, controls and latin-1.
  strict('edge: Accept with a latin-1 byte, beside X-Probe', probed('Accept', 'text/\u00e9')),
  strict('edge: Accept with 0x80, beside X-Probe', probed('Accept', 'a\u0080')),
  strict('edge: Accept with 0xFF, beside X-Probe', probed('Accept', 'a\u00ff')),
  strict('edge: Accept with 0x01', header('Accept', 'a\u0001b')),
  strict('edge: Accept with 0x1F', header('Accept', 'a\u001fb')),
  strict('edge: Accept with an inner tab', header('Accept', 'a\tb')),
  strict('edge: Accept with a colon', header('Accept', 'a:b')),
  strict('edge: Accept with a question mark', header('Accept', 'a?')),
  strict('edge: Accept with an at sign', header('Accept', 'a@b')),
  strict('edge: Accept with brackets', header('Accept', '[a]')),
  strict('edge: Accept with a backslash', header('Accept', 'a\\b')),
  strict('edge: Accept with parens', header('Accept', 'a(b)')),
  strict('edge: Accept with angle brackets', header('Accept', '<a>')),
  strict('edge: Accept with a closing brace', header('Accept', 'a}')),
  strict('edge: Accept with safe punctuation', header('Accept', "*/*;q=0.1, a+b!#$%&'`^|~")),
  // Accept-Language and Content-Language.
  strict('edge: Accept-Language with a latin-1 byte', header('Accept-Language', 'fr-\u00e9')),
  strict('edge: Accept-Language with a slash', header('Accept-Language', 'en/US')),
  strict('edge: Accept-Language with a plus', header('Accept-Language', 'en+US')),
  strict('edge: Accept-Language with an inner tab', header('Accept-Language', 'en,\tde')),
  strict('edge: Accept-Language *', header('Accept-Language', '*')),
  strict('edge: Accept-Language of 128 bytes', header('Accept-Language', long(128))),
  strict('edge: Accept-Language of 129 bytes', header('Accept-Language', long(129))),
  strict('edge: Content-Language with a latin-1 byte', header('Content-Language', 'de-\u00fc')),
  strict('edge: Content-Language with a colon', header('Content-Language', 'de:')),
  strict('edge: Content-Language list', header('Content-Language', 'de-DE, en;q=1')),
  strict('edge: Content-Language of 128 bytes', header('Content-Language', long(128))),
  // Content-Type: odd forms, unsafe bytes and the 128-byte limit.
  strict(
    'edge: Content-Type with a quoted ; in a parameter',
    post('text/plain;charset=utf-8;x="a;b"'),
  ),
  strict(
    'edge: Content-Type with a duplicate charset',
    post('text/plain;charset=utf-8;charset=latin1'),
  ),
  strict('edge: Content-Type text (no subtype)', post('text')),
  strict('edge: Content-Type text/ (empty subtype)', post('text/')),
  strict('edge: Content-Type text / plain', post('text / plain')),
  strict('edge: Content-Type text/plain,application/json', post('text/plain,application/json')),
  strict('edge: Content-Type application/json,text/plain', post('application/json,text/plain')),
  strict('edge: Content-Type TEXT/PLAIN;CHARSET=UTF-8', post('TEXT/PLAIN;CHARSET=UTF-8')),
  strict(
    'edge: Content-Type with a latin-1 charset, beside X-Probe',
    postProbed('text/plain;charset=\u00e9'),
  ),
  strict('edge: Content-Type with 0x01', post('text/plain;a=\u0001')),
  strict('edge: Content-Type with a tab before ;', post('text/plain\t;charset=x')),
  strict('edge: Content-Type with an at sign', post('text/plain;a=@')),
  strict(
    'edge: Content-Type with a paren in the boundary',
    post('multipart/form-data; boundary=(x)'),
  ),
  strict('edge: Content-Type quoted', post('"text/plain"')),
  strict('edge: Content-Type */*', post('*/*')),
  strict('edge: Content-Type text/plain;;', post('text/plain;;')),
  strict('edge: Content-Type text/plain;charset=utf-8;', post('text/plain;charset=utf-8;')),
  strict('edge: Content-Type with a comma in a parameter', post('text/plain;a=b,c')),
  strict('edge: Content-Type text/plain x;a=b', post('text/plain x;a=b')),
  strict(
    'edge: Content-Type form-urlencoded with 0xFF, beside X-Probe',
    postProbed('application/x-www-form-urlencoded;a=\u00ff'),
  ),
  strict('edge: Content-Type of 128 bytes', post(`text/plain;a=${long(115)}`)),
  strict('edge: Content-Type of 129 bytes', post(`text/plain;a=${long(116)}`)),
];

// ---- The preflight response (cors-preflight-status, -response-validation, -star, -redirect) ----
const PUT: BrowserFetchInit = { method: 'PUT' };
const XA: BrowserFetchInit = { headers: [['X-A', '1']] };
const preflight: DiffCase[] = [
  ...[200, 201, 202, 203, 204, 205, 206, 299].map((status) =>
    preflighted(`preflight status ${status}`, PUT, [ECHO, ACAM('PUT')], [ECHO], status),
  ),
  ...[300, 301, 302, 304, 400, 401, 403, 404, 405, 500, 501, 502, 503].map((status) =>
    preflighted(
      `preflight status ${status} without Location`,
      PUT,
      [ECHO, ACAM('PUT')],
      [ECHO],
      status,
    ),
  ),
  ...[301, 302, 303, 307, 308].map((status) =>
    preflighted(
      `preflight redirect ${status}`,
      PUT,
      [ECHO, ACAM('PUT'), LOCATION('{next}')],
      [ECHO],
      status,
    ),
  ),
  preflighted('preflight redirect without ACAO', PUT, [LOCATION('{next}')], [ECHO], 302),
  preflighted(
    'preflight 302 with an empty Location',
    PUT,
    [ECHO, ACAM('PUT'), LOCATION('')],
    [ECHO],
    302,
  ),
  preflighted('preflight 500 without ACAO', PUT, [], [ECHO], 500),
  preflighted('preflight without ACAO', PUT, [ACAM('PUT')]),
  preflighted('preflight ACAO mismatch', PUT, [ACAO('http://example.com'), ACAM('PUT')]),
  preflighted('preflight ACAO two lines', PUT, [ECHO, ECHO, ACAM('PUT')]),
  preflighted('preflight ACAO *', PUT, [ACAO('*'), ACAM('PUT')]),
  preflighted('preflight ACAO invalid', PUT, [ACAO('foo'), ACAM('PUT')]),
  preflighted('preflight passes but the response has no ACAO', PUT, [ECHO, ACAM('PUT')], []),
  preflighted('ACAM PUT', PUT, [ECHO, ACAM('PUT')]),
  preflighted('ACAM put (case-sensitive)', PUT, [ECHO, ACAM('put')]),
  preflighted('ACAM GET, PUT', PUT, [ECHO, ACAM('GET, PUT')]),
  preflighted('ACAM with spaces and empty elements', PUT, [ECHO, ACAM(' , PUT ,, ')]),
  preflighted('ACAM on two lines', PUT, [ECHO, ACAM('GET'), ACAM('PUT')]),
  preflighted('ACAM with an invalid token', PUT, [ECHO, ACAM('PUT, Bad method')]),
  preflighted('ACAM with a semicolon', PUT, [ECHO, ACAM('PUT;')]),
  preflighted('ACAM quoted', PUT, [ECHO, ACAM('"PUT"')]),
  preflighted('ACAM *', PUT, [ECHO, ACAM('*')]),
  preflighted('ACAM * for a custom method', { method: 'SUPER' }, [ECHO, ACAM('*')]),
  preflighted('ACAM PATCH for patch', { method: 'patch' }, [ECHO, ACAM('PATCH')]),
  preflighted('ACAM patch for patch', { method: 'patch' }, [ECHO, ACAM('patch')]),
  preflighted('ACAM missing for DELETE', { method: 'DELETE' }, [ECHO]),
  preflighted('ACAM invalid but GET with X-A allowed', XA, [ECHO, ACAM('a b'), ACAH('x-a')]),
  preflighted('ACAH x-a', XA, [ECHO, ACAH('x-a')]),
  preflighted('ACAH X-A (case-insensitive)', XA, [ECHO, ACAH('X-A')]),
  preflighted('ACAH x-b only', XA, [ECHO, ACAH('x-b')]),
  preflighted('ACAH *', XA, [ECHO, ACAH('*')]),
  preflighted('ACAH with an invalid token', XA, [ECHO, ACAH('x-a, x b')]),
  preflighted('ACAH with a colon', XA, [ECHO, ACAH('x-a:')]),
  preflighted(
    'ACAH on two lines',
    {
      headers: [
        ['X-A', '1'],
        ['X-B', '2'],
      ],
    },
    [ECHO, ACAH('x-a'), ACAH('x-b')],
  ),
  preflighted(
    'ACAH missing one of two',
    {
      headers: [
        ['X-A', '1'],
        ['X-B', '2'],
      ],
    },
    [ECHO, ACAH('x-b')],
  ),
  preflighted('ACAH for content-type application/json', post('application/json'), [
    ECHO,
    ACAH('content-type'),
  ]),
  preflighted('ACAH missing content-type', post('application/json'), [ECHO, ACAH('x-a')]),
  preflighted(
    'invalid ACAM and ACAH: methods reported first',
    { method: 'PUT', headers: [['X-A', '1']] },
    [ECHO, ACAM('a b'), ACAH('x y')],
  ),
  preflighted(
    'method and header both missing: method reported first',
    { method: 'PUT', headers: [['X-A', '1']] },
    [ECHO],
  ),
  preflighted('Authorization listed', header('Authorization', 'x'), [ECHO, ACAH('authorization')]),
  preflighted('Authorization under * without credentials', header('Authorization', 'x'), [
    ECHO,
    ACAH('*'),
  ]),
  preflighted(
    'Authorization and X-A under *',
    {
      headers: [
        ['Authorization', 'x'],
        ['X-A', '1'],
      ],
    },
    [ECHO, ACAH('*')],
  ),
  preflighted('Authorization not listed', header('Authorization', 'x'), [ECHO, ACAH('x-a')]),
  preflighted('a header named * with ACAH * (no credentials)', header('*', '1'), [ECHO, ACAH('*')]),
  preflighted('Max-Age 600 does not change the verdict', PUT, [
    ECHO,
    ACAM('PUT'),
    h('Access-Control-Max-Age', '600'),
  ]),
  preflighted('Max-Age garbage does not change the verdict', PUT, [
    ECHO,
    ACAM('PUT'),
    h('Access-Control-Max-Age', 'abc'),
  ]),
];

// ---- Stars and credentials on the preflight (cors-preflight-star.any.js) ----
const PUT_C: BrowserFetchInit = { method: 'PUT', credentials: 'include' };
const XA_C: BrowserFetchInit = { headers: [['X-A', '1']], credentials: 'include' };
const star: DiffCase[] = [
  preflighted(
    'credentials: preflight with origin, ACAC, ACAM PUT',
    PUT_C,
    [ECHO, CRED, ACAM('PUT')],
    [ECHO, CRED],
  ),
  preflighted('credentials: preflight without ACAC', PUT_C, [ECHO, ACAM('PUT')], [ECHO, CRED]),
  preflighted('credentials: preflight ACAO *', PUT_C, [ACAO('*'), CRED, ACAM('PUT')], [ECHO, CRED]),
  preflighted('credentials: ACAM * is literal', PUT_C, [ECHO, CRED, ACAM('*')], [ECHO, CRED]),
  preflighted(
    'credentials: a method named * with ACAM *',
    { method: '*', credentials: 'include' },
    [ECHO, CRED, ACAM('*')],
    [ECHO, CRED],
  ),
  preflighted('credentials: ACAH * is literal', XA_C, [ECHO, CRED, ACAH('*')], [ECHO, CRED]),
  preflighted(
    'credentials: a header named * with ACAH *',
    { headers: [['*', '1']], credentials: 'include' },
    [ECHO, CRED, ACAH('*')],
    [ECHO, CRED],
  ),
  preflighted(
    'credentials: Authorization under * fails',
    { headers: [['Authorization', 'x']], credentials: 'include' },
    [ECHO, CRED, ACAH('*')],
    [ECHO, CRED],
  ),
  preflighted(
    'credentials: Authorization listed with *',
    { headers: [['Authorization', 'x']], credentials: 'include' },
    [ECHO, CRED, ACAH('*, authorization')],
    [ECHO, CRED],
  ),
  preflighted(
    'credentials: preflight passes, response lacks ACAC',
    PUT_C,
    [ECHO, CRED, ACAM('PUT')],
    [ECHO],
  ),
  preflighted('credentials: ACAH lists X-A', XA_C, [ECHO, CRED, ACAH('X-A')], [ECHO, CRED]),
  preflighted(
    'credentials same-origin: ACAM * counts',
    { method: 'PUT', credentials: 'same-origin' },
    [ECHO, ACAM('*')],
  ),
  preflighted('credentials omit: ACAH * counts', { headers: [['X-A', '1']], credentials: 'omit' }, [
    ECHO,
    ACAH('*'),
  ]),
];

// ---- Redirects of the request itself (cors-redirect, cors-redirect-preflight, -credentials) ----
const hopTo = (to: string, status = 302, extra: Pair[] = [ECHO]): ServerHop => ({
  actual: { status, headers: [...extra, LOCATION(to)] },
});
const end = (headers: Pair[] = [ECHO]): ServerHop => ({ actual: { headers } });
const chain = (name: string, hops: ServerHop[], init?: BrowserFetchInit): DiffCase => ({
  name,
  ...(init ? { init } : {}),
  hops,
});
const allowPut: ServerHop['preflight'] = { status: 204, headers: [ECHO, ACAM('PUT')] };
const redirects: DiffCase[] = [
  ...[301, 302, 303, 307, 308].map((status) =>
    chain(`redirect ${status} to the same server`, [hopTo('{next}', status), end()]),
  ),
  ...[301, 302, 303, 307, 308].map((status) =>
    chain(`redirect ${status} to another origin (Origin becomes null)`, [
      hopTo('{other}', status),
      end(),
    ]),
  ),
  chain('redirect without ACAO on the hop', [hopTo('{next}', 302, []), end()]),
  chain('redirect: final response without ACAO', [hopTo('{next}'), end([])]),
  chain('cross-origin redirect: final ACAO is the page origin (tainted)', [
    hopTo('{other}'),
    end([ACAO('{page}')]),
  ]),
  chain('cross-origin redirect: final ACAO *', [hopTo('{other}'), end([ACAO('*')])]),
  chain('cross-origin redirect: final ACAO null', [hopTo('{other}'), end([ACAO('null')])]),
  chain('cross-origin and back: Origin stays null', [hopTo('{other}'), hopTo('{other}'), end()]),
  chain('redirect twice on the same server', [hopTo('{next}'), hopTo('{next}'), end()]),
  chain(
    'credentials: cross-origin redirect, final null + ACAC',
    [hopTo('{other}', 302, [ECHO, CRED]), end([ACAO('null'), CRED])],
    include,
  ),
  chain(
    'credentials: cross-origin redirect, final *',
    [hopTo('{other}', 302, [ECHO, CRED]), end([ACAO('*'), CRED])],
    include,
  ),
  chain(
    'credentials: same-server redirect with ACAC on both',
    [hopTo('{next}', 302, [ECHO, CRED]), end([ECHO, CRED])],
    include,
  ),
  chain(
    'credentials: redirect hop without ACAC',
    [hopTo('{next}', 302, [ECHO]), end([ECHO, CRED])],
    include,
  ),
  chain('redirect to a URL with userinfo', [hopTo('http://user:pass@127.0.0.1:1/x')]),
  chain('redirect to a URL with userinfo, hop without ACAO', [
    hopTo('http://user:pass@127.0.0.1:1/x', 302, []),
  ]),
  chain('redirect to ftp:', [hopTo('ftp://127.0.0.1/x')]),
  chain('redirect to data:', [hopTo('data:text/plain,hi')]),
  chain('redirect to data: without ACAO', [hopTo('data:text/plain,hi', 302, [])]),
  chain('redirect to file:', [hopTo('file:///etc/hostname')]),
  chain('redirect to javascript:', [hopTo('javascript:1')]),
  chain('redirect to about:blank', [hopTo('about:blank')]),
  chain('redirect to blob:', [hopTo('blob:http://127.0.0.1/x')]),
  chain('redirect to filesystem:', [hopTo('filesystem:http://127.0.0.1/temporary/x')]),
  chain('redirect to mailto:', [hopTo('mailto:a@example.com')]),
  chain('redirect to ws:', [hopTo('ws://127.0.0.1:1/x')]),
  chain('redirect to https on a closed port', [hopTo('https://127.0.0.1:1/x')]),
  chain('redirect to ftp: without ACAO', [hopTo('ftp://127.0.0.1/x', 302, [])]),
  chain('redirect with two different Locations', [
    { actual: { status: 302, headers: [ECHO, LOCATION('{next}'), LOCATION('{other}')] } },
    end(),
  ]),
  chain('redirect with two different Locations, no ACAO', [
    { actual: { status: 302, headers: [LOCATION('{next}'), LOCATION('{other}')] } },
    end(),
  ]),
  chain('200 with two different Locations', [
    { actual: { status: 200, headers: [ECHO, LOCATION('/a'), LOCATION('/b')] } },
  ]),
  chain('200 with two identical Content-Disposition', [
    {
      actual: {
        status: 200,
        headers: [ECHO, h('Content-Disposition', 'inline'), h('Content-Disposition', 'inline')],
      },
    },
  ]),
  chain(
    'preflight with two different Locations',
    [
      {
        preflight: { status: 204, headers: [ECHO, ACAM('PUT'), LOCATION('/a'), LOCATION('/b')] },
        actual: { headers: [ECHO] },
      },
    ],
    { method: 'PUT' },
  ),
  chain('200 with two different Content-Disposition', [
    {
      actual: {
        status: 200,
        headers: [ECHO, h('Content-Disposition', 'inline'), h('Content-Disposition', 'attachment')],
      },
    },
  ]),
  chain('21 redirects, the last without ACAO', [
    ...Array.from({ length: 20 }, () => hopTo('{next}')),
    hopTo('{next}', 302, []),
    end(),
  ]),
  chain('redirect to an invalid URL', [hopTo('http://[bad')]),
  chain('redirect to an invalid URL without ACAO', [hopTo('http://[bad', 302, [])]),
  chain('redirect with an empty Location is a response', [hopTo('')]),
  chain('302 without Location is a response', [{ actual: { status: 302, headers: [ECHO] } }]),
  chain('redirect with two identical Locations', [
    { actual: { status: 302, headers: [ECHO, LOCATION('{next}'), LOCATION('{next}')] } },
    end(),
  ]),
  chain('redirect to a bad port', [hopTo('http://127.0.0.1:6000/x')]),
  chain('redirect to the page origin (no ACAO there)', [hopTo('{page}/x')]),
  chain('20 redirects are followed', [...Array.from({ length: 20 }, () => hopTo('{next}')), end()]),
  chain('21 redirects are too many', [...Array.from({ length: 21 }, () => hopTo('{next}')), end()]),
  chain(
    'PUT 307 to the same server: preflight again',
    [
      { preflight: allowPut, actual: { status: 307, headers: [ECHO, LOCATION('{next}')] } },
      { preflight: allowPut, actual: { headers: [ECHO] } },
    ],
    { method: 'PUT', body: 'x' },
  ),
  chain(
    'PUT 307: second preflight not answered',
    [
      { preflight: allowPut, actual: { status: 307, headers: [ECHO, LOCATION('{next}')] } },
      { actual: { headers: [ECHO] } },
    ],
    { method: 'PUT', body: 'x' },
  ),
  chain(
    'PUT 307 to another origin: preflight with Origin null',
    [
      { preflight: allowPut, actual: { status: 307, headers: [ECHO, LOCATION('{other}')] } },
      { preflight: allowPut, actual: { headers: [ECHO] } },
    ],
    { method: 'PUT', body: 'x' },
  ),
  chain(
    'PUT 302 stays PUT',
    [
      { preflight: allowPut, actual: { status: 302, headers: [ECHO, LOCATION('{next}')] } },
      { preflight: allowPut, actual: { headers: [ECHO] } },
    ],
    { method: 'PUT', body: 'x' },
  ),
  chain(
    'PUT 303 becomes GET without preflight',
    [{ preflight: allowPut, actual: { status: 303, headers: [ECHO, LOCATION('{next}')] } }, end()],
    { method: 'PUT', body: 'x' },
  ),
  chain(
    'POST 301 becomes GET and drops Content-Type',
    [hopTo('{next}', 301), end()],
    post('text/plain'),
  ),
  chain(
    'POST 302 with application/json becomes GET (no second preflight)',
    [
      {
        preflight: { status: 204, headers: [ECHO, ACAH('content-type')] },
        actual: { status: 302, headers: [ECHO, LOCATION('{next}')] },
      },
      end(),
    ],
    post('application/json'),
  ),
  chain(
    'POST 307 keeps application/json: second preflight needed',
    [
      {
        preflight: { status: 204, headers: [ECHO, ACAH('content-type')] },
        actual: { status: 307, headers: [ECHO, LOCATION('{next}')] },
      },
      end(),
    ],
    post('application/json'),
  ),
  chain(
    'Authorization dropped on a cross-origin redirect: no preflight there',
    [
      {
        preflight: { status: 204, headers: [ECHO, ACAH('authorization')] },
        actual: { status: 307, headers: [ECHO, LOCATION('{other}')] },
      },
      end(),
    ],
    header('Authorization', 'secret'),
  ),
  chain(
    'Authorization kept on a same-origin redirect: preflight again',
    [
      {
        preflight: { status: 204, headers: [ECHO, ACAH('authorization')] },
        actual: { status: 307, headers: [ECHO, LOCATION('{next}')] },
      },
      end(),
    ],
    header('Authorization', 'secret'),
  ),
  chain(
    'X-A kept on a cross-origin redirect: preflight with Origin null',
    [
      {
        preflight: { status: 204, headers: [ECHO, ACAH('x-a')] },
        actual: { status: 307, headers: [ECHO, LOCATION('{other}')] },
      },
      { preflight: { status: 204, headers: [ECHO, ACAH('x-a')] }, actual: { headers: [ECHO] } },
    ],
    XA,
  ),
  chain(
    'X-A on a cross-origin redirect: second preflight lacks ACAH',
    [
      {
        preflight: { status: 204, headers: [ECHO, ACAH('x-a')] },
        actual: { status: 307, headers: [ECHO, LOCATION('{other}')] },
      },
      { preflight: { status: 204, headers: [ECHO] }, actual: { headers: [ECHO] } },
    ],
    XA,
  ),
  chain('redirect with exposed headers on the final response', [
    hopTo('{next}'),
    end([ECHO, ACEH('x-a'), h('X-A', '1'), h('X-B', '2')]),
  ]),
];

// ---- From a cross-site page (http://localhost:<page port>): Sec-Fetch-Site and origins ----
const crossSite: DiffCase[] = [
  get('cross-site page: ACAO echoes the origin', [ECHO]),
  get('cross-site page: ACAO is the 127.0.0.1 page origin', [ACAO('{page}')]),
  get('cross-site page: credentials with ACAC', [ECHO, CRED], include),
  preflighted('cross-site page: preflighted PUT', PUT, [ECHO, ACAM('PUT')]),
  chain('cross-site page: cross-origin redirect', [hopTo('{other}'), end()]),
].map((c) => ({ ...c, from: 'localhost' }));

// ---- A plain-http target that is not potentially trustworthy (a name resolved to loopback): no
// Sec-Fetch-* and no client hints on it, and none after a redirect to it (fetch-metadata "append
// the Fetch metadata headers" step 1; Chromium's MaybeRemoveSecHeaders) ----
const untrusted: DiffCase[] = [
  ...[
    get('untrusted host: ACAO echoes the origin', [ECHO]),
    get('untrusted host: credentials with ACAC', [ECHO, CRED], include),
    preflighted('untrusted host: preflighted PUT', PUT, [ECHO, ACAM('PUT')]),
    preflighted('untrusted host: preflight without ACAO', PUT, []),
    chain('untrusted host: redirect to 127.0.0.1', [hopTo('{other}'), end()]),
  ].map((c): DiffCase => ({ ...c, untrusted: true })),
  chain('127.0.0.1: redirect to the untrusted host', [hopTo('{other-untrusted}'), end()]),
  // A redirect that changes a CORS request's method restarts it; one that keeps it does not.
  chain(
    '127.0.0.1: POST 303 to the untrusted host (becomes GET)',
    [hopTo('{other-untrusted}', 303), end()],
    post('text/plain'),
  ),
  chain(
    '127.0.0.1: POST 307 to the untrusted host (stays POST)',
    [hopTo('{other-untrusted}', 307), end()],
    post('text/plain'),
  ),
  chain(
    '127.0.0.1: preflighted PUT redirected to the untrusted host',
    [
      {
        preflight: allowPut,
        actual: { status: 307, headers: [ECHO, LOCATION('{other-untrusted}')] },
      },
      { preflight: allowPut, actual: { headers: [ECHO] } },
    ],
    PUT,
  ),
];

// ---- Requests to the page's own origin (same-origin: no CORS) are not part of this suite: the page
// server belongs to the harness and answers every path with the same HTML.

export const DIFF_CASES: readonly DiffCase[] = [
  ...allowOrigin,
  ...credentials,
  ...exposed,
  ...safelist,
  ...safelistEdges,
  ...preflight,
  ...star,
  ...redirects,
  ...crossSite,
  ...untrusted,
];
