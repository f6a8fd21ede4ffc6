/**
 * The Public Suffix List as public-suffix-trie.ts reads it: written to dist/edge/ by
 * scripts/build-edge.mjs from tldts's list, at build time, so the source tree holds no copy.
 */
export declare const PUBLIC_SUFFIX_TRIE: string;
