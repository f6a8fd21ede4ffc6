/**
 * The differential table: each scenario builds options for a fresh middleware (once per
 * implementation, so RegExp state and callbacks are never shared) and sends it one or more
 * requests. Options are built by a function that receives `log`, through which origin functions and
 * delegates record what they were called with; the two implementations must log the same.
 *
 * `express: true` marks the scenarios that also run through a real Express app. `check` states, for
 * the behaviours worth spelling out, what `cors` 2.8 does (and so what corsproof/compat must do).
 */
import { expect } from 'vitest';
import type { MockOutcome, RequestSpec } from './harness.js';

export type Log = (...entry: unknown[]) => void;

export interface Scenario {
  readonly name: string;
  /** Builds the argument of `cors(...)`; absent means `cors()` with no argument at all. */
  readonly options?: (log: Log) => unknown;
  readonly requests: readonly RequestSpec[];
  /** Headers the response already has when the middleware runs (an app-set `Vary`, say). */
  readonly preset?: Readonly<Record<string, string | readonly string[]>>;
  readonly express?: boolean;
  readonly check?: (outcomes: readonly MockOutcome[]) => void;
}

const A = 'https://app.example.com';
const B = 'https://other.example.org';
const EVIL = 'https://evil-example.com';

type Headers = Readonly<Record<string, string>>;

function withOrigin(origin: string | undefined, extra: Headers): Record<string, string> {
  return origin === undefined ? { ...extra } : { origin, ...extra };
}

const get = (origin?: string, extra: Headers = {}): RequestSpec => ({
  method: 'GET',
  headers: withOrigin(origin, extra),
});

const request = (method: string, origin?: string): RequestSpec => ({
  method,
  headers: withOrigin(origin, {}),
});

/** A browser's preflight: OPTIONS with Origin, Access-Control-Request-Method and maybe -Headers. */
const preflight = (origin?: string, requestHeaders?: string, method = 'PUT'): RequestSpec => ({
  method: 'OPTIONS',
  headers: withOrigin(origin, {
    'access-control-request-method': method,
    ...(requestHeaders === undefined ? {} : { 'access-control-request-headers': requestHeaders }),
  }),
});

/** An OPTIONS request that is not a CORS preflight (no Access-Control-Request-Method). */
const plainOptions = (origin?: string): RequestSpec => ({
  method: 'OPTIONS',
  headers: withOrigin(origin, {}),
});

function header(outcome: MockOutcome | undefined, name: string): unknown {
  return outcome?.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

const allow = (outcome: MockOutcome | undefined) => header(outcome, 'access-control-allow-origin');

export const scenarios: readonly Scenario[] = [
  // --- defaults -------------------------------------------------------------------------------
  {
    name: 'the defaults answer an actual request with a wildcard and pass it on',
    requests: [get(A)],
    express: true,
    check: ([out]) => {
      expect(allow(out)).toBe('*');
      expect(out?.next).toEqual([[]]);
    },
  },
  {
    name: 'the defaults answer a request without Origin with a wildcard too',
    requests: [get()],
    express: true,
  },
  {
    name: 'the defaults end a preflight with 204, the default methods and the echoed headers',
    requests: [preflight(A, 'x-a, content-type')],
    express: true,
    check: ([out]) => {
      expect(out?.status).toBe(204);
      expect(header(out, 'access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
      expect(header(out, 'content-length')).toBe('0');
    },
  },
  {
    name: 'any OPTIONS request is a preflight, even without Access-Control-Request-Method',
    requests: [plainOptions(A)],
    express: true,
    check: ([out]) => {
      expect(out?.ended).toBe(true);
      expect(out?.next).toEqual([]);
    },
  },
  {
    name: 'an OPTIONS request without Origin is still ended as a preflight',
    requests: [plainOptions()],
    express: true,
  },
  { name: 'a lower-case options method counts as a preflight', requests: [request('options', A)] },
  {
    name: 'a request without a method is treated as an actual request',
    requests: [{ headers: { origin: A } }],
  },
  {
    name: 'an empty options object behaves like the defaults',
    options: () => ({}),
    requests: [get(A), preflight(A)],
  },
  {
    name: 'cors(undefined) behaves like cors()',
    options: () => undefined,
    requests: [get(A), preflight(A, 'x-a')],
  },
  {
    name: 'HEAD, POST, PUT and DELETE are actual requests',
    options: () => ({}),
    requests: [request('HEAD', A), request('POST', A), request('PUT', A), request('DELETE', A)],
    express: true,
  },

  // --- static origin --------------------------------------------------------------------------
  {
    name: "origin '*' is sent as a wildcard without Vary",
    options: () => ({ origin: '*' }),
    requests: [get(A), preflight(A)],
  },
  {
    name: 'origin true reflects whatever origin the request has',
    options: () => ({ origin: true }),
    requests: [get(A), get(EVIL)],
    express: true,
    check: ([, evil]) => expect(allow(evil)).toBe(EVIL),
  },
  {
    name: 'origin true without an Origin header sends only Vary',
    options: () => ({ origin: true }),
    requests: [get()],
  },
  {
    name: 'origin true on a preflight reflects and ends with 204',
    options: () => ({ origin: true }),
    requests: [preflight(A, 'content-type')],
    express: true,
  },
  {
    name: 'origin false turns CORS off and passes the request on',
    options: () => ({ origin: false }),
    requests: [get(A)],
  },
  {
    name: 'origin false lets OPTIONS requests through to the app',
    options: () => ({ origin: false }),
    requests: [preflight(A)],
    express: true,
    check: ([out]) => expect(out?.calls).toEqual([]),
  },
  {
    name: "origin '' turns CORS off too",
    options: () => ({ origin: '' }),
    requests: [get(A), preflight(A)],
  },
  {
    name: 'an own origin property set to undefined replaces the default and turns CORS off',
    options: () => ({ origin: undefined }),
    requests: [get(A), preflight(A)],
    express: true,
    check: ([out]) => expect(out?.headers).toEqual([]),
  },
  { name: 'origin null turns CORS off', options: () => ({ origin: null }), requests: [get(A)] },
  {
    name: 'a fixed origin string is sent whatever the request origin, with Vary',
    options: () => ({ origin: A }),
    requests: [get(A), get(B), get()],
    express: true,
    check: ([, other]) => expect(allow(other)).toBe(A),
  },
  {
    name: 'a fixed origin string on a preflight',
    options: () => ({ origin: A }),
    requests: [preflight(B, 'x-a')],
  },
  {
    name: 'a RegExp reflects the origins it matches',
    options: () => ({ origin: /^https:\/\/app\.example\.com$/ }),
    requests: [get(A), get(B)],
    express: true,
  },
  {
    name: 'an unanchored RegExp also matches look-alike origins, as in cors',
    options: () => ({ origin: /example\.com$/ }),
    requests: [get(A), get(EVIL)],
    express: true,
    check: ([, evil]) => expect(allow(evil)).toBe(EVIL),
  },
  {
    name: 'a RegExp is tested against the text "undefined" when Origin is missing',
    options: () => ({ origin: /undefined/ }),
    requests: [get()],
  },
  {
    name: 'a global RegExp alternates between match and no match, as in cors',
    options: () => ({ origin: /app\.example\.com/g }),
    requests: [get(A), get(A), get(A)],
    check: (outs) => expect(outs.map(allow)).toEqual([A, undefined, A]),
  },
  {
    name: 'an origin list matches its exact strings',
    options: () => ({ origin: [A, B] }),
    requests: [get(A), get(B), get(EVIL)],
    express: true,
  },
  {
    name: 'origin list strings compare case-sensitively',
    options: () => ({ origin: [A] }),
    requests: [get('https://APP.example.com')],
  },
  {
    name: 'an origin list may mix strings and RegExps',
    options: () => ({ origin: [A, /\.example\.org$/] }),
    requests: [get(B), get(EVIL)],
    express: true,
  },
  {
    name: 'an origin list containing true matches everything',
    options: () => ({ origin: [A, true] }),
    requests: [get(EVIL)],
  },
  {
    name: 'an origin list of false matches nothing',
    options: () => ({ origin: [false] }),
    requests: [get(A)],
  },
  {
    name: 'nested origin lists are searched too',
    options: () => ({ origin: [[A], [[B]]] }),
    requests: [get(B), get(EVIL)],
  },
  {
    name: "a '*' inside an origin list only matches an Origin that is literally *",
    options: () => ({ origin: ['*'] }),
    requests: [get(A), get('*')],
    check: ([a]) => expect(allow(a)).toBeUndefined(),
  },
  {
    name: 'an empty origin list refuses, yet still ends preflights with 204',
    options: () => ({ origin: [] }),
    requests: [get(A), preflight(A)],
    express: true,
    check: ([, pre]) => {
      expect(allow(pre)).toBeUndefined();
      expect(pre?.status).toBe(204);
    },
  },
  {
    name: "a fixed origin 'null' is sent as null",
    options: () => ({ origin: 'null' }),
    requests: [get('null'), get(A)],
  },
  {
    name: "an origin list allowing 'null' reflects the null origin",
    options: () => ({ origin: ['null'] }),
    requests: [get('null')],
  },

  // --- origin function ------------------------------------------------------------------------
  {
    name: 'an origin function answering true reflects the origin',
    options: (log) => ({
      origin: (origin: string | undefined, cb: (err: Error | null, allow?: unknown) => void) => {
        log('origin', origin);
        cb(null, true);
      },
    }),
    requests: [get(A), get()],
    express: true,
  },
  {
    name: 'an origin function answering false passes the request on with next(null)',
    options: () => ({
      origin: (_o: unknown, cb: (err: null, allow: boolean) => void) => cb(null, false),
    }),
    requests: [get(A)],
    express: true,
    check: ([out]) => expect(out?.next).toEqual([[null]]),
  },
  {
    name: 'a preflight refused by an origin function reaches the app, as in cors',
    options: () => ({
      origin: (_o: unknown, cb: (err: null, allow: boolean) => void) => cb(null, false),
    }),
    requests: [preflight(A, 'x-a')],
    express: true,
    check: ([out]) => expect(out?.ended).toBe(false),
  },
  {
    name: 'an origin function may answer with a fixed origin string',
    options: () => ({
      origin: (_o: unknown, cb: (err: null, allow: string) => void) => cb(null, B),
    }),
    requests: [get(A)],
  },
  {
    name: "an origin function may answer '*'",
    options: () => ({
      origin: (_o: unknown, cb: (err: null, allow: string) => void) => cb(null, '*'),
    }),
    requests: [get(A), preflight(A)],
  },
  {
    name: 'an origin function may answer with a list',
    options: () => ({
      origin: (_o: unknown, cb: (err: null, allow: unknown) => void) => cb(null, [A, /org$/]),
    }),
    requests: [get(B), get(EVIL)],
  },
  {
    name: 'an origin function may answer with a RegExp',
    options: () => ({
      origin: (_o: unknown, cb: (err: null, allow: RegExp) => void) => cb(null, /^https:\/\/app\./),
    }),
    requests: [get(A), get(B)],
  },
  {
    name: 'an error from an origin function goes to next',
    options: () => ({
      origin: (_o: unknown, cb: (err: Error) => void) => cb(new Error('origin lookup failed')),
    }),
    requests: [get(A), preflight(A)],
    express: true,
    check: ([out]) => expect(out?.next).toEqual([['Error: origin lookup failed']]),
  },
  {
    name: 'an error from an origin function wins over an allowing answer',
    options: () => ({
      origin: (_o: unknown, cb: (err: Error, allow: boolean) => void) =>
        cb(new RangeError('quota'), true),
    }),
    requests: [preflight(A)],
  },
  {
    name: 'an origin function may answer asynchronously',
    options: () => ({
      origin: (_o: unknown, cb: (err: null, allow: boolean) => void) =>
        setImmediate(() => cb(null, true)),
    }),
    requests: [get(A), preflight(A, 'x-a')],
    express: true,
  },
  {
    name: 'an origin function sees undefined when the request has no Origin',
    options: (log) => ({
      origin: (origin: string | undefined, cb: (err: null, allow: boolean) => void) => {
        log('origin', origin, typeof origin);
        cb(null, origin !== undefined);
      },
    }),
    requests: [get(), get(A)],
  },
  {
    name: 'an origin function calling back with nothing passes the request on with next(undefined)',
    options: () => ({ origin: (_o: unknown, cb: () => void) => cb() }),
    requests: [get(A)],
    check: ([out]) => expect(out?.next).toEqual([[undefined]]),
  },

  // --- methods --------------------------------------------------------------------------------
  {
    name: 'methods given as a string are sent verbatim',
    options: () => ({ methods: 'GET,POST' }),
    requests: [preflight(A)],
  },
  {
    name: 'methods given as an array are joined with a bare comma',
    options: () => ({ methods: ['GET', 'PUT', 'PATCH'] }),
    requests: [preflight(A)],
    express: true,
  },
  {
    name: 'methods are never compared with the requested method',
    options: () => ({ methods: ['GET'] }),
    requests: [preflight(A, undefined, 'DELETE')],
    check: ([out]) => expect(out?.status).toBe(204),
  },
  {
    name: 'an empty methods string sends no Allow-Methods',
    options: () => ({ methods: '' }),
    requests: [preflight(A)],
  },
  {
    name: 'an empty methods array sends no Allow-Methods',
    options: () => ({ methods: [] }),
    requests: [preflight(A)],
  },
  {
    name: 'methods keep their case and spacing',
    options: () => ({ methods: 'get, post' }),
    requests: [preflight(A)],
  },
  {
    name: 'methods set to undefined make preflights fail with a TypeError, as in cors',
    options: () => ({ methods: undefined }),
    requests: [preflight(A)],
    express: true,
    check: ([out]) => {
      expect(out?.thrown).toBe('TypeError');
      expect(out?.calls).toEqual([]);
    },
  },
  {
    name: 'methods set to undefined do not matter on actual requests',
    options: () => ({ methods: undefined }),
    requests: [get(A)],
  },
  {
    name: 'methods are not sent on actual requests',
    options: () => ({ methods: ['PUT'] }),
    requests: [get(A)],
  },

  // --- allowed headers ------------------------------------------------------------------------
  {
    name: 'allowedHeaders given as a string are sent verbatim, without Vary',
    options: () => ({ allowedHeaders: 'Content-Type,Authorization' }),
    requests: [preflight(A, 'x-other')],
  },
  {
    name: 'allowedHeaders given as an array are joined with a bare comma',
    options: () => ({ allowedHeaders: ['Content-Type', 'X-Requested-With'] }),
    requests: [preflight(A, 'content-type')],
    express: true,
  },
  {
    name: 'an empty allowedHeaders array sends neither Allow-Headers nor Vary',
    options: () => ({ allowedHeaders: [] }),
    requests: [preflight(A, 'x-a')],
    check: ([out]) => expect(header(out, 'vary')).toBeUndefined(),
  },
  {
    name: 'an empty allowedHeaders string echoes the request headers like an unset one',
    options: () => ({ allowedHeaders: '' }),
    requests: [preflight(A, 'x-a')],
    check: ([out]) => expect(header(out, 'access-control-allow-headers')).toBe('x-a'),
  },
  {
    name: 'the headers alias is read when allowedHeaders is unset',
    options: () => ({ headers: ['X-A'] }),
    requests: [preflight(A, 'x-b')],
  },
  {
    name: 'allowedHeaders wins over the headers alias',
    options: () => ({ allowedHeaders: 'X-Win', headers: 'X-Lose' }),
    requests: [preflight(A, 'x-b')],
  },
  {
    name: 'unset allowed headers echo Access-Control-Request-Headers and vary on it',
    options: () => ({ origin: A }),
    requests: [preflight(A, 'X-Custom, Content-Type')],
    express: true,
  },
  {
    name: 'unset allowed headers without a request list send only Vary',
    options: () => ({}),
    requests: [preflight(A)],
  },
  {
    name: 'echoed request headers are not parsed, cleaned or filtered',
    options: () => ({}),
    requests: [preflight(A, 'x-a ,X-B,,x-a, cookie')],
  },
  {
    name: 'allowed headers are not sent on actual requests',
    options: () => ({ allowedHeaders: ['X-A'] }),
    requests: [get(A, { 'access-control-request-headers': 'x-a' })],
  },

  // --- exposed headers ------------------------------------------------------------------------
  {
    name: 'exposedHeaders given as a string are sent on actual requests',
    options: () => ({ exposedHeaders: 'X-Total-Count' }),
    requests: [get(A)],
    express: true,
  },
  {
    name: 'exposedHeaders given as an array are joined with a bare comma',
    options: () => ({ exposedHeaders: ['X-Total-Count', 'Link'] }),
    requests: [get(A), get()],
  },
  {
    name: 'exposedHeaders are sent on preflights too',
    options: () => ({ exposedHeaders: ['X-Total-Count'] }),
    requests: [preflight(A)],
  },
  {
    name: 'an empty exposedHeaders array sends nothing',
    options: () => ({ exposedHeaders: [] }),
    requests: [get(A)],
  },

  // --- credentials ----------------------------------------------------------------------------
  {
    name: 'credentials true adds Allow-Credentials to actual requests and preflights',
    options: () => ({ origin: A, credentials: true }),
    requests: [get(A), preflight(A, 'x-a')],
    express: true,
  },
  {
    name: 'credentials false sends nothing',
    options: () => ({ origin: A, credentials: false }),
    requests: [get(A)],
  },
  {
    name: 'credentials with origin true reflect every origin, as in cors',
    options: () => ({ origin: true, credentials: true }),
    requests: [get(EVIL)],
    express: true,
    check: ([out]) => {
      expect(allow(out)).toBe(EVIL);
      expect(header(out, 'access-control-allow-credentials')).toBe('true');
    },
  },
  {
    name: 'credentials with the default origin send a wildcard and true, as in cors',
    options: () => ({ credentials: true }),
    requests: [get(A), preflight(A)],
    check: ([out]) => expect(allow(out)).toBe('*'),
  },
  {
    name: 'only the boolean true counts as credentials',
    options: () => ({ origin: A, credentials: 'true' }),
    requests: [get(A)],
  },

  // --- max age --------------------------------------------------------------------------------
  {
    name: 'maxAge is sent on preflights',
    options: () => ({ maxAge: 600 }),
    requests: [preflight(A)],
    express: true,
  },
  { name: 'maxAge 0 is sent as 0', options: () => ({ maxAge: 0 }), requests: [preflight(A)] },
  {
    name: 'maxAge is not sent on actual requests',
    options: () => ({ maxAge: 600 }),
    requests: [get(A)],
  },
  {
    name: 'a maxAge string is sent as is',
    options: () => ({ maxAge: '7200' }),
    requests: [preflight(A)],
  },
  {
    name: 'a maxAge of NaN is sent as NaN',
    options: () => ({ maxAge: Number.NaN }),
    requests: [preflight(A)],
  },

  // --- preflight status and passthrough -------------------------------------------------------
  {
    name: 'optionsSuccessStatus sets the status of ended preflights',
    options: () => ({ optionsSuccessStatus: 200 }),
    requests: [preflight(A)],
    express: true,
  },
  {
    name: 'optionsSuccessStatus does not touch actual requests',
    options: () => ({ optionsSuccessStatus: 200 }),
    requests: [get(A)],
  },
  {
    name: 'optionsSuccessStatus set to undefined is assigned as undefined',
    options: () => ({ optionsSuccessStatus: undefined }),
    requests: [preflight(A)],
    check: ([out]) => expect(out?.calls).toContainEqual(['statusCode', undefined]),
  },
  {
    name: 'preflightContinue passes preflights on with their headers set',
    options: () => ({ origin: A, preflightContinue: true, maxAge: 60 }),
    requests: [preflight(A, 'x-a')],
    express: true,
    check: ([out]) => {
      expect(out?.ended).toBe(false);
      expect(out?.next).toEqual([[]]);
    },
  },
  {
    name: 'preflightContinue does not change actual requests',
    options: () => ({ preflightContinue: true }),
    requests: [get(A)],
  },

  // --- Vary -----------------------------------------------------------------------------------
  {
    name: 'an existing Vary is extended, not replaced',
    options: () => ({ origin: A }),
    preset: { Vary: 'Accept-Encoding' },
    requests: [get(A)],
    express: true,
    check: ([out]) => expect(header(out, 'vary')).toBe('Accept-Encoding, Origin'),
  },
  {
    name: 'Origin already in Vary, in any case, is not repeated',
    options: () => ({ origin: [A] }),
    preset: { Vary: 'accept, origin' },
    requests: [get(A)],
  },
  {
    name: 'Vary * absorbs every addition',
    options: () => ({ origin: true }),
    preset: { Vary: '*' },
    requests: [preflight(A, 'x-a')],
  },
  {
    name: 'a Vary held as an array is joined and extended',
    options: () => ({}),
    preset: { Vary: ['Accept', 'Cookie'] },
    requests: [preflight(A, 'x-a')],
    express: true,
  },
  {
    name: 'the wildcard origin leaves an existing Vary untouched',
    options: () => ({ origin: '*' }),
    preset: { Vary: 'Accept' },
    requests: [get(A)],
  },
  {
    name: 'both Vary fields are merged, in order, on a reflecting preflight',
    options: () => ({ origin: true }),
    preset: { Vary: 'Accept-Encoding' },
    requests: [preflight(A, 'x-a')],
    express: true,
  },

  // --- options delegate -----------------------------------------------------------------------
  {
    name: 'a delegate chooses the options per request',
    options:
      (log) =>
      (req: { headers: Record<string, string | undefined> }, cb: (e: null, o: unknown) => void) => {
        log('delegate', req.headers['x-tenant']);
        cb(null, { origin: req.headers['x-tenant'] === 'a' ? A : false, credentials: true });
      },
    requests: [get(A, { 'x-tenant': 'a' }), get(A, { 'x-tenant': 'b' }), preflight(A)],
    express: true,
  },
  {
    name: 'an error from a delegate goes to next',
    options: () => (_req: unknown, cb: (e: Error) => void) => cb(new Error('no tenant')),
    requests: [get(A), preflight(A)],
    express: true,
    check: ([out]) => expect(out?.next).toEqual([['Error: no tenant']]),
  },
  {
    name: 'an error from a delegate wins over its options',
    options: () => (_req: unknown, cb: (e: Error, o: unknown) => void) =>
      cb(new TypeError('bad'), { origin: true }),
    requests: [get(A)],
  },
  {
    name: 'a delegate may answer asynchronously',
    options: () => (_req: unknown, cb: (e: null, o: unknown) => void) =>
      setTimeout(() => cb(null, { origin: [A], maxAge: 5 }), 1),
    requests: [get(A), preflight(A, 'x-a'), get(B)],
    express: true,
  },
  {
    name: 'a delegate answering no options gets the defaults',
    options: () => (_req: unknown, cb: (e: null) => void) => cb(null),
    requests: [get(A), preflight(A)],
  },
  {
    name: 'a delegate may hand back an origin function',
    options: (log) => (_req: unknown, cb: (e: null, o: unknown) => void) =>
      cb(null, {
        origin: (origin: string | undefined, done: (e: null, allow: boolean) => void) => {
          log('origin', origin);
          done(null, origin === A);
        },
      }),
    requests: [get(A), get(B), preflight(B)],
  },
  {
    name: 'a delegate sees the request object itself',
    options:
      (log) =>
      (
        req: { method?: string; headers: Record<string, string | undefined> },
        cb: (e: null) => void,
      ) => {
        log('delegate', req.method, req.headers.origin);
        cb(null);
      },
    requests: [get(A), preflight()],
  },
  {
    name: 'a delegate answering with a falsy error proceeds',
    options: () => (_req: unknown, cb: (e: unknown, o: unknown) => void) => cb(0, { origin: A }),
    requests: [get(A)],
  },
];
