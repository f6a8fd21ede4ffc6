/**
 * Whether a RegExp used as an origin can only match a whole origin. cors 2.8 calls `.test()`, which
 * finds a match anywhere: `/example\.com$/` accepts `https://evil-example.com`, and
 * `/^https:\/\/example\.com/` accepts `https://example.com.evil.net`.
 */

/**
 * True when every top-level alternative starts with `^` and ends with an unescaped `$`. It reads
 * the source without a full parser, so it errs on the side of warning: `(^a$)` counts as unanchored,
 * where `^(?:a|b)$` and `^a$|^b$` count as anchored.
 *
 * @example
 * isAnchored(/^https:\/\/(?:a|b)\.example\.com$/) // true
 * isAnchored(/example\.com$/)                      // false
 * isAnchored(/^https:\/\/a\.com|https:\/\/b\.com$/) // false: `^` binds to the first branch only
 */
export function isAnchored(pattern: RegExp): boolean {
  for (const branch of topLevelBranches(pattern.source, pattern.flags.includes('v'))) {
    if (!branch.startsWith('^') || !endsWithAnchor(branch)) return false;
  }
  return true;
}

/** Splits a pattern source at the `|`s that are outside groups and character classes. */
function topLevelBranches(source: string, nestedClasses: boolean): string[] {
  const branches: string[] = [];
  let groupDepth = 0;
  let classDepth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++; // the escaped character never opens, closes or splits anything
    } else if (classDepth > 0) {
      if (c === ']') classDepth--;
      // Only the `v` flag lets classes nest; elsewhere `[` inside a class is a literal.
      else if (c === '[' && nestedClasses) classDepth++;
    } else if (c === '[') {
      classDepth = 1;
    } else if (c === '(') {
      groupDepth++;
    } else if (c === ')') {
      groupDepth--;
    } else if (c === '|' && groupDepth === 0) {
      branches.push(source.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(source.slice(start));
  return branches;
}

/** Whether the branch ends with `$` that is not itself escaped (`\$` is a literal dollar). */
function endsWithAnchor(branch: string): boolean {
  if (!branch.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = branch.length - 2; i >= 0 && branch[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** A `.` that stands alone, where a host's literal dot was almost certainly meant. */
export interface LooseDot {
  readonly kind: 'dot';
  /** Index of the `.` in the source. */
  readonly at: number;
}

/**
 * A `.*` or `.+` not followed by `\.`: it runs into a host label (`.*example\.com` accepts
 * `https://evilexample.com`) or past the end of the host (`example\.com.*` accepts
 * `https://example.com.evil.net`).
 */
export interface LooseWildcard {
  readonly kind: 'wildcard';
  readonly at: number;
  /** The source text of the wildcard, its lazy `?` included (`.*`, `.+?`). */
  readonly text: string;
  /** Whether a literal follows (a label prefix) rather than the end of a branch. */
  readonly beforeLiteral: boolean;
}

/**
 * Finds the unescaped `.` outside character classes: single dots (a host dot left unescaped) and
 * `.*`/`.+` wildcards that a host label could run into. A `.*\.` is left alone: it can only add
 * whole labels. Reads the source as `isAnchored` does, without a full parser.
 *
 * @example
 * findLooseDots(/^https:\/\/app.example\.com$/)    // [{ kind: 'dot', at: 12 }]
 * findLooseDots(/^https:\/\/.*example\.com$/)      // [{ kind: 'wildcard', at: 11, text: '.*', beforeLiteral: true }]
 * findLooseDots(/^https:\/\/.*\.example\.com$/)    // []
 */
export function findLooseDots(pattern: RegExp): (LooseDot | LooseWildcard)[] {
  const source = pattern.source;
  const nestedClasses = pattern.flags.includes('v');
  const found: (LooseDot | LooseWildcard)[] = [];
  let classDepth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (classDepth > 0) {
      if (c === ']') classDepth--;
      else if (c === '[' && nestedClasses) classDepth++;
    } else if (c === '[') {
      classDepth = 1;
    } else if (c === '.') {
      const quantifier = source[i + 1];
      if (quantifier !== '*' && quantifier !== '+') {
        found.push({ kind: 'dot', at: i });
        continue;
      }
      const end = source[i + 2] === '?' ? i + 3 : i + 2;
      const next = source[end];
      if (next === '\\' && source[end + 1] === '.') continue;
      found.push({
        kind: 'wildcard',
        at: i,
        text: source.slice(i, end),
        beforeLiteral: next !== undefined && next !== '$' && next !== '|' && next !== ')',
      });
      i = end - 1;
    }
  }
  return found;
}
