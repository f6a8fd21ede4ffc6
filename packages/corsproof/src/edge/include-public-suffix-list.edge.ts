/**
 * `includePublicSuffixList()` in the edge build (scripts/build-edge.mjs puts this module in place
 * of include-public-suffix-list.ts): hands the list to the tldts stand-in (tldts.ts). The list is the text
 * scripts/build-edge.mjs writes to dist/edge/public-suffix-trie-data.js from tldts's own, so a
 * bundler leaves it out of a Worker that never calls this.
 */
import { decodeSuffixTrie, publicSuffixIn, type SuffixTrie } from './public-suffix-trie.js';
import { PUBLIC_SUFFIX_TRIE } from './public-suffix-trie-data.js';
import { usePublicSuffixLookup } from './tldts.js';

let trie: SuffixTrie | null = null;

/** See include-public-suffix-list.ts. The list is decoded on the first question that needs it. */
export function includePublicSuffixList(): void {
  usePublicSuffixLookup((domain) => {
    trie ??= decodeSuffixTrie(PUBLIC_SUFFIX_TRIE);
    return publicSuffixIn(trie, domain);
  });
}
