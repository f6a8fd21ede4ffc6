/**
 * The edge build's copy of the Public Suffix List must answer as tldts, the list the Node build
 * asks: for every rule of the list, a name under it, a name under each wildcard and each exception,
 * and names the list does not hold.
 */
import { getDomain as tldtsDomain, getPublicSuffix as tldtsSuffix } from 'tldts';
import * as tldtsTrie from 'tldts/dist/es6/src/data/trie.js';
import { describe, expect, it } from 'vitest';
import { decodeSuffixTrie, publicSuffixIn } from './public-suffix-trie.js';
import { encodeSuffixTrie, rulesOfTldtsTrie } from './public-suffix-trie-encode.js';

const RULES = rulesOfTldtsTrie(tldtsTrie);
const TEXT = encodeSuffixTrie(RULES);
const TRIE = decodeSuffixTrie(TEXT);
const PSL = { allowPrivateDomains: true } as const;

/** The names to ask about for one rule: the rule's own name and names under it. */
function namesFor(rule: string): string[] {
  const name = rule.replace(/^!/, '').replace(/\*/g, 'wild-card');
  return [name, `a.${name}`, `b.a.${name}`];
}

describe('the edge copy of the Public Suffix List', () => {
  it('holds every rule of tldts, exceptions and wildcards included', () => {
    expect(RULES.length).toBeGreaterThan(9000);
    expect(RULES).toContain('co.uk');
    expect(RULES).toContain('github.io');
    expect(RULES).toContain('*.ck');
    expect(RULES).toContain('!www.ck');
    expect(RULES.filter((r) => r.startsWith('!')).length).toBeGreaterThan(5);
    expect(RULES.filter((r) => r.includes('*')).length).toBeGreaterThan(100);
  });

  it('gives the public suffix tldts gives, for every rule and the names under it', () => {
    const differ: string[] = [];
    let asked = 0;
    for (const rule of RULES) {
      for (const name of namesFor(rule)) {
        // tldts refuses names that are not valid hostnames (some rules are in Unicode); the
        // library asks only about hosts as the URL parser serializes them, always ASCII.
        const expected = tldtsSuffix(name, PSL);
        if (expected === null) continue;
        asked++;
        const actual = publicSuffixIn(TRIE, name);
        if (actual !== expected) differ.push(`${name}: ${actual}, tldts ${expected}`);
      }
    }
    expect(differ).toEqual([]);
    expect(asked).toBeGreaterThan(3 * 9000);
  });

  it('answers wildcard and exception rules as the list says', () => {
    expect(publicSuffixIn(TRIE, 'anything.ck')).toBe('anything.ck');
    expect(publicSuffixIn(TRIE, 'a.anything.ck')).toBe('anything.ck');
    expect(publicSuffixIn(TRIE, 'www.ck')).toBe('ck');
    expect(publicSuffixIn(TRIE, 'a.www.ck')).toBe('ck');
    expect(publicSuffixIn(TRIE, 'city.kawasaki.jp')).toBe('kawasaki.jp');
    expect(publicSuffixIn(TRIE, 'bucket.s3.amazonaws.com')).toBe('s3.amazonaws.com');
  });

  it('falls back on the default rule for names the list does not hold', () => {
    for (const name of ['example.invalid', 'a.b.example', 'localhost', 'x.localhost', 'com']) {
      expect(publicSuffixIn(TRIE, name)).toBe(tldtsSuffix(name, PSL));
    }
    expect(tldtsDomain('a.b.example', PSL)).toBe('b.example');
  });

  it('writes text that reads back to the same trie', () => {
    expect(decodeSuffixTrie(encodeSuffixTrie(['uk', 'co.uk', 'ck', '*.ck', '!www.ck']))).toEqual(
      decodeSuffixTrie('ck+(*+),uk+(co+)|ck(www+)'),
    );
    expect(encodeSuffixTrie(['uk', 'co.uk', 'ck', '*.ck', '!www.ck'])).toBe(
      'ck+(*+),uk+(co+)|ck(www+)',
    );
  });

  it('refuses a rule it cannot write', () => {
    expect(() => encodeSuffixTrie(['a(b.com'])).toThrow(/cannot encode .*"a\(b\.com"/);
  });
});
