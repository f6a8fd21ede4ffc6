import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countedString } from '../../test/cases/counted-string.js';
import { isToken } from './http-grammar.js';
import { type ListLimits, parseTokenList, UNLIMITED } from './list-value.js';

describe('parseTokenList', () => {
  it.each([
    { name: 'a single token is a list of one', value: 'X-A', items: ['X-A'] },
    { name: 'commas separate elements', value: 'x-a,x-b,x-c', items: ['x-a', 'x-b', 'x-c'] },
    {
      name: 'spaces around elements are optional whitespace',
      value: ' x-a , x-b ',
      items: ['x-a', 'x-b'],
    },
    { name: 'tabs are optional whitespace too', value: 'x-a\t,\tx-b', items: ['x-a', 'x-b'] },
    { name: 'empty elements are dropped', value: ',x-a,,x-b,', items: ['x-a', 'x-b'] },
    {
      name: 'elements of only whitespace are dropped',
      value: 'x-a, \t ,x-b',
      items: ['x-a', 'x-b'],
    },
    { name: 'the empty value is the empty list', value: '', items: [] },
    { name: 'a value of commas and whitespace is the empty list', value: ' , ,\t, ', items: [] },
    {
      name: 'two header lines combined with ", " are one list',
      value: ['x-a, x-b', 'x-c'].join(', '),
      items: ['x-a', 'x-b', 'x-c'],
    },
    {
      name: 'an empty header line combined with ", " adds nothing',
      value: ['x-a', ''].join(', '),
      items: ['x-a'],
    },
    {
      name: 'case is kept as written',
      value: 'X-Custom, x-custom',
      items: ['X-Custom', 'x-custom'],
    },
    { name: 'duplicates are kept', value: 'x-a, x-a', items: ['x-a', 'x-a'] },
    { name: 'the wildcard is a token', value: '*', items: ['*'] },
    { name: 'methods are tokens', value: 'GET, PATCH, patch', items: ['GET', 'PATCH', 'patch'] },
    {
      name: 'every tchar is allowed',
      value: "!#$%&'*+-.^_`|~09AZaz",
      items: ["!#$%&'*+-.^_`|~09AZaz"],
    },
  ])('$name', ({ value, items }) => {
    expect(parseTokenList(value)).toEqual({ ok: true, items });
  });

  it.each([
    { name: 'a space inside an element', value: 'x-a, bad header', element: 'bad header' },
    { name: 'a tab inside an element', value: 'bad\theader', element: 'bad\theader' },
    { name: 'a quoted element', value: '"x-a"', element: '"x-a"' },
    { name: 'a quote inside an element', value: 'x-a, x"b', element: 'x"b' },
    { name: 'a non-ASCII letter', value: 'x-é', element: 'x-é' },
    { name: 'an astral character', value: 'x-😀', element: 'x-😀' },
    { name: 'a MIME type (the slash is no tchar)', value: 'text/plain', element: 'text/plain' },
    { name: 'a colon', value: 'x:a', element: 'x:a' },
    { name: 'a semicolon', value: 'a;b', element: 'a;b' },
    { name: 'a carriage return', value: 'x-a\r', element: 'x-a\r' },
    { name: 'a NUL byte', value: 'x-a\0', element: 'x-a\0' },
    { name: 'a vertical tab (not optional whitespace)', value: '\u000bx-a', element: '\u000bx-a' },
    { name: 'an invalid last element, after valid ones', value: 'x-a, x-b, x c', element: 'x c' },
    { name: 'an invalid first element, before valid ones', value: 'x c, x-a', element: 'x c' },
  ])('fails the whole list for $name', ({ value, element }) => {
    expect(parseTokenList(value)).toEqual({ ok: false, problem: 'invalid-token', element });
  });

  it.each<{ name: string; value: string; limits: ListLimits; result: unknown }>([
    {
      name: 'as many items as maxItems pass',
      value: 'a,b',
      limits: { maxLength: 100, maxItems: 2 },
      result: { ok: true, items: ['a', 'b'] },
    },
    {
      name: 'one more item than maxItems fails',
      value: 'a,b,c',
      limits: { maxLength: 100, maxItems: 2 },
      result: { ok: false, problem: 'too-many-items' },
    },
    {
      name: 'empty elements do not count as items',
      value: 'a,,,b,',
      limits: { maxLength: 100, maxItems: 2 },
      result: { ok: true, items: ['a', 'b'] },
    },
    {
      name: 'a value exactly maxLength long passes',
      value: 'a,b,c',
      limits: { maxLength: 5, maxItems: 10 },
      result: { ok: true, items: ['a', 'b', 'c'] },
    },
    {
      name: 'a value one longer than maxLength fails',
      value: 'a,b,cd',
      limits: { maxLength: 5, maxItems: 10 },
      result: { ok: false, problem: 'too-long' },
    },
    {
      name: 'too-long is found before an invalid element',
      value: 'bad header',
      limits: { maxLength: 3, maxItems: 10 },
      result: { ok: false, problem: 'too-long' },
    },
    {
      name: 'an element both invalid and one too many is reported invalid',
      value: 'a,b c,d',
      limits: { maxLength: 100, maxItems: 1 },
      result: { ok: false, problem: 'invalid-token', element: 'b c' },
    },
  ])('$name', ({ value, limits, result }) => {
    expect(parseTokenList(value, limits)).toEqual(result);
  });

  it('has no limits by default', () => {
    expect(UNLIMITED).toEqual({
      maxLength: Number.POSITIVE_INFINITY,
      maxItems: Number.POSITIVE_INFINITY,
    });
    expect(parseTokenList('a,'.repeat(5000))).toMatchObject({ ok: true });
  });

  it('gives back the tokens of any list joined with commas and optional whitespace', () => {
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
    const ows = fc.stringMatching(/^[ \t]{0,3}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(ows, token, ows, fc.boolean())), (parts) => {
        const value = parts.map(([a, t, b, empty]) => `${a}${t}${b}${empty ? ',' : ''}`).join(',');
        const result = parseTokenList(value);
        expect(result).toEqual({ ok: true, items: parts.map(([, t]) => t) });
      }),
    );
  });

  it('succeeds exactly when every non-empty trimmed element is a token', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab ,\t"/é-*') }), (value) => {
        const elements = value
          .split(',')
          .map((e) => e.replace(/^[ \t]+|[ \t]+$/g, ''))
          .filter((e) => e !== '');
        expect(parseTokenList(value).ok).toBe(elements.every(isToken));
      }),
    );
  });
});

describe('parseTokenList on large values', () => {
  const big = 'a,'.repeat(100_000); // 200 kB

  it('parses 200 kB of commas and letters correctly', () => {
    const result = parseTokenList(big);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.items).toHaveLength(100_000);
      expect(result.items.every((i) => i === 'a')).toBe(true);
    }
  });

  it.each([
    { name: 'commas and letters', unit: 'a,' },
    { name: 'long runs of whitespace', unit: '     ,' },
    { name: 'commas only', unit: ',' },
    { name: 'letters and spaces (invalid only at the end)', unit: 'a ' },
    { name: 'whitespace padding around each element', unit: ' \ta\t ,' },
  ])('reads each character a bounded number of times: $name', ({ unit }) => {
    for (const s of [unit.repeat(20_000 / unit.length), unit.repeat(200_000 / unit.length)]) {
      const probe = countedString(s);
      parseTokenList(probe.value);
      // At least once each: the count would silently read 0 if the parser stopped using charCodeAt.
      expect(probe.reads()).toBeGreaterThanOrEqual(s.length);
      expect(probe.reads()).toBeLessThanOrEqual(2 * s.length + 2);
    }
  });

  it('rejects a value over maxLength before reading a single character', () => {
    const probe = countedString(big);
    const result = parseTokenList(probe.value, { maxLength: 8192, maxItems: 64 });
    expect(result).toEqual({ ok: false, problem: 'too-long' });
    expect(probe.reads()).toBe(0);
  });

  it('stops at maxItems without reading the rest of the value', () => {
    const probe = countedString(big);
    const result = parseTokenList(probe.value, {
      maxLength: Number.POSITIVE_INFINITY,
      maxItems: 64,
    });
    expect(result).toEqual({ ok: false, problem: 'too-many-items' });
    expect(probe.reads()).toBeLessThan(1000);
  });

  it('stops at maxElements on a value of bare commas, without reading the rest', () => {
    const limits = { maxLength: 8192, maxItems: 128, maxElements: 256 };
    const probe = countedString(','.repeat(8192));
    expect(parseTokenList(probe.value, limits)).toEqual({ ok: false, problem: 'too-many-items' });
    expect(probe.reads()).toBeLessThanOrEqual(2 * 257);
  });

  it('still drops empty elements within maxElements', () => {
    const limits = { maxLength: 100, maxItems: 2, maxElements: 5 };
    expect(parseTokenList('a,,,b,', limits)).toEqual({ ok: true, items: ['a', 'b'] });
    expect(parseTokenList('a,,,b,,', limits)).toEqual({ ok: false, problem: 'too-many-items' });
  });
});
