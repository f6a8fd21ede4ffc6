import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiLowercase,
  asciiUppercase,
  getDecodeAndSplit,
  isHeaderValue,
  isHttpTabOrSpace,
  isHttpWhitespace,
  isToken,
  isTokenChar,
  trimHttpWhitespace,
} from './http-grammar.js';

const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe('isTokenChar', () => {
  it('accepts exactly the 77 tchar of RFC 9110 among all 16-bit code units', () => {
    const accepted: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isTokenChar(c)) accepted.push(String.fromCharCode(c));
    expect(accepted.join('')).toBe([...TCHARS].sort().join(''));
  });

  it.each([
    { name: 'a space', c: ' ' },
    { name: 'a tab', c: '\t' },
    { name: 'a double quote', c: '"' },
    { name: 'a comma', c: ',' },
    { name: 'a colon', c: ':' },
    { name: 'a semicolon', c: ';' },
    { name: 'a slash', c: '/' },
    { name: 'an opening parenthesis', c: '(' },
    { name: 'an at sign', c: '@' },
    { name: 'a left brace', c: '{' },
    { name: 'DEL', c: '\u007f' },
    { name: 'NUL', c: '\0' },
    { name: 'a Latin-1 letter', c: 'é' },
    { name: 'the Kelvin sign', c: '\u212a' },
  ])('rejects $name', ({ c }) => {
    expect(isTokenChar(c.charCodeAt(0))).toBe(false);
  });
});

describe('isToken', () => {
  it.each([
    { name: 'a method name', s: 'GET', ok: true },
    { name: 'a header name with dashes', s: 'X-Custom-Header', ok: true },
    { name: 'the wildcard', s: '*', ok: true },
    { name: 'every tchar at once', s: TCHARS, ok: true },
    { name: 'the empty string', s: '', ok: false },
    { name: 'a name with a space', s: 'X Custom', ok: false },
    { name: 'a name with a trailing space', s: 'x-a ', ok: false },
    { name: 'a quoted name', s: '"x-a"', ok: false },
    { name: 'a name with a colon', s: 'x:a', ok: false },
    { name: 'a name with a non-ASCII letter', s: 'x-é', ok: false },
    { name: 'a name with an astral character', s: 'x-😀', ok: false },
  ])('$name is a token: $ok', ({ s, ok }) => {
    expect(isToken(s)).toBe(ok);
  });
});

describe('HTTP whitespace', () => {
  it.each([
    { name: 'space', c: 0x20, tabOrSpace: true, whitespace: true },
    { name: 'tab', c: 0x09, tabOrSpace: true, whitespace: true },
    { name: 'line feed', c: 0x0a, tabOrSpace: false, whitespace: true },
    { name: 'carriage return', c: 0x0d, tabOrSpace: false, whitespace: true },
    { name: 'vertical tab', c: 0x0b, tabOrSpace: false, whitespace: false },
    { name: 'form feed', c: 0x0c, tabOrSpace: false, whitespace: false },
    { name: 'no-break space', c: 0xa0, tabOrSpace: false, whitespace: false },
    { name: 'ideographic space', c: 0x3000, tabOrSpace: false, whitespace: false },
  ])('$name: tab-or-space $tabOrSpace, whitespace $whitespace', ({ c, tabOrSpace, whitespace }) => {
    expect(isHttpTabOrSpace(c)).toBe(tabOrSpace);
    expect(isHttpWhitespace(c)).toBe(whitespace);
  });
});

describe('trimHttpWhitespace', () => {
  it.each([
    { name: 'a value without padding is returned as it is', s: 'abc', out: 'abc' },
    { name: 'spaces and tabs are trimmed from both ends', s: ' \t abc \t ', out: 'abc' },
    { name: 'CR and LF are trimmed too', s: '\r\nabc\r\n', out: 'abc' },
    { name: 'inner whitespace is kept', s: ' a b ', out: 'a b' },
    { name: 'an all-whitespace value becomes empty', s: ' \t\r\n', out: '' },
    { name: 'the empty string stays empty', s: '', out: '' },
    { name: 'a vertical tab is not HTTP whitespace', s: '\u000babc\u000b', out: '\u000babc\u000b' },
    { name: 'a no-break space is not HTTP whitespace', s: '\u00a0abc', out: '\u00a0abc' },
  ])('$name', ({ s, out }) => {
    expect(trimHttpWhitespace(s)).toBe(out);
  });
});

describe('isHeaderValue', () => {
  it.each([
    { name: 'a plain value', s: 'text/plain', ok: true },
    { name: 'the empty value', s: '', ok: true },
    { name: 'inner spaces and tabs', s: 'a \t b', ok: true },
    { name: 'Latin-1 bytes', s: 'caf\u00e9\u00ff', ok: true },
    { name: 'a vertical tab', s: 'a\u000bb', ok: true },
    { name: 'a DEL byte', s: 'a\u007fb', ok: true },
    { name: 'a leading space', s: ' a', ok: false },
    { name: 'a trailing tab', s: 'a\t', ok: false },
    { name: 'a lone space', s: ' ', ok: false },
    { name: 'a NUL byte', s: 'a\0b', ok: false },
    { name: 'a line feed', s: 'a\nb', ok: false },
    { name: 'a carriage return', s: 'a\rb', ok: false },
    { name: 'a code unit above 0xFF (not a byte)', s: 'a\u0100', ok: false },
  ])('$name is a header value: $ok', ({ s, ok }) => {
    expect(isHeaderValue(s)).toBe(ok);
  });
});

describe('asciiLowercase and asciiUppercase', () => {
  it.each([
    {
      name: 'ASCII letters change case',
      s: 'Content-TYPE',
      lower: 'content-type',
      upper: 'CONTENT-TYPE',
    },
    { name: 'a lower-case string is unchanged', s: 'x-a', lower: 'x-a', upper: 'X-A' },
    { name: 'the dotted capital I is left alone', s: 'İD', lower: 'İd', upper: 'İD' },
    { name: 'the Kelvin sign is left alone', s: '\u212aEY', lower: '\u212aey', upper: '\u212aEY' },
    { name: 'the dotless i is left alone', s: 'ıd', lower: 'ıd', upper: 'ıD' },
    { name: 'the long s is left alone', s: 'poſt', lower: 'poſt', upper: 'POſT' },
    { name: 'the ligature st is left alone', s: 'poﬆ', lower: 'poﬆ', upper: 'POﬆ' },
    { name: 'the sharp s is left alone', s: 'Straße', lower: 'straße', upper: 'STRAßE' },
    {
      name: 'Latin-1 letters are left alone',
      s: 'ÉCOLE école',
      lower: 'École école',
      upper: 'ÉCOLE éCOLE',
    },
    { name: 'the empty string stays empty', s: '', lower: '', upper: '' },
  ])('$name', ({ s, lower, upper }) => {
    expect(asciiLowercase(s)).toBe(lower);
    expect(asciiUppercase(s)).toBe(upper);
  });

  // Any UTF-16 code unit, with ASCII letters and the usual suspects of Unicode case mapping common.
  const codeUnit = fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom(...'azAZmM', 'İ', 'ı', '\u212a', 'ſ', 'ﬆ', 'ß', 'é', 'É'),
  );

  it('change only the 26 ASCII letters of any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: 40 }), (s) => {
        for (const [f, from, to] of [
          [asciiLowercase, 0x41, 0x20],
          [asciiUppercase, 0x61, -0x20],
        ] as const) {
          let expected = '';
          for (let i = 0; i < s.length; i++) {
            const c = s.charCodeAt(i);
            expected += String.fromCharCode(c >= from && c < from + 26 ? c + to : c);
          }
          expect(f(s)).toBe(expected);
        }
      }),
    );
  });
});

describe('getDecodeAndSplit', () => {
  // The examples table of https://fetch.spec.whatwg.org/#concept-header-list-get-decode-split,
  // with several header lines already combined by ", " as "get" does.
  it.each([
    { name: 'a trailing comma gives a trailing empty value', s: 'nosniff,', out: ['nosniff', ''] },
    { name: 'an empty combined line gives empty values', s: 'nosniff, ', out: ['nosniff', ''] },
    { name: 'the empty value is one empty value', s: '', out: [''] },
    {
      name: 'a comma inside a quoted string does not split',
      s: 'text/html;", x/x',
      out: ['text/html;", x/x'],
    },
    {
      name: 'a quoted parameter stays with its value',
      s: 'x/x;test="hi",y/y',
      out: ['x/x;test="hi"', 'y/y'],
    },
    {
      name: 'inner spaces are kept, empty elements too',
      s: 'x / x,,,1',
      out: ['x / x', '', '', '1'],
    },
    { name: 'a quoted element keeps its quotes', s: '"1,2", 3', out: ['"1,2"', '3'] },
    {
      name: 'an escaped quote does not end the quoted string',
      s: '"a\\",b", c',
      out: ['"a\\",b"', 'c'],
    },
    { name: 'an unterminated quoted string runs to the end', s: 'a, "b, c', out: ['a', '"b, c'] },
    { name: 'only HTTP tab or space is trimmed', s: '\t a \u00a0, b ', out: ['a \u00a0', 'b'] },
  ])('$name: $s', ({ s, out }) => {
    expect(getDecodeAndSplit(s)).toEqual(out);
  });
});
