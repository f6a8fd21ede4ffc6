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
