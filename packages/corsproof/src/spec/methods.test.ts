import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isForbiddenMethod, isMethod, isSafelistedMethod, normalizeMethod } from './methods.js';

describe('isSafelistedMethod', () => {
  it.each([
    { method: 'GET', safelisted: true },
    { method: 'HEAD', safelisted: true },
    { method: 'POST', safelisted: true },
    { method: 'get', safelisted: false },
    { method: 'Post', safelisted: false },
    { method: 'PUT', safelisted: false },
    { method: 'DELETE', safelisted: false },
    { method: 'OPTIONS', safelisted: false },
    { method: 'PATCH', safelisted: false },
    { method: 'GET ', safelisted: false },
    { method: '', safelisted: false },
  ])('$method is safelisted: $safelisted (byte-exact)', ({ method, safelisted }) => {
    expect(isSafelistedMethod(method)).toBe(safelisted);
  });

  it('accepts each normalized spelling of get, head and post', () => {
    for (const m of ['get', 'Get', 'gEt', 'head', 'HeAd', 'post', 'pOST']) {
      expect(isSafelistedMethod(normalizeMethod(m))).toBe(true);
    }
  });
});

describe('isForbiddenMethod', () => {
  it.each([
    { method: 'CONNECT', forbidden: true },
    { method: 'connect', forbidden: true },
    { method: 'CoNnEcT', forbidden: true },
    { method: 'TRACE', forbidden: true },
    { method: 'trace', forbidden: true },
    { method: 'TRACK', forbidden: true },
    { method: 'Track', forbidden: true },
    { method: 'GET', forbidden: false },
    { method: 'TRACES', forbidden: false },
    { method: 'TRAC', forbidden: false },
    { method: 'CONNECTS', forbidden: false },
    { method: ' TRACE', forbidden: false },
    { method: 'TRACE ', forbidden: false },
    { method: 'TRAC\u212a', forbidden: false },
    { method: '', forbidden: false },
  ])('$method is forbidden: $forbidden', ({ method, forbidden }) => {
    expect(isForbiddenMethod(method)).toBe(forbidden);
  });

  it('is a byte-case-insensitive match, for any ASCII spelling', () => {
    const spelling = (word: string) =>
      fc
        .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
        .map((ups) => [...word].map((c, i) => (ups[i] ? c : c.toLowerCase())).join(''));
    fc.assert(
      fc.property(fc.constantFrom('CONNECT', 'TRACE', 'TRACK').chain(spelling), (m) => {
        expect(isForbiddenMethod(m)).toBe(true);
      }),
    );
  });
});

describe('isMethod', () => {
  it.each([
    { name: 'a standard method', method: 'GET', ok: true },
    { name: 'an extension method', method: 'PROPFIND', ok: true },
    { name: 'a lower-case method', method: 'patch', ok: true },
    { name: 'a method with tchar punctuation', method: 'M-SEARCH', ok: true },
    { name: 'the empty string', method: '', ok: false },
    { name: 'a method with a space', method: 'GET POST', ok: false },
    { name: 'a method with a non-ASCII letter', method: 'GÉT', ok: false },
    { name: 'a method with a slash', method: 'GET/1', ok: false },
  ])('$name ($method) is a method: $ok', ({ method, ok }) => {
    expect(isMethod(method)).toBe(ok);
  });
});

describe('normalizeMethod', () => {
  it.each([
    { name: 'delete is upper-cased', method: 'delete', out: 'DELETE' },
    { name: 'get is upper-cased', method: 'get', out: 'GET' },
    { name: 'head is upper-cased', method: 'head', out: 'HEAD' },
    { name: 'options is upper-cased', method: 'options', out: 'OPTIONS' },
    { name: 'post is upper-cased', method: 'post', out: 'POST' },
    { name: 'put is upper-cased', method: 'put', out: 'PUT' },
    { name: 'mixed case of a standard method is upper-cased', method: 'DeLeTe', out: 'DELETE' },
    { name: 'an upper-case standard method is unchanged', method: 'PUT', out: 'PUT' },
    { name: 'patch stays patch', method: 'patch', out: 'patch' },
    { name: 'PaTcH stays PaTcH', method: 'PaTcH', out: 'PaTcH' },
    { name: 'PATCH stays PATCH', method: 'PATCH', out: 'PATCH' },
    { name: 'an extension method keeps its case', method: 'propfind', out: 'propfind' },
    { name: 'a forbidden method is not upper-cased', method: 'trace', out: 'trace' },
    { name: 'a long method is unchanged', method: 'verylongmethod', out: 'verylongmethod' },
    { name: 'post with a long s (U+017F) is not POST', method: 'poſt', out: 'poſt' },
    { name: 'post with the ligature st (U+FB06) is not POST', method: 'poﬆ', out: 'poﬆ' },
    { name: 'options with a dotless i (U+0131) is not OPTIONS', method: 'optıons', out: 'optıons' },
  ])('$name', ({ method, out }) => {
    expect(normalizeMethod(method)).toBe(out);
  });
});
