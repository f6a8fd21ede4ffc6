import { describe, expect, it } from 'vitest';
import {
  corsExposedHeaderNames,
  corsUnsafeRequestHeaderNames,
  type HeaderEntry,
  isCorsReadable,
  isCorsUnsafeRequestHeaderByte,
  isForbiddenRequestHeader,
  isForbiddenRequestHeaderName,
  isForbiddenResponseHeaderName,
  isMethodOverrideHeaderName,
  isNonWildcardRequestHeaderName,
  isSafelistedRequestHeader,
  isSafelistedResponseHeaderName,
  parseSingleRange,
  readableResponseHeaderNames,
  SAFELISTED_VALUE_BUDGET,
} from './request-headers.js';

const UNSAFE_BYTES = '"():<>?@[\\]{}\u007f';

describe('isCorsUnsafeRequestHeaderByte', () => {
  it('is true exactly for the bytes below 0x20 but HT, for "():<>?@[\\]{} and for DEL', () => {
    const unsafe: number[] = [];
    for (let b = 0; b <= 0xff; b++) if (isCorsUnsafeRequestHeaderByte(b)) unsafe.push(b);
    const expected = [
      ...Array.from({ length: 0x20 }, (_, i) => i).filter((b) => b !== 0x09),
      ...[...UNSAFE_BYTES].map((c) => c.charCodeAt(0)),
    ].sort((a, b) => a - b);
    expect(unsafe).toEqual(expected);
  });
});

describe('isSafelistedRequestHeader', () => {
  const long = (n: number) => 'a'.repeat(n);
  it.each([
    // Accept: any value without a CORS-unsafe request-header byte.
    {
      name: 'Accept with a media range list',
      header: 'Accept',
      value: 'text/html, application/json;q=0.9, */*;q=0.8',
      safe: true,
    },
    { name: 'Accept whatever the case of its name', header: 'ACCEPT', value: '*/*', safe: true },
    { name: 'an empty Accept', header: 'accept', value: '', safe: true },
    { name: 'Accept with a tab', header: 'accept', value: 'a\tb', safe: true },
    { name: 'Accept with a Latin-1 byte', header: 'accept', value: 'caf\u00e9', safe: true },
    ...[...UNSAFE_BYTES].map((c) => ({
      name: `Accept with the unsafe byte ${JSON.stringify(c)}`,
      header: 'accept',
      value: `a${c}b`,
      safe: false,
    })),
    { name: 'Accept with a NUL byte', header: 'accept', value: 'a\0b', safe: false },
    { name: 'Accept with a vertical tab', header: 'accept', value: 'a\u000bb', safe: false },
    { name: 'Accept of 128 bytes', header: 'accept', value: long(128), safe: true },
    { name: 'Accept of 129 bytes', header: 'accept', value: long(129), safe: false },
    {
      name: 'Accept of 129 bytes from WPT',
      header: 'accept',
      value:
        '012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678',
      safe: false,
    },
    // Accept-Language and Content-Language: 0-9 A-Z a-z space * , - . ; = only.
    {
      name: 'Accept-Language with weights',
      header: 'Accept-Language',
      value: 'fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5',
      safe: true,
    },
    { name: 'an empty Accept-Language', header: 'accept-language', value: '', safe: true },
    {
      name: 'Content-Language with two tags',
      header: 'Content-Language',
      value: 'de-DE, en-CA',
      safe: true,
    },
    {
      name: 'Accept-Language with a control byte',
      header: 'accept-language',
      value: '\u0001',
      safe: false,
    },
    { name: 'Accept-Language with an at sign', header: 'accept-language', value: '@', safe: false },
    {
      name: 'Accept-Language with an underscore',
      header: 'accept-language',
      value: 'en_US',
      safe: false,
    },
    {
      name: 'Accept-Language with a tab',
      header: 'accept-language',
      value: 'en,\tfr',
      safe: false,
    },
    {
      name: 'Accept-Language with a slash',
      header: 'accept-language',
      value: 'en/fr',
      safe: false,
    },
    { name: 'Accept-Language with a quote', header: 'accept-language', value: '"en"', safe: false },
    {
      name: 'Accept-Language with a Latin-1 letter',
      header: 'accept-language',
      value: 'fran\u00e7ais',
      safe: false,
    },
    {
      name: 'Content-Language with a control byte',
      header: 'content-language',
      value: '\u0001',
      safe: false,
    },
    {
      name: 'Content-Language with an at sign',
      header: 'content-language',
      value: '@',
      safe: false,
    },
    {
      name: 'Content-Language of 129 bytes',
      header: 'content-language',
      value: long(129),
      safe: false,
    },
    // Content-Type: no unsafe byte, and a MIME type whose essence is one of three.
    { name: 'Content-Type text/plain', header: 'Content-Type', value: 'text/plain', safe: true },
    {
      name: 'Content-Type text/plain with a charset',
      header: 'content-type',
      value: 'text/plain;charset=UTF-8',
      safe: true,
    },
    { name: 'Content-Type Text/Plain', header: 'content-type', value: 'Text/Plain', safe: true },
    {
      name: 'Content-Type application/x-www-form-urlencoded',
      header: 'content-type',
      value: 'application/x-www-form-urlencoded',
      safe: true,
    },
    {
      name: 'Content-Type multipart/form-data',
      header: 'content-type',
      value: 'multipart/form-data',
      safe: true,
    },
    {
      name: 'Content-Type multipart/form-data with a boundary',
      header: 'content-type',
      value: 'multipart/form-data; boundary=----x',
      safe: true,
    },
    {
      name: 'Content-Type text/plain; (WPT)',
      header: 'content-type',
      value: 'text/plain;',
      safe: true,
    },
    {
      name: 'Content-Type text/plain;garbage (WPT)',
      header: 'content-type',
      value: 'text/plain;garbage',
      safe: true,
    },
    {
      name: 'Content-Type text /plain (WPT)',
      header: 'content-type',
      value: 'text /plain',
      safe: false,
    },
    {
      name: 'Content-Type text\\t/\\tplain (WPT)',
      header: 'content-type',
      value: 'text\t/\tplain',
      safe: false,
    },
    {
      name: 'Content-Type text/plain;garbage\\u0001\\u0002 (WPT)',
      header: 'content-type',
      value: 'text/plain;garbage\u0001\u0002',
      safe: false,
    },
    {
      name: 'Content-Type text/plain, (WPT)',
      header: 'content-type',
      value: 'text/plain,',
      safe: false,
    },
    {
      name: 'Content-Type ,text/plain (WPT)',
      header: 'content-type',
      value: ',text/plain',
      safe: false,
    },
    {
      name: 'Content-Type text/plain,text/plain (WPT)',
      header: 'content-type',
      value: 'text/plain,text/plain',
      safe: false,
    },
    {
      name: 'Content-Type text/plain,x/x (WPT)',
      header: 'content-type',
      value: 'text/plain,x/x',
      safe: false,
    },
    {
      name: 'Content-Type text/plain\\u000B (WPT)',
      header: 'content-type',
      value: 'text/plain\u000b',
      safe: false,
    },
    {
      name: 'Content-Type text/plain\\u000C (WPT)',
      header: 'content-type',
      value: 'text/plain\u000c',
      safe: false,
    },
    {
      name: 'Content-Type application/www-form-urlencoded (WPT)',
      header: 'content-type',
      value: 'application/www-form-urlencoded',
      safe: false,
    },
    {
      name: 'Content-Type application/x-www-form-urlencoded;\\u007F (WPT)',
      header: 'content-type',
      value: 'application/x-www-form-urlencoded;\u007f',
      safe: false,
    },
    {
      name: 'Content-Type multipart/form-data;" (WPT)',
      header: 'content-type',
      value: 'multipart/form-data;"',
      safe: false,
    },
    { name: 'Content-Type text/html', header: 'content-type', value: 'text/html', safe: false },
    {
      name: 'Content-Type application/json',
      header: 'content-type',
      value: 'application/json',
      safe: false,
    },
    {
      name: 'Content-Type text/plain with a quoted charset (the quote is unsafe)',
      header: 'content-type',
      value: 'text/plain;charset="utf-8"',
      safe: false,
    },
    {
      name: 'Content-Type with a long parameter, 128 bytes in all',
      header: 'content-type',
      value: `text/plain; long=${'0123456789'.repeat(11)}0`,
      safe: true,
    },
    {
      name: 'Content-Type with a long parameter over 128 bytes',
      header: 'content-type',
      value: `text/plain; long=${'0123456789'.repeat(11)}01`,
      safe: false,
    },
    { name: 'an empty Content-Type', header: 'content-type', value: '', safe: false },
    // Not safelisted at all, per the standard (some were once, or are in Chromium only).
    {
      name: 'Last-Event-ID (no longer safelisted)',
      header: 'last-event-id',
      value: 'abc123',
      safe: false,
    },
    { name: 'Authorization', header: 'authorization', value: 'basics', safe: false },
    { name: 'a custom header', header: 'test', value: 'hi', safe: false },
    { name: 'X-Requested-With', header: 'x-requested-with', value: 'XMLHttpRequest', safe: false },
    { name: 'DPR (a Chromium-only client hint)', header: 'dpr', value: '2', safe: false },
    {
      name: 'Save-Data (a Chromium-only client hint)',
      header: 'save-data',
      value: 'on',
      safe: false,
    },
  ])('$name is safelisted: $safe', ({ header, value, safe }) => {
    expect(isSafelistedRequestHeader(header, value)).toBe(safe);
  });

  // WPT cors/cors-safelisted-request-header.any.js, Range: "preflight" means not safelisted.
  it.each([
    { value: '100-200', safe: false },
    { value: 'MB=100-200', safe: false },
    { value: 'bytes=100-200', safe: true },
    { value: 'bytes =100-200', safe: false },
    { value: 'bytes\t=100-200', safe: false },
    { value: 'bytes=  100-200', safe: false },
    { value: 'bytes=\t\t100-200', safe: false },
    { value: 'bytes= \t100-200', safe: false },
    { value: 'bytes=100 -200', safe: false },
    { value: 'bytes=100\t-200', safe: false },
    { value: 'bytes=100- 200', safe: false },
    { value: 'bytes=100-\t200', safe: false },
    { value: 'bytes=100-200hello', safe: false },
    { value: 'bytes=abc-def', safe: false },
    { value: 'bytes=100-200,300-400', safe: false },
    { value: 'bytes=-200', safe: false },
    { value: 'bytes=200-', safe: true },
    { value: 'bytes=200-100', safe: false },
    { value: `bytes=1${'0'.repeat(60)}-2${'0'.repeat(60)}`, safe: false },
    { value: 'bytes 100-200', safe: false },
    { value: 'bytes = 100-200', safe: false },
    { value: ',bytes=100-200', safe: false },
    { value: 'bytes=,100-200', safe: false },
    // Beyond WPT.
    { value: 'bytes=0-', safe: true },
    { value: 'bytes=0-0', safe: true },
    { value: 'bytes=5-5', safe: true },
    { value: 'bytes=007-010', safe: true },
    { value: 'bytes=-', safe: false },
    { value: 'bytes=', safe: false },
    { value: 'bytes', safe: false },
    { value: '', safe: false },
    { value: 'BYTES=0-100', safe: false },
    { value: 'Bytes=0-100', safe: false },
    { value: 'bytes=0-100 ', safe: false },
    { value: 'bytes=0-100\n', safe: false },
    // Past the standard: no engine takes a number above 2^64 - 1 (measured on Chromium 156,
    // Firefox ESR 153 and WebKitGTK 2.50).
    { value: `bytes=1${'0'.repeat(59)}-2${'0'.repeat(59)}`, safe: false },
    { value: 'bytes=18446744073709551615-', safe: true },
    { value: 'bytes=0-18446744073709551615', safe: true },
    { value: 'bytes=000018446744073709551615-', safe: true },
    { value: 'bytes=18446744073709551616-', safe: false },
    { value: 'bytes=0-18446744073709551616', safe: false },
    { value: 'bytes=9223372036854775808-', safe: true },
    { value: 'bytes=0-9007199254740993', safe: true },
    { value: `bytes=2${'0'.repeat(59)}-1${'0'.repeat(59)}`, safe: false },
    { value: 'bytes=9007199254740993-9007199254740992', safe: false },
  ])('Range $value is safelisted: $safe', ({ value, safe }) => {
    expect(isSafelistedRequestHeader('Range', value)).toBe(safe);
  });
});

describe('parseSingleRange', () => {
  it.each([
    { name: 'a start and an end', value: 'bytes=5-10', range: [5, 10] },
    { name: 'a start only', value: 'bytes=5-', range: [5, null] },
    { name: 'a suffix (end only)', value: 'bytes=-500', range: [null, 500] },
    { name: 'equal start and end', value: 'bytes=7-7', range: [7, 7] },
    { name: 'leading zeros', value: 'bytes=007-010', range: [7, 10] },
    { name: 'neither start nor end', value: 'bytes=-', range: null },
    { name: 'a start after the end', value: 'bytes=10-9', range: null },
    {
      name: 'a start after the end only past 2^53',
      value: 'bytes=9007199254740993-9007199254740992',
      range: null,
    },
    {
      name: 'an upper-case unit ("starts with" is case-sensitive)',
      value: 'BYTES=0-1',
      range: null,
    },
    { name: 'another unit', value: 'items=0-1', range: null },
    { name: 'whitespace (allowWhitespace is false)', value: 'bytes = 0-1', range: null },
    { name: 'two ranges', value: 'bytes=0-1,3-4', range: null },
  ])('$name: $value', ({ value, range }) => {
    expect(parseSingleRange(value)).toEqual(range);
  });
});

describe('corsUnsafeRequestHeaderNames', () => {
  const accept128: HeaderEntry = ['Accept', 'a'.repeat(128)];
  it.each<{ name: string; headers: HeaderEntry[]; names: string[] }>([
    { name: 'no headers need no preflight', headers: [], names: [] },
    {
      name: 'safelisted headers need no preflight',
      headers: [
        ['Accept', '*/*'],
        ['Content-Type', 'text/plain'],
        ['Range', 'bytes=0-'],
      ],
      names: [],
    },
    {
      name: 'a custom header is named, lower-cased',
      headers: [['X-Custom', '1']],
      names: ['x-custom'],
    },
    {
      name: 'a safelisted name with an unsafe value is named',
      headers: [['Content-Type', 'application/json']],
      names: ['content-type'],
    },
    {
      name: 'names are de-duplicated case-insensitively',
      headers: [
        ['X-A', '1'],
        ['x-a', '2'],
        ['X-a', '3'],
      ],
      names: ['x-a'],
    },
    {
      name: 'names are sorted',
      headers: [
        ['X-B', '1'],
        ['Content-Type', 'application/json'],
        ['X-A', '1'],
      ],
      names: ['content-type', 'x-a', 'x-b'],
    },
    {
      name: 'names are sorted by byte, not by locale',
      headers: [
        ['x-b', '1'],
        ['x-_', '1'],
        ['X-A', '1'],
        ['x-0', '1'],
        ['x-Z', '1'],
      ],
      names: ['x-0', 'x-_', 'x-a', 'x-b', 'x-z'],
    },
    {
      name: 'a name both safe and unsafe is named once',
      headers: [
        ['Accept', '*/*'],
        ['Accept', '"'],
      ],
      names: ['accept'],
    },
    {
      name: 'safelisted values totalling 1024 bytes stay safe',
      headers: Array.from({ length: 8 }, () => accept128),
      names: [],
    },
    {
      name: 'safelisted values over 1024 bytes all become unsafe',
      headers: [...Array.from({ length: 8 }, () => accept128), ['Content-Language', 'x']],
      names: ['accept', 'content-language'],
    },
    {
      name: 'unsafe values do not count toward the 1024 bytes',
      headers: [['X-Big', 'a'.repeat(2000)], accept128],
      names: ['x-big'],
    },
    {
      name: 'the 1024 rule adds to, and sorts with, the unsafe names',
      headers: [['X-Z', '1'], ...Array.from({ length: 9 }, () => accept128)],
      names: ['accept', 'x-z'],
    },
  ])('$name', ({ headers, names }) => {
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual(names);
  });

  it('is the value of Access-Control-Request-Headers once joined with ","', () => {
    const headers: HeaderEntry[] = [
      ['X-Requested-With', 'x'],
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer t'],
    ];
    expect(corsUnsafeRequestHeaderNames(headers).join(',')).toBe(
      'authorization,content-type,x-requested-with',
    );
  });

  it('uses the safelist it is given (Chromium safelists client hints)', () => {
    const chromium = (name: string, value: string) =>
      name.toLowerCase() === 'dpr'
        ? /^[0-9]+(\.[0-9]+)?$/.test(value)
        : isSafelistedRequestHeader(name, value);
    expect(corsUnsafeRequestHeaderNames([['DPR', '2']], chromium)).toEqual([]);
    expect(corsUnsafeRequestHeaderNames([['DPR', '2']])).toEqual(['dpr']);
  });

  it('budgets 1024 bytes', () => {
    expect(SAFELISTED_VALUE_BUDGET).toBe(1024);
  });
});

describe('isForbiddenRequestHeaderName', () => {
  const FORBIDDEN = [
    'Accept-Charset',
    'Accept-Encoding',
    'Access-Control-Request-Headers',
    'Access-Control-Request-Method',
    'Connection',
    'Content-Length',
    'Cookie',
    'Cookie2',
    'Date',
    'DNT',
    'Expect',
    'Host',
    'Keep-Alive',
    'Origin',
    'Referer',
    'Set-Cookie',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Via',
  ];
  it.each(FORBIDDEN.flatMap((n) => [n, n.toLowerCase(), n.toUpperCase()]))(
    '%s is forbidden',
    (name) => {
      expect(isForbiddenRequestHeaderName(name)).toBe(true);
    },
  );

  it.each([
    { name: 'Proxy-Authorization', forbidden: true },
    { name: 'proxy-connection', forbidden: true },
    { name: 'PROXY-Anything', forbidden: true },
    { name: 'proxy-', forbidden: true },
    { name: 'Sec-Fetch-Mode', forbidden: true },
    { name: 'sec-ch-ua', forbidden: true },
    { name: 'SEC-WebSocket-Key', forbidden: true },
    { name: 'sec-', forbidden: true },
    { name: 'proxy', forbidden: false },
    { name: 'sec', forbidden: false },
    { name: 'secret', forbidden: false },
    { name: 'x-sec-token', forbidden: false },
    { name: 'x-proxy-id', forbidden: false },
    { name: 'Referrer', forbidden: false },
    { name: 'Cookie3', forbidden: false },
    { name: 'Accept', forbidden: false },
    { name: 'Content-Type', forbidden: false },
    { name: 'Authorization', forbidden: false },
    { name: 'User-Agent', forbidden: false },
    { name: 'X-HTTP-Method-Override', forbidden: false },
    { name: '\u212aeep-Alive', forbidden: false },
  ])('$name is forbidden: $forbidden', ({ name, forbidden }) => {
    expect(isForbiddenRequestHeaderName(name)).toBe(forbidden);
  });
});

describe('isForbiddenRequestHeader', () => {
  it.each([
    {
      name: 'a forbidden name, whatever its value',
      header: 'Cookie',
      value: 'a=b',
      forbidden: true,
    },
    { name: 'a sec- name with an empty value', header: 'Sec-Foo', value: '', forbidden: true },
    {
      name: 'X-HTTP-Method-Override: TRACE',
      header: 'X-HTTP-Method-Override',
      value: 'TRACE',
      forbidden: true,
    },
    { name: 'X-HTTP-Method: connect', header: 'X-HTTP-Method', value: 'connect', forbidden: true },
    {
      name: 'X-Method-Override: Track',
      header: 'x-method-override',
      value: 'Track',
      forbidden: true,
    },
    {
      name: 'a forbidden method second in a list',
      header: 'X-HTTP-Method-Override',
      value: 'PUT, TRACE',
      forbidden: true,
    },
    {
      name: 'a forbidden method padded with spaces and tabs',
      header: 'X-HTTP-Method-Override',
      value: 'GET,\t trace \t',
      forbidden: true,
    },
    {
      name: 'a forbidden method after an empty element',
      header: 'X-HTTP-Method-Override',
      value: ',TRACE',
      forbidden: true,
    },
    {
      name: 'X-HTTP-Method-Override: GET',
      header: 'X-HTTP-Method-Override',
      value: 'GET',
      forbidden: false,
    },
    {
      name: 'X-HTTP-Method-Override: PATCH, DELETE',
      header: 'X-HTTP-Method-Override',
      value: 'PATCH, DELETE',
      forbidden: false,
    },
    {
      name: 'a quoted forbidden method (quotes are kept)',
      header: 'X-HTTP-Method-Override',
      value: '"TRACE"',
      forbidden: false,
    },
    {
      name: 'a forbidden method inside a quoted string',
      header: 'X-HTTP-Method-Override',
      value: '"x,TRACE,y"',
      forbidden: false,
    },
    {
      name: 'a forbidden method padded with a no-break space',
      header: 'X-HTTP-Method-Override',
      value: 'TRACE\u00a0',
      forbidden: false,
    },
    {
      name: 'a longer method',
      header: 'X-HTTP-Method-Override',
      value: 'TRACES',
      forbidden: false,
    },
    { name: 'an empty override', header: 'X-HTTP-Method-Override', value: '', forbidden: false },
    {
      name: 'a forbidden method in another header',
      header: 'X-Custom',
      value: 'TRACE',
      forbidden: false,
    },
    { name: 'a safelisted header', header: 'Accept', value: '*/*', forbidden: false },
  ])('$name is forbidden: $forbidden', ({ header, value, forbidden }) => {
    expect(isForbiddenRequestHeader(header, value)).toBe(forbidden);
  });
});

describe('header-name predicates', () => {
  it.each([
    { name: 'X-HTTP-Method', override: true },
    { name: 'x-http-method-override', override: true },
    { name: 'X-METHOD-OVERRIDE', override: true },
    { name: 'X-HTTP-Method-Override2', override: false },
    { name: 'X-Method', override: false },
  ])('$name is a method-override header: $override', ({ name, override }) => {
    expect(isMethodOverrideHeaderName(name)).toBe(override);
  });

  it.each([
    { name: 'Authorization', nonWildcard: true },
    { name: 'authorization', nonWildcard: true },
    { name: 'AUTHORIZATION', nonWildcard: true },
    { name: 'Proxy-Authorization', nonWildcard: false },
    { name: 'X-Authorization', nonWildcard: false },
  ])('$name is not covered by a wildcard: $nonWildcard', ({ name, nonWildcard }) => {
    expect(isNonWildcardRequestHeaderName(name)).toBe(nonWildcard);
  });

  it.each([
    { name: 'Set-Cookie', forbidden: true },
    { name: 'set-cookie2', forbidden: true },
    { name: 'SET-COOKIE', forbidden: true },
    { name: 'Set-Cookie3', forbidden: false },
    { name: 'Cookie', forbidden: false },
  ])('$name is a forbidden response-header name: $forbidden', ({ name, forbidden }) => {
    expect(isForbiddenResponseHeaderName(name)).toBe(forbidden);
  });

  it.each([
    { name: 'Cache-Control', safelisted: true },
    { name: 'content-language', safelisted: true },
    { name: 'Content-Length', safelisted: true },
    { name: 'CONTENT-TYPE', safelisted: true },
    { name: 'Expires', safelisted: true },
    { name: 'Last-Modified', safelisted: true },
    { name: 'Pragma', safelisted: true },
    { name: 'ETag', safelisted: false },
    { name: 'Content-Range', safelisted: false },
    { name: 'Content-Encoding', safelisted: false },
    { name: 'Accept-Ranges', safelisted: false },
    { name: 'Date', safelisted: false },
    { name: 'Server', safelisted: false },
    { name: 'Vary', safelisted: false },
    { name: 'Set-Cookie', safelisted: false },
  ])('$name is a CORS-safelisted response-header name: $safelisted', ({ name, safelisted }) => {
    expect(isSafelistedResponseHeaderName(name)).toBe(safelisted);
  });
});

describe('readableResponseHeaderNames', () => {
  // The response of WPT fetch/api/cors/cors-expose-star.js, plus a few more.
  const response = [
    'Content-Type',
    'Content-Length',
    'Test',
    'Set-Cookie',
    '*',
    'X-Custom',
    'ETag',
    'Set-Cookie2',
  ];
  const SAFELISTED = ['content-type', 'content-length'];
  it.each([
    {
      name: 'without Access-Control-Expose-Headers only safelisted names are readable',
      expose: null,
      credentials: false,
      readable: SAFELISTED,
    },
    {
      name: 'an empty Access-Control-Expose-Headers exposes nothing more',
      expose: '',
      credentials: false,
      readable: SAFELISTED,
    },
    {
      name: 'a listed name is exposed',
      expose: 'Test',
      credentials: false,
      readable: [...SAFELISTED, 'test'],
    },
    {
      name: 'listed names match case-insensitively',
      expose: 'x-custom, ETAG',
      credentials: false,
      readable: [...SAFELISTED, 'x-custom', 'etag'],
    },
    {
      name: 'empty list elements are ignored',
      expose: ',x-custom,',
      credentials: false,
      readable: [...SAFELISTED, 'x-custom'],
    },
    {
      name: 'an invalid list exposes nothing more',
      expose: 'x-custom, bad header',
      credentials: false,
      readable: SAFELISTED,
    },
    {
      name: 'Set-Cookie is never exposed, even when listed',
      expose: 'Set-Cookie, Set-Cookie2',
      credentials: false,
      readable: SAFELISTED,
    },
    {
      name: '* exposes every name but Set-Cookie without credentials (WPT: basic * support)',
      expose: '*',
      credentials: false,
      readable: ['content-type', 'content-length', 'test', '*', 'x-custom', 'etag'],
    },
    {
      name: '* can be one of several values (WPT)',
      expose: '*, set-cookie',
      credentials: false,
      readable: ['content-type', 'content-length', 'test', '*', 'x-custom', 'etag'],
    },
    {
      name: '* only matches a header named * with credentials (WPT)',
      expose: '*',
      credentials: true,
      readable: [...SAFELISTED, '*'],
    },
    {
      name: 'listed names are exposed with credentials',
      expose: 'test, *',
      credentials: true,
      readable: [...SAFELISTED, 'test', '*'],
    },
  ])('$name', ({ expose, credentials, readable }) => {
    expect(readableResponseHeaderNames(response, expose, credentials)).toEqual(readable);
  });

  it('keeps the response order and one entry per header line', () => {
    expect(readableResponseHeaderNames(['X-A', 'Pragma', 'x-a'], 'X-A', false)).toEqual([
      'x-a',
      'pragma',
      'x-a',
    ]);
  });
});

describe('corsExposedHeaderNames and isCorsReadable', () => {
  it('exposes every name but Set-Cookie for `*` without credentials', () => {
    const exposed = corsExposedHeaderNames('x-a, *', false);
    expect(exposed).toBe('*');
    expect(isCorsReadable('x-anything', exposed)).toBe(true);
    expect(isCorsReadable('set-cookie', exposed)).toBe(false);
  });

  it('reads `*` as a header literally named `*` with credentials', () => {
    const exposed = corsExposedHeaderNames('X-A, *', true);
    expect(exposed).toEqual(new Set(['x-a', '*']));
    expect(isCorsReadable('x-a', exposed)).toBe(true);
    expect(isCorsReadable('x-b', exposed)).toBe(false);
  });

  it('exposes nothing beyond the safelist when the list does not parse', () => {
    const exposed = corsExposedHeaderNames('x-a, bad header', false);
    expect(exposed).toEqual(new Set());
    expect(isCorsReadable('x-a', exposed)).toBe(false);
    expect(isCorsReadable('content-type', exposed)).toBe(true);
  });
});
