/**
 * Writes the Public Suffix List as the text public-suffix-trie.ts reads, at build time
 * (scripts/build-edge.mjs). The rules come from tldts, the list the Node build uses, so the two
 * builds hold the same version of it.
 */

/** The rules of the list, as written in it: `co.uk`, `*.ck`, `!www.ck`. */
export type SuffixRules = readonly string[];

/** tldts's flat trie (tldts/dist/es6/src/data/trie.js), which holds the list tldts answers from. */
export interface TldtsTrieData {
  readonly nodeFlags: ArrayLike<number>;
  readonly edgeStart: ArrayLike<number>;
  readonly edgeLength: ArrayLike<number>;
  readonly edgeChild: ArrayLike<number>;
  readonly labelText: string;
  readonly rulesRoot: number;
  readonly exceptionsRoot: number;
}

/** Every rule in tldts's trie: a node with a flag (ICANN or private section) ends a rule. */
export function rulesOfTldtsTrie(data: TldtsTrieData): string[] {
  const { nodeFlags, edgeStart, edgeLength, edgeChild, labelText } = data;
  // Labels are stored back to back in edge order; an edge's offset is the sum of those before it.
  const offsets: number[] = [];
  for (let edge = 0, offset = 0; edge < edgeLength.length; edge++) {
    offsets.push(offset);
    offset += edgeLength[edge]!;
  }
  const rules: string[] = [];
  const visit = (node: number, name: string, prefix: string): void => {
    if (nodeFlags[node]! !== 0) rules.push(prefix + name);
    for (let edge = edgeStart[node]!; edge < edgeStart[node + 1]!; edge++) {
      const label = labelText.slice(offsets[edge]!, offsets[edge]! + edgeLength[edge]!);
      visit(edgeChild[edge]!, name === '' ? label : `${label}.${name}`, prefix);
    }
  };
  visit(data.rulesRoot, '', '');
  visit(data.exceptionsRoot, '', '!');
  return rules;
}

/**
 * The rules an ASCII host can match. The library asks only about hosts as the URL parser
 * serializes them, which are ASCII (internationalized labels in their punycode, `xn--`, form), so
 * a rule with a label in Unicode (`公司.cn`; the list has some in both forms) can never match one,
 * and leaving it out changes no answer while saving 3 KB gzipped.
 */
export function rulesForAsciiHosts(rules: SuffixRules): string[] {
  return rules.filter((rule) => /^[\x21-\x7e]*$/.test(rule));
}

interface Tree {
  rule: boolean;
  readonly children: Map<string, Tree>;
}

function write(tree: Tree): string {
  return [...tree.children.keys()]
    .sort()
    .map((label) => {
      const child = tree.children.get(label)!;
      const inner = child.children.size > 0 ? `(${write(child)})` : '';
      return `${label}${child.rule ? '+' : ''}${inner}`;
    })
    .join(',');
}

/** The text of the trie for `rules` (see public-suffix-trie.ts for its grammar). */
export function encodeSuffixTrie(rules: SuffixRules): string {
  const normal: Tree = { rule: false, children: new Map() };
  const exceptions: Tree = { rule: false, children: new Map() };
  for (const rule of rules) {
    const isException = rule.startsWith('!');
    let node = isException ? exceptions : normal;
    for (const label of (isException ? rule.slice(1) : rule).split('.').reverse()) {
      if (/[+(),|]/.test(label) || label === '') {
        throw new Error(`corsproof: cannot encode the public suffix rule ${JSON.stringify(rule)}`);
      }
      let next = node.children.get(label);
      if (next === undefined) {
        next = { rule: false, children: new Map() };
        node.children.set(label, next);
      }
      node = next;
    }
    node.rule = true;
  }
  return `${write(normal)}|${write(exceptions)}`;
}
