/**
 * The one CSV reader for target lists: RFC 4180 (quoted fields may hold commas, doubled quotes and
 * line breaks; rows end with CRLF or LF, or a lone CR), plus a leading byte-order mark, which
 * spreadsheet exports often add.
 * https://www.rfc-editor.org/rfc/rfc4180#section-2
 */

/** A row of cells and the line of the file it starts on (1-based). */
export interface CsvRow {
  readonly line: number;
  readonly cells: string[];
}

/** Removes a leading byte-order mark (U+FEFF). */
export function stripByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Every row of `text`, blank ones included, each with the line it starts on: a quoted line break
 * makes the next row start a line further. `text` is taken as is; strip a byte-order mark first.
 */
export function csvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

/**
 * The cells of every row that is not blank (a row whose cells are all whitespace), after a
 * leading byte-order mark.
 *
 * @example
 * parseCsv('url,origin\r\n"https://a.example/x?a=1,2",https://app.example\n\n')
 * // [['url', 'origin'], ['https://a.example/x?a=1,2', 'https://app.example']]
 */
export function parseCsv(text: string): string[][] {
  return csvRows(stripByteOrderMark(text))
    .map((row) => row.cells)
    .filter((cells) => cells.some((cell) => cell.trim() !== ''));
}
