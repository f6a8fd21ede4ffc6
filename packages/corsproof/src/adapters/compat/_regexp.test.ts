import { describe, expect, it } from 'vitest';
import { isAnchored } from './_regexp.js';

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
