/** The error `corsproof import` throws for input it cannot read. */

/** 1-based line and column of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Input the importer cannot read: where (line and column), what it expected there, and what it
 * found instead.
 */
export class ImportSyntaxError extends Error {
  override readonly name = 'ImportSyntaxError';
  readonly line: number;
  readonly column: number;
  constructor(
    readonly source: string,
    text: string,
    offset: number,
    readonly expected: string,
    found?: string,
  ) {
    const { line, column } = positionOf(text, offset);
    const seen =
      found ??
      (offset >= text.length
        ? 'the end of the input'
        : JSON.stringify(text.slice(offset, offset + 12)));
    super(
      `corsproof: cannot read the ${source} configuration at line ${line}, column ${column}: expected ${expected}, found ${seen}`,
    );
    this.line = line;
    this.column = column;
  }
}
