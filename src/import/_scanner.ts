/** The cursor the literal readers share: position, whitespace and comments, and errors with places. */
import { ImportSyntaxError } from './errors.js';

export class Scanner {
  at = 0;
  constructor(
    readonly source: string,
    readonly text: string,
    /** Line comment starter: `#` (Python, nginx) or `//` (JavaScript, C#). */
    private readonly lineComment: string,
  ) {}

  fail(expected: string, offset = this.at): never {
    throw new ImportSyntaxError(this.source, this.text, offset, expected);
  }

  peek(length = 1): string {
    return this.text.slice(this.at, this.at + length);
  }

  /** Skips spaces, newlines, comments (and `/* *\/` blocks outside Python and nginx). */
  skip(): void {
    for (;;) {
      const c = this.text[this.at];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.at++;
      else if (c === '\\' && this.text[this.at + 1] === '\n' && this.lineComment === '#')
        this.at += 2;
      else if (this.text.startsWith(this.lineComment, this.at)) {
        const end = this.text.indexOf('\n', this.at);
        this.at = end === -1 ? this.text.length : end;
      } else if (this.lineComment === '//' && this.text.startsWith('/*', this.at)) {
        const end = this.text.indexOf('*/', this.at + 2);
        if (end === -1) this.fail('"*/" closing the comment');
        this.at = end + 2;
      } else return;
    }
  }

  /** Consumes `token` after whitespace, or fails naming what was expected. */
  expect(token: string, what = JSON.stringify(token)): void {
    this.skip();
    if (!this.text.startsWith(token, this.at)) this.fail(what);
    this.at += token.length;
  }

  /** Consumes `token` after whitespace if it is next. */
  accept(token: string): boolean {
    this.skip();
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  /** A name (letters, digits, `_`, `.` between parts), or undefined. */
  name(): string | undefined {
    this.skip();
    const m = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*/.exec(
      this.text.slice(this.at),
    );
    if (m === null) return undefined;
    this.at += m[0].length;
    return m[0];
  }

  number(): number | undefined {
    this.skip();
    const m = /^-?(?:0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]+)?(?:e[+-]?[0-9]+)?)/.exec(
      this.text.slice(this.at),
    );
    if (m === null) return undefined;
    this.at += m[0].length;
    return Number(m[0].replaceAll('_', ''));
  }
}

/** Offsets of every `name(` in `text` outside comments and strings, roughly: for finding calls. */
export function callSites(text: string, name: RegExp): number[] {
  const out: number[] = [];
  const pattern = new RegExp(`${name.source}\\s*\\(`, 'g');
  for (const m of text.matchAll(pattern)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const before = text.slice(lineStart, m.index);
    if (/(^|\s)(#|\/\/)/.test(before)) continue;
    out.push(m.index);
  }
  return out;
}
