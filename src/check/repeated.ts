/**
 * Judgements of answers a server repeats. The Fetch standard's checks are pure functions of a
 * response's header lines and of the request; a server answers the same request with the same
 * lines (which the transport hands out as the same strings), so the checker keeps the last
 * passing judgement with a copy of what it was made from, and reuses it when everything matches.
 */
import type { HeaderEntry } from 'corsproof/spec';

/**
 * A copy of header lines, kept apart from the result the originals go into (callers may change
 * it); lines already frozen (a head seen before, received-lines.ts) are kept as they are.
 */
export function copyLines(lines: readonly HeaderEntry[]): readonly HeaderEntry[] {
  if (Object.isFrozen(lines)) return lines;
  return lines.map(([name, value]): HeaderEntry => [name, value]);
}

/** Whether two lists of header lines are the same lines in the same order. */
export function sameLines(a: readonly HeaderEntry[], b: readonly HeaderEntry[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as HeaderEntry;
    const y = b[i] as HeaderEntry;
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}

/** Whether two lists of strings are equal, element by element. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
