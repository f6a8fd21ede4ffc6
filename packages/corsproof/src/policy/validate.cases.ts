/**
 * The validation tables: every refused configuration with the issues it must report, and every
 * accepted one. validate.test.ts runs them against the Node build; validate.edge.test.ts runs them
 * against the edge build, which must never accept what these refuse.
 */
import type { CorsConfigCode } from './errors.js';
import { prevalidatePolicy } from './prevalidate.js';
/** Every code, so the table below is checked to cover all of them. */
export const ALL_CODES: Record<CorsConfigCode, true> = {
  OPTIONS_NOT_OBJECT: true,
  UNKNOWN_OPTION: true,
  INVALID_TYPE: true,
  ORIGINS_MISSING: true,
  ORIGINS_EMPTY: true,
  ORIGIN_INVALID: true,
  ORIGIN_NULL: true,
  ORIGIN_NOT_ASCII: true,
  ORIGIN_DEFAULT_PORT: true,
  ORIGIN_NOT_CANONICAL: true,
  ORIGIN_PATTERN_INVALID: true,
  ORIGIN_DUPLICATE: true,
  ORIGIN_WILDCARD_IN_LIST: true,
  WILDCARD_ORIGIN_WITH_CREDENTIALS: true,
  INSECURE_ORIGIN_WITH_CREDENTIALS: true,
  PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS: true,
  METHOD_INVALID: true,
  METHOD_FORBIDDEN: true,
  METHOD_DUPLICATE: true,
  REQUEST_HEADER_INVALID: true,
  REQUEST_HEADER_FORBIDDEN: true,
  REQUEST_HEADER_DUPLICATE: true,
  EXPOSE_HEADER_INVALID: true,
  EXPOSE_HEADER_FORBIDDEN: true,
  EXPOSE_HEADER_SAFELISTED: true,
  EXPOSE_HEADER_DUPLICATE: true,
  EXPOSE_WILDCARD_WITH_CREDENTIALS: true,
  WILDCARD_IN_LIST: true,
  MAX_AGE_INVALID: true,
  PREFLIGHT_STATUS_INVALID: true,
  VALIDATED_POLICY_INVALID: true,
};

export const OK = ['https://app.example.com'];

export interface Row {
  readonly name: string;
  readonly options: unknown;
  /** Every issue expected, as [code, path]; nothing else may be reported. */
  readonly issues: readonly (readonly [CorsConfigCode, string])[];
  /** Text the fix of the first issue must contain. */
  readonly fix?: string | RegExp;
}

export const origin = (entry: string, extra: object = {}): object => ({
  origins: [entry],
  ...extra,
});
const invalidOrigin = (name: string, entry: string): Row => ({
  name: `an origin with ${name} is refused (${JSON.stringify(entry)})`,
  options: origin(entry),
  issues: [['ORIGIN_INVALID', 'origins[0]']],
});

/** A prevalidated policy, as prevalidatePolicy() writes it and a build step stores it. */
const RECORD = JSON.parse(
  JSON.stringify(prevalidatePolicy({ origins: ['https://app.example.com'] })),
);

export const REFUSED: readonly Row[] = [
  // Prevalidated policies (validated-policy.ts): refused when another version wrote them, or
  // when they were edited after
  {
    name: 'a prevalidated policy of another version is refused',
    options: { ...RECORD, version: 0 },
    issues: [['VALIDATED_POLICY_INVALID', '']],
    fix: 'prevalidatePolicy()',
  },
  {
    name: 'a prevalidated policy edited after it was written is refused',
    options: { ...RECORD, config: { ...RECORD.config, credentials: true } },
    issues: [['VALIDATED_POLICY_INVALID', '']],
    fix: 'change the options, not the record',
  },
  // The options themselves
  {
    name: 'null options are refused',
    options: null,
    issues: [['OPTIONS_NOT_OBJECT', '']],
  },
  {
    name: 'a string instead of options is refused',
    options: 'https://app.example.com',
    issues: [['OPTIONS_NOT_OBJECT', '']],
  },
  {
    name: 'an array instead of options is refused',
    options: OK,
    issues: [['OPTIONS_NOT_OBJECT', '']],
  },
  {
    name: 'an unknown key from another library is refused with the corsproof name',
    options: { origins: OK, allowedOrigins: OK },
    issues: [['UNKNOWN_OPTION', 'allowedOrigins']],
    fix: 'did you mean origins?',
  },
  {
    name: 'a misspelt key without a known alias lists the valid keys',
    options: { origins: OK, credentails: true },
    issues: [['UNKNOWN_OPTION', 'credentails']],
    fix: /^use one of: origins, credentials, methods/,
  },
  {
    name: 'an alias in snake case is recognized',
    options: { origins: OK, max_age: 600 },
    issues: [['UNKNOWN_OPTION', 'max_age']],
    fix: 'did you mean maxAge?',
  },
  {
    name: 'allowedOrigins alone is reported as unknown and origins as missing',
    options: { allowedOrigins: OK },
    issues: [
      ['UNKNOWN_OPTION', 'allowedOrigins'],
      ['ORIGINS_MISSING', 'origins'],
    ],
    fix: 'did you mean origins?',
  },
  // Types
  {
    name: 'a single origin string instead of a list is refused',
    options: { origins: 'https://app.example.com' },
    issues: [['INVALID_TYPE', 'origins']],
  },
  {
    name: 'a number for origins is refused',
    options: { origins: 5 },
    issues: [['INVALID_TYPE', 'origins']],
  },
  {
    name: 'a list with a non-string origin is refused',
    options: { origins: ['https://a.example', 42] },
    issues: [['INVALID_TYPE', 'origins']],
  },
  {
    name: 'a RegExp for origins is refused',
    options: { origins: /example\.com$/ },
    issues: [['INVALID_TYPE', 'origins']],
  },
  {
    name: 'the string "true" for credentials is refused',
    options: { origins: OK, credentials: 'true' },
    issues: [['INVALID_TYPE', 'credentials']],
  },
  {
    name: 'a non-boolean privateNetwork and opt-ins are refused',
    options: {
      origins: OK,
      privateNetwork: 1,
      dangerouslyAllowInsecureOrigins: 'yes',
      dangerouslyAllowPublicSuffixWildcards: null,
    },
    issues: [
      ['INVALID_TYPE', 'privateNetwork'],
      ['INVALID_TYPE', 'dangerouslyAllowInsecureOrigins'],
      ['INVALID_TYPE', 'dangerouslyAllowPublicSuffixWildcards'],
    ],
  },
  {
    name: 'a comma-separated string of methods is refused',
    options: { origins: OK, methods: 'PUT, DELETE' },
    issues: [['INVALID_TYPE', 'methods']],
  },
  {
    name: 'an object for requestHeaders is refused',
    options: { origins: OK, requestHeaders: {} },
    issues: [['INVALID_TYPE', 'requestHeaders']],
  },
  {
    name: 'a string for exposeHeaders is refused',
    options: { origins: OK, exposeHeaders: 'X-Request-Id' },
    issues: [['INVALID_TYPE', 'exposeHeaders']],
  },
  {
    name: 'a debug value that is neither boolean nor logger is refused',
    options: { origins: OK, debug: 'verbose' },
    issues: [['INVALID_TYPE', 'debug']],
  },
  {
    name: 'a debug object without warn is refused',
    options: { origins: OK, debug: { log: () => {} } },
    issues: [['INVALID_TYPE', 'debug']],
  },
  // origins
  {
    name: 'missing origins are refused, as there is no default',
    options: {},
    issues: [['ORIGINS_MISSING', 'origins']],
  },
  {
    name: 'an empty origins list is refused',
    options: { origins: [] },
    issues: [['ORIGINS_EMPTY', 'origins']],
  },
  invalidOrigin('a path', 'https://app.example.com/api'),
  invalidOrigin('a query', 'https://app.example.com?x=1'),
  invalidOrigin('a fragment', 'https://app.example.com#top'),
  invalidOrigin('a trailing slash', 'https://app.example.com/'),
  invalidOrigin('userinfo', 'https://user:pass@app.example.com'),
  invalidOrigin('a user name only', 'https://user@app.example.com'),
  invalidOrigin('no scheme', 'app.example.com'),
  invalidOrigin('a scheme-relative form', '//app.example.com'),
  invalidOrigin('leading whitespace', ' https://app.example.com'),
  invalidOrigin('trailing whitespace', 'https://app.example.com '),
  invalidOrigin('a space in the host', 'https://app .example.com'),
  invalidOrigin('a tab', 'https://app.example.com\t'),
  invalidOrigin('a port above 65535', 'https://app.example.com:65536'),
  invalidOrigin('a non-numeric port', 'https://app.example.com:http'),
  invalidOrigin('an empty port', 'https://app.example.com:'),
  invalidOrigin('two ports', 'https://app.example.com:1:2'),
  invalidOrigin('an empty host', 'https://'),
  invalidOrigin('an empty host and a port', 'https://:8080'),
  invalidOrigin('an empty string', ''),
  invalidOrigin('a backslash', 'https://app.example.com\\x'),
  invalidOrigin('an unclosed IPv6 bracket', 'http://[::1'),
  invalidOrigin('a host ending in a non-IPv4 number', 'https://example.123'),
  {
    name: 'the null origin is refused with its own code',
    options: origin('null'),
    issues: [['ORIGIN_NULL', 'origins[0]']],
  },
  {
    name: 'a file: origin is refused like null, since file: pages send Origin null',
    options: origin('file://host'),
    issues: [['ORIGIN_NULL', 'origins[0]']],
  },
  {
    name: 'a non-ASCII host is refused with its punycode form',
    options: origin('https://bücher.example'),
    issues: [['ORIGIN_NOT_ASCII', 'origins[0]']],
    fix: '"https://xn--bcher-kva.example"',
  },
  {
    name: 'a non-ASCII host in a pattern is refused with its punycode form',
    options: origin('https://*.bücher.example'),
    issues: [['ORIGIN_NOT_ASCII', 'origins[0]']],
    fix: 'xn--bcher-kva.example',
  },
  {
    name: 'an explicit https default port is refused',
    options: origin('https://app.example.com:443'),
    issues: [['ORIGIN_DEFAULT_PORT', 'origins[0]']],
    fix: 'write "https://app.example.com"',
  },
  {
    name: 'an explicit http default port is refused',
    options: origin('http://localhost:80'),
    issues: [['ORIGIN_DEFAULT_PORT', 'origins[0]']],
    fix: 'write "http://localhost"',
  },
  {
    name: 'a default port with leading zeros is refused',
    options: origin('https://app.example.com:0443'),
    issues: [['ORIGIN_DEFAULT_PORT', 'origins[0]']],
  },
  {
    name: 'an explicit default port on a pattern is refused',
    options: origin('https://*.example.com:443'),
    issues: [['ORIGIN_DEFAULT_PORT', 'origins[0]']],
    fix: 'write "https://*.example.com"',
  },
  {
    name: 'a hexadecimal IPv4 host is refused with its canonical form',
    options: origin('http://0x7f.1'),
    issues: [['ORIGIN_NOT_CANONICAL', 'origins[0]']],
    fix: 'write "http://127.0.0.1"',
  },
  {
    name: 'an IPv4 host as one number is refused with its canonical form',
    options: origin('http://2130706433:8080'),
    issues: [['ORIGIN_NOT_CANONICAL', 'origins[0]']],
    fix: 'write "http://127.0.0.1:8080"',
  },
  {
    name: 'an uncompressed IPv6 host is refused with its canonical form',
    options: origin('http://[0:0:0:0:0:0:0:1]:3000'),
    issues: [['ORIGIN_NOT_CANONICAL', 'origins[0]']],
    fix: 'write "http://[::1]:3000"',
  },
  {
    name: 'a lone star label is not a pattern',
    options: origin('https://*'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a star inside a label is refused',
    options: origin('https://app-*.example.com'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a star glued to a domain is refused',
    options: origin('https://*example.com'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'two star labels are refused',
    options: origin('https://*.*.example.com'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a star in the middle of the host is refused',
    options: origin('https://app.*.com'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a star scheme is refused',
    options: origin('*://app.example.com'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a star inside a port is refused',
    options: origin('http://localhost:30*'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a subdomain wildcard over nothing is refused (it matched every name with a trailing dot)',
    options: origin('https://*.'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a subdomain wildcard over an empty label is refused',
    options: origin('https://*..com'),
    issues: [['ORIGIN_PATTERN_INVALID', 'origins[0]']],
  },
  {
    name: 'a subdomain wildcard over an IP address is refused',
    options: origin('http://*.127.0.0.1'),
    issues: [['ORIGIN_INVALID', 'origins[0]']],
  },
  {
    name: 'the same origin twice after normalization is refused',
    options: { origins: ['https://app.example.com', 'HTTPS://APP.Example.COM'] },
    issues: [['ORIGIN_DUPLICATE', 'origins[1]']],
  },
  {
    name: 'the same pattern twice after normalization is refused',
    options: { origins: ['https://*.example.com', 'https://*.EXAMPLE.com'] },
    issues: [['ORIGIN_DUPLICATE', 'origins[1]']],
  },
  {
    name: 'the same any-port pattern twice is refused',
    options: { origins: ['http://localhost:*', 'http://LOCALHOST:*'] },
    issues: [['ORIGIN_DUPLICATE', 'origins[1]']],
  },
  {
    name: 'a star inside the origins list is refused',
    options: { origins: ['https://app.example.com', '*'] },
    issues: [['ORIGIN_WILDCARD_IN_LIST', 'origins[1]']],
  },
  // Credentials
  {
    name: 'star origins with credentials are refused, without suggesting reflection',
    options: { origins: '*', credentials: true },
    issues: [['WILDCARD_ORIGIN_WITH_CREDENTIALS', 'origins']],
    fix: 'list the origins that may send credentials',
  },
  {
    name: 'an http origin other than loopback with credentials is refused and names the opt-in',
    options: origin('http://app.example.com', { credentials: true }),
    issues: [['INSECURE_ORIGIN_WITH_CREDENTIALS', 'origins[0]']],
    fix: /"https:\/\/app\.example\.com".*dangerouslyAllowInsecureOrigins: true/,
  },
  {
    name: 'an http subdomain pattern with credentials is refused',
    options: origin('http://*.example.com', { credentials: true }),
    issues: [['INSECURE_ORIGIN_WITH_CREDENTIALS', 'origins[0]']],
    fix: 'https://*.example.com',
  },
  {
    name: 'an http origin on a private address with credentials is refused',
    options: origin('http://192.168.1.10:8080', { credentials: true }),
    issues: [['INSECURE_ORIGIN_WITH_CREDENTIALS', 'origins[0]']],
  },
  {
    name: 'a subdomain wildcard on com with credentials is refused and names the opt-in',
    options: origin('https://*.com', { credentials: true }),
    issues: [['PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS', 'origins[0]']],
    fix: /dangerouslyAllowPublicSuffixWildcards: true/,
  },
  {
    name: 'a subdomain wildcard on co.uk with credentials is refused',
    options: origin('https://*.co.uk', { credentials: true }),
    issues: [['PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS', 'origins[0]']],
  },
  {
    name: 'a subdomain wildcard on github.io (private section) with credentials is refused',
    options: origin('https://*.github.io', { credentials: true }),
    issues: [['PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS', 'origins[0]']],
  },
  {
    name: 'a subdomain wildcard on com. (fully qualified) with credentials is refused',
    options: origin('https://*.com.', { credentials: true }),
    issues: [['PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS', 'origins[0]']],
  },
  {
    name: 'an http wildcard on a public suffix with credentials has both problems',
    options: origin('http://*.com', { credentials: true }),
    issues: [
      ['INSECURE_ORIGIN_WITH_CREDENTIALS', 'origins[0]'],
      ['PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS', 'origins[0]'],
    ],
  },
  // methods
  {
    name: 'a method with a space is refused',
    options: { origins: OK, methods: ['PU T'] },
    issues: [['METHOD_INVALID', 'methods[0]']],
  },
  {
    name: 'an empty method is refused',
    options: { origins: OK, methods: [''] },
    issues: [['METHOD_INVALID', 'methods[0]']],
  },
  {
    name: 'two methods in one string are refused',
    options: { origins: OK, methods: ['GET,PUT'] },
    issues: [['METHOD_INVALID', 'methods[0]']],
  },
  {
    name: 'CONNECT, trace and Track are refused as forbidden methods',
    options: { origins: OK, methods: ['CONNECT', 'trace', 'Track'] },
    issues: [
      ['METHOD_FORBIDDEN', 'methods[0]'],
      ['METHOD_FORBIDDEN', 'methods[1]'],
      ['METHOD_FORBIDDEN', 'methods[2]'],
    ],
  },
  {
    name: 'put and PUT are the same method after normalization',
    options: { origins: OK, methods: ['PUT', 'put'] },
    issues: [['METHOD_DUPLICATE', 'methods[1]']],
  },
  {
    name: 'a star inside the methods list is refused',
    options: { origins: OK, methods: ['PUT', '*'] },
    issues: [['WILDCARD_IN_LIST', 'methods[1]']],
  },
  // requestHeaders
  {
    name: 'a request header name with a space is refused',
    options: { origins: OK, requestHeaders: ['X Custom'] },
    issues: [['REQUEST_HEADER_INVALID', 'requestHeaders[0]']],
  },
  {
    name: 'a request header name with a colon is refused',
    options: { origins: OK, requestHeaders: ['X-Custom:'] },
    issues: [['REQUEST_HEADER_INVALID', 'requestHeaders[0]']],
  },
  {
    name: 'an empty request header name is refused',
    options: { origins: OK, requestHeaders: [''] },
    issues: [['REQUEST_HEADER_INVALID', 'requestHeaders[0]']],
  },
  {
    name: 'forbidden request headers are refused, prefixes and CORS headers included',
    options: {
      origins: OK,
      requestHeaders: [
        'Cookie',
        'origin',
        'Sec-Fetch-Mode',
        'Proxy-Authorization',
        'Access-Control-Request-Method',
        'Access-Control-Allow-Origin',
        'Content-Length',
      ],
    },
    issues: [0, 1, 2, 3, 4, 5, 6].map((i) => ['REQUEST_HEADER_FORBIDDEN', `requestHeaders[${i}]`]),
  },
  {
    name: 'request header names differing only in case are duplicates',
    options: { origins: OK, requestHeaders: ['X-Custom', 'x-custom'] },
    issues: [['REQUEST_HEADER_DUPLICATE', 'requestHeaders[1]']],
  },
  {
    name: 'a star inside the requestHeaders list is refused',
    options: { origins: OK, requestHeaders: ['*'] },
    issues: [['WILDCARD_IN_LIST', 'requestHeaders[0]']],
  },
  // exposeHeaders
  {
    name: 'an exposed header name with a space is refused',
    options: { origins: OK, exposeHeaders: ['X Total'] },
    issues: [['EXPOSE_HEADER_INVALID', 'exposeHeaders[0]']],
  },
  {
    name: 'exposing Set-Cookie is refused',
    options: { origins: OK, exposeHeaders: ['Set-Cookie', 'set-cookie2'] },
    issues: [
      ['EXPOSE_HEADER_FORBIDDEN', 'exposeHeaders[0]'],
      ['EXPOSE_HEADER_FORBIDDEN', 'exposeHeaders[1]'],
    ],
  },
  {
    name: 'exposing always-readable headers is refused as pointless',
    options: { origins: OK, exposeHeaders: ['Content-Type', 'cache-control'] },
    issues: [
      ['EXPOSE_HEADER_SAFELISTED', 'exposeHeaders[0]'],
      ['EXPOSE_HEADER_SAFELISTED', 'exposeHeaders[1]'],
    ],
  },
  {
    name: 'exposed header names differing only in case are duplicates',
    options: { origins: OK, exposeHeaders: ['X-Total', 'X-TOTAL'] },
    issues: [['EXPOSE_HEADER_DUPLICATE', 'exposeHeaders[1]']],
  },
  {
    name: 'exposing star with credentials is refused',
    options: { origins: OK, credentials: true, exposeHeaders: '*' },
    issues: [['EXPOSE_WILDCARD_WITH_CREDENTIALS', 'exposeHeaders']],
  },
  {
    name: 'a star inside the exposeHeaders list is refused',
    options: { origins: OK, exposeHeaders: ['X-Total', '*'] },
    issues: [['WILDCARD_IN_LIST', 'exposeHeaders[1]']],
  },
  // maxAge and preflightStatus
  ...[-1, 1.5, 86401, Number.NaN, Number.POSITIVE_INFINITY, '600', null].map(
    (maxAge): Row => ({
      name: `maxAge ${String(typeof maxAge === 'string' ? JSON.stringify(maxAge) : maxAge)} is refused`,
      options: { origins: OK, maxAge },
      issues: [['MAX_AGE_INVALID', 'maxAge']],
    }),
  ),
  ...[199, 300, 403, 204.5, '204'].map(
    (preflightStatus): Row => ({
      name: `preflightStatus ${JSON.stringify(preflightStatus)} is refused`,
      options: { origins: OK, preflightStatus },
      issues: [['PREFLIGHT_STATUS_INVALID', 'preflightStatus']],
    }),
  ),
];

export const ACCEPTED: readonly (readonly [name: string, options: object])[] = [
  ['an exact https origin', origin('https://app.example.com')],
  ['an upper-case origin, lower-cased', origin('HTTPS://APP.EXAMPLE.COM')],
  ['a punycode origin', origin('https://xn--bcher-kva.example')],
  ['a non-default port', origin('https://app.example.com:8443')],
  ['a subdomain pattern', origin('https://*.example.com')],
  ['a subdomain pattern with any port', origin('https://*.example.com:*')],
  ['any port on localhost', origin('http://localhost:*')],
  ['a fully qualified origin with a trailing dot', origin('https://app.example.com.')],
  ['http localhost with credentials', origin('http://localhost:3000', { credentials: true })],
  ['http 127.0.0.1 with credentials', origin('http://127.0.0.1:8080', { credentials: true })],
  ['http [::1] with credentials', origin('http://[::1]:3000', { credentials: true })],
  ['any port on localhost with credentials', origin('http://localhost:*', { credentials: true })],
  [
    'an http *.localhost pattern with credentials',
    origin('http://*.localhost:3000', { credentials: true }),
  ],
  [
    'an http subdomain of localhost with credentials',
    origin('http://app.localhost:3000', { credentials: true }),
  ],
  [
    'an http origin with credentials and dangerouslyAllowInsecureOrigins',
    origin('http://app.example.com', { credentials: true, dangerouslyAllowInsecureOrigins: true }),
  ],
  ['an http origin without credentials', origin('http://app.example.com')],
  ['https://*.com without credentials', origin('https://*.com')],
  [
    'https://*.com with credentials and dangerouslyAllowPublicSuffixWildcards',
    origin('https://*.com', { credentials: true, dangerouslyAllowPublicSuffixWildcards: true }),
  ],
  [
    'https://*.github.io with credentials and dangerouslyAllowPublicSuffixWildcards',
    origin('https://*.github.io', {
      credentials: true,
      dangerouslyAllowPublicSuffixWildcards: true,
    }),
  ],
  [
    'a wildcard below a public suffix with credentials',
    origin('https://*.example.co.uk', { credentials: true }),
  ],
  [
    'a wildcard below github.io with credentials',
    origin('https://*.me.github.io', { credentials: true }),
  ],
  ['star origins without credentials', { origins: '*' }],
  ['a sync predicate', { origins: () => true }],
  ['an async predicate with credentials', { origins: async () => false, credentials: true }],
  ['patch and PATCH as two methods', { origins: OK, methods: ['PATCH', 'patch'] }],
  [
    'star methods, headers and exposed headers',
    { origins: OK, methods: '*', requestHeaders: '*', exposeHeaders: '*' },
  ],
  [
    'star request headers with credentials',
    { origins: OK, credentials: true, requestHeaders: '*' },
  ],
  ['Authorization as a request header', { origins: OK, requestHeaders: ['Authorization'] }],
  ['maxAge 0', { origins: OK, maxAge: 0 }],
  ['maxAge 86400', { origins: OK, maxAge: 86400 }],
  ['preflightStatus 200', { origins: OK, preflightStatus: 200 }],
  ['preflightStatus 299', { origins: OK, preflightStatus: 299 }],
  ['debug true', { origins: OK, debug: true }],
  ['a debug logger', { origins: OK, debug: { warn: () => {} } }],
  ['every option false', { origins: OK, credentials: false, privateNetwork: false, debug: false }],
];
