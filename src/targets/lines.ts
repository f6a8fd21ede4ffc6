/** The lines of a list that say something: neither blank nor `#` comments. */

/** A line as written (untrimmed) and its number in the file (1-based). */
export interface ContentLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Splits on LF or CRLF and leaves out blank lines and lines starting with `#` (after spaces).
 *
 * @example
 * contentLines('# targets\nhttps://a.example\n\n') // [{ line: 2, text: 'https://a.example' }]
 */
export function contentLines(text: string): ContentLine[] {
  const out: ContentLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) out.push({ line: i + 1, text: raw });
  });
  return out;
}
