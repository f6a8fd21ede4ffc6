import { describe, expect, it } from 'vitest';
import { findLooseDots, isAnchored } from './_regexp.js';

describe('isAnchored', () => {
  it.each([
    [/^https:\/\/app\.example\.com$/, true],
    [/^https:\/\/(?:a|b)\.example\.com$/, true],
    [/^https:\/\/a\.com$|^https:\/\/b\.com$/, true],
    [/^https:\/\/[|a-z]+\.example\.com$/, true],
    // The `v` flag lets classes nest.
    // biome-ignore lint/complexity/useRegexLiterals: a `v` literal needs an ES2024 target.
    [new RegExp('^https://[[a-z]--[q]]+\\.example\\.com$', 'v'), true],
    [/example\.com$/, false],
    [/^https:\/\/example\.com/, false],
    [/^https:\/\/a\.com|https:\/\/b\.com$/, false],
    [/^https:\/\/a\.com\$/, false],
    [/^https:\/\/a\.com\\$/, true],
    [/(^https:\/\/a\.com$)/, false],
    [/(?:)/, false],
    [/.*/, false],
  ])('%s -> %s', (pattern, anchored) => {
    expect(isAnchored(pattern)).toBe(anchored);
  });
});

describe('findLooseDots', () => {
  it.each([
    [/^https:\/\/app.example\.com$/, [{ kind: 'dot', at: 14 }]],
    [/^https:\/\/.*example\.com$/, [{ kind: 'wildcard', at: 11, text: '.*', beforeLiteral: true }]],
    [
      /^https:\/\/example\.com.+?$/,
      [{ kind: 'wildcard', at: 23, text: '.+?', beforeLiteral: false }],
    ],
    [/^https:\/\/.*\.example\.com$/, []],
    [/^https:\/\/[.a-z]+\.example\.com$/, []],
    [/^https:\/\/app\.example\.com$/, []],
    [/^https:\/\/a\\.com$/, [{ kind: 'dot', at: 14 }]],
  ])('%s -> %j', (pattern, found) => {
    expect(findLooseDots(pattern)).toEqual(found);
  });
});
