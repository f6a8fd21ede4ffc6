/**
 * tldts's flat trie of the Public Suffix List, which scripts/build-edge.mjs and the tests read to
 * write and check the edge build's copy (public-suffix-trie-encode.ts). tldts ships its types
 * under dist/types/, apart from the module.
 */
declare module 'tldts/dist/es6/src/data/trie.js' {
  export const nodeFlags: Uint8Array;
  export const edgeStart: Uint16Array;
  export const edgeLength: Uint8Array;
  export const edgeChild: Uint16Array;
  export const labelText: string;
  export const rulesRoot: number;
  export const exceptionsRoot: number;
}
