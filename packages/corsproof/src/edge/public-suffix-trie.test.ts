/**
 * The edge build's copy of the Public Suffix List must answer as tldts, the list the Node build
 * asks, for every host the library can ask about (ASCII, as the URL parser serializes hosts): for
 * every rule of the list, names under it, names under each wildcard and each exception, and names
 * the list does not hold.
 */
import { getDomain as tldtsDomain, getPublicSuffix as tldtsSuffix } from 'tldts';
import * as tldtsTrie from 'tldts/dist/es6/src/data/trie.js';
import { describe, expect, it } from 'vitest';
import { decodeSuffixTrie, publicSuffixIn } from './public-suffix-trie.js';
import {
  encodeSuffixTrie,
  rulesForAsciiHosts,
  rulesOfTldtsTrie,
} from './public-suffix-trie-encode.js';

const RULES = rulesOfTldtsTrie(tldtsTrie);
const TEXT = encodeSuffixTrie(rulesForAsciiHosts(RULES));
const TRIE = decodeSuffixTrie(TEXT);
const PSL = { allowPrivateDomains: true } as const;

/** The names to ask about for one rule: the rule's own name and names under it. */
function namesFor(name: string): string[] {
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
      // A rule in Unicode is asked about through its punycode form, as a host would reach it.
      const ascii = new URL(`https://${rule.replace(/^!/, '').replace(/\*/g, 'wild-card')}`);
      for (const name of namesFor(ascii.hostname)) {
        const expected = tldtsSuffix(name, PSL);
        asked++;
        const actual = publicSuffixIn(TRIE, name);
        if (actual !== expected) differ.push(`${name}: ${actual}, tldts ${expected}`);
      }
    }
    expect(differ).toEqual([]);
    expect(asked).toBe(3 * RULES.length);
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
