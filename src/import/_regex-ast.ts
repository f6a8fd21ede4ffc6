/**
 * A reader for the regular expressions CORS configurations use for origins and header names (the
 * subset JavaScript, Python `re` and PCRE share), into a small tree the importer can reason about.
 * It never runs the expression; `toJsRegExp` rewrites it for the sampling checks.
 */

export type RegexNode =
  | { readonly type: 'char'; readonly char: string }
  | { readonly type: 'any' }
  | { readonly type: 'class'; readonly chars: ReadonlySet<string>; readonly source: string }
  | { readonly type: 'group'; readonly alternatives: readonly RegexNode[][] }
  | {
      readonly type: 'repeat';
      readonly node: RegexNode;
      readonly min: number;
      readonly max: number;
    }
  | { readonly type: 'start' }
  | { readonly type: 'end' }
  /** A look-ahead or look-behind: it never adds to what the expression matches. */
  | {
      readonly type: 'look';
      readonly negative: boolean;
      readonly alternatives: readonly RegexNode[][];
    };

export interface ParsedRegex {
  readonly alternatives: readonly RegexNode[][];
  /** `(?i)` at the start, or a case-insensitive flag given beside the expression. */
  readonly ignoreCase: boolean;
}

export class RegexSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`corsproof: unsupported regular expression at ${offset}: expected ${expected}`);
  }
}

/** Printable ASCII: what a serialized origin or header name can hold. */
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const DIGITS = new Set('0123456789');
const WORD = new Set(PRINTABLE.filter((c) => /\w/.test(c)));
const SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);

function escapeSet(letter: string): Set<string> | undefined {
  const complement = (s: Set<string>) => new Set(PRINTABLE.filter((c) => !s.has(c)));
  switch (letter) {
    case 'd':
      return new Set(DIGITS);
    case 'D':
      return complement(DIGITS);
    case 'w':
      return new Set(WORD);
    case 'W':
      return complement(WORD);
    case 's':
      return new Set(SPACE);
    case 'S':
      return complement(SPACE);
    default:
      return undefined;
  }
}

const CONTROL: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };

class Parser {
  private at = 0;
  ignoreCase = false;
  constructor(private readonly source: string) {}

  parse(): RegexNode[][] {
    const alternatives = this.alternation();
    if (this.at < this.source.length)
      throw new RegexSyntaxError(this.at, 'the end of the expression');
    return alternatives;
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private alternation(): RegexNode[][] {
    const out: RegexNode[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      out.push(this.sequence());
    }
    return out;
  }

  private sequence(): RegexNode[] {
    const out: RegexNode[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const atom = this.atom();
      if (atom !== null) out.push(this.quantified(atom));
    }
    return out;
  }

  private quantified(node: RegexNode): RegexNode {
    let result = node;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
        if (m === null) return result;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        this.at += m[0].length - 1;
      } else return result;
      this.at++;
      if (this.peek() === '?' || this.peek() === '+') this.at++; // lazy or possessive: same language
      result = { type: 'repeat', node: result, min, max };
    }
  }

  private atom(): RegexNode | null {
    const start = this.at;
    const c = this.source[this.at++] as string;
    if (c === '^') return { type: 'start' };
    if (c === '$') return { type: 'end' };
    if (c === '.') return { type: 'any' };
    if (c === '[') return this.charClass(start);
    if (c === '\\') return this.escape();
    if (c === '(') return this.group();
    if (c === '*' || c === '+' || c === '?')
      throw new RegexSyntaxError(start, 'something to repeat');
    return { type: 'char', char: c };
  }

  private escape(): RegexNode {
    const c = this.source[this.at++];
    if (c === undefined) throw new RegexSyntaxError(this.at, 'a character after "\\"');
    if (c === 'A') return { type: 'start' };
    if (c === 'Z' || c === 'z') return { type: 'end' };
    const set = escapeSet(c);
    if (set !== undefined) return { type: 'class', chars: set, source: `\\${c}` };
    return { type: 'char', char: this.escapedChar(c) };
  }

  private escapedChar(c: string): string {
    if (c === 'x') {
      const hex = this.source.slice(this.at, this.at + 2);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        throw new RegexSyntaxError(this.at, 'two hex digits after "\\x"');
      this.at += 2;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    if (c === 'b' || c === 'B' || /[1-9]/.test(c)) {
      throw new RegexSyntaxError(this.at - 2, 'no word boundary or back-reference');
    }
    return CONTROL[c] ?? c;
  }

  private charClass(start: number): RegexNode {
    const negate = this.peek() === '^';
    if (negate) this.at++;
    const chars = new Set<string>();
    let first = true;
    for (;;) {
      const c = this.source[this.at++];
      if (c === undefined) throw new RegexSyntaxError(start, 'a "]" closing the character class');
      if (c === ']' && !first) break;
      first = false;
      let from: string;
      if (c === '\\') {
        const e = this.source[this.at++] as string;
        const set = escapeSet(e);
        if (set !== undefined) {
          for (const s of set) chars.add(s);
          continue;
        }
        from = this.escapedChar(e);
      } else from = c;
      if (
        this.peek() === '-' &&
        this.source[this.at + 1] !== ']' &&
        this.source[this.at + 1] !== undefined
      ) {
        this.at++;
        let to = this.source[this.at++] as string;
        if (to === '\\') to = this.escapedChar(this.source[this.at++] as string);
        for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) {
          chars.add(String.fromCharCode(code));
        }
      } else chars.add(from);
    }
    const set = negate ? new Set(PRINTABLE.filter((c) => !chars.has(c))) : chars;
    return { type: 'class', chars: set, source: this.source.slice(start, this.at) };
  }

  private group(): RegexNode | null {
    const rest = this.source.slice(this.at);
    let look: { negative: boolean } | undefined;
    const flags = /^\?([aiLmsux]*)(?:-[imsx]+)?(\)|:)/.exec(rest);
    if (flags !== null) {
      this.at += flags[0].length;
      if (flags[2] === ')') {
        // (?i) for the whole expression (PCRE and Python put it first).
        if (flags[1]?.includes('i') === true) this.ignoreCase = true;
        return null;
      }
    } else if (/^\?<?[=!]/.test(rest)) {
      look = { negative: rest.includes('!') && rest.indexOf('!') < 3 };
      this.at += rest.startsWith('?<') ? 3 : 2;
    } else if (/^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.test(rest)) {
      this.at += (/^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest) as RegExpExecArray)[0].length;
    } else if (rest.startsWith('?')) {
      throw new RegexSyntaxError(this.at, 'a group "(", "(?:", "(?<name>", "(?=" or "(?!"');
    }
    const alternatives = this.alternation();
    if (this.peek() !== ')') throw new RegexSyntaxError(this.at, 'a ")" closing the group');
    this.at++;
    return look === undefined
      ? { type: 'group', alternatives }
      : { type: 'look', negative: look.negative, alternatives };
  }
}

/** Parses `source`; throws `RegexSyntaxError` for what the importer does not read. */
export function parseRegex(source: string, ignoreCase = false): ParsedRegex {
  const parser = new Parser(source);
  const alternatives = parser.parse();
  return { alternatives, ignoreCase: ignoreCase || parser.ignoreCase };
}

/**
 * The expression in JavaScript syntax (`\A` `\Z` as `^` `$`, named groups as `(?<n>`, inline
 * flags dropped), to test sample origins against it.
 */
export function toJsRegExp(source: string, ignoreCase: boolean): RegExp | null {
  const js = source
    .replace(/\\A/g, '^')
    .replace(/\\[Zz]/g, '$')
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?[aiLmsux]+\)/g, '')
    .replace(/\(\?[aiLmsux]+:/g, '(?:');
  try {
    return new RegExp(js, ignoreCase || /\(\?[a-z]*i/.test(source) ? 'i' : '');
  } catch {
    return null;
  }
}

/**
 * The one string an anchored expression matches (`\Acontent-type\Z` is `content-type`), or null
 * when it matches more than one or is not anchored at both ends.
 */
export function literalOfRegex(
  source: string,
  impliedStart: boolean,
  impliedEnd: boolean,
): string | null {
  let parsed: ParsedRegex;
  try {
    parsed = parseRegex(source);
  } catch {
    return null;
  }
  if (parsed.alternatives.length !== 1) return null;
  const seq = [...(parsed.alternatives[0] as RegexNode[])];
  const start = seq[0]?.type === 'start';
  const end = seq[seq.length - 1]?.type === 'end';
  if (!(start || impliedStart) || !(end || impliedEnd)) return null;
  const body = seq.slice(start ? 1 : 0, end ? -1 : undefined);
  if (!body.every((n) => n.type === 'char')) return null;
  return body.map((n) => (n.type === 'char' ? n.char : '')).join('');
}
