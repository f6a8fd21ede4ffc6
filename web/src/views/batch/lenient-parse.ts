/**
 * Reading a target list the way `corsproof batch` does: a bad line is skipped and reported, the
 * others still run. Each line (or CSV row, with the header row) is parsed on its own, so one
 * problem never hides the good targets around it.
 */
import {
  contentLines,
  parseCsv,
  parseCsvTargets,
  parseTargetList,
  type RawTarget,
  type TargetDefaults,
} from '../../../../src/targets/index.js';

/** The targets that could be read, and one sentence per line that could not. */
export interface LenientParse {
  readonly targets: readonly RawTarget[];
  readonly skipped: readonly string[];
}

/** Every line of a pasted list (`url [origin] [method]`), its line number kept. */
export function parseListSkipping(text: string, defaults: TargetDefaults): LenientParse {
  const targets: RawTarget[] = [];
  const skipped: string[] = [];
  for (const { line, text: raw } of contentLines(text)) {
    const parsed = parseTargetList(raw, defaults);
    if (parsed.ok) targets.push(...parsed.targets.map((t) => ({ ...t, line })));
    else skipped.push(...parsed.problems.map((p) => p.replace(/^Line \d+:/, `Line ${line}:`)));
  }
  return { targets, skipped };
}

/** A CSV cell, quoted (RFC 4180), so that a row can be parsed again on its own. */
function csvCell(cell: string): string {
  return `"${cell.replaceAll('"', '""')}"`;
}

/** Every row of a CSV with a header row; a header without `url` refuses the whole file. */
export function parseCsvSkipping(text: string, defaults: TargetDefaults): LenientParse {
  const [head, ...rows] = parseCsv(text);
  if (head === undefined) return { targets: [], skipped: ['The file is empty.'] };
  const header = head.map(csvCell).join(',');
  const targets: RawTarget[] = [];
  const skipped: string[] = [];
  for (const [i, row] of rows.entries()) {
    // Rows are numbered as the parser numbers them: the header is row 1.
    const number = i + 2;
    const parsed = parseCsvTargets(`${header}\n${row.map(csvCell).join(',')}`, defaults);
    if (parsed.ok) {
      targets.push(...parsed.targets.map((t) => ({ ...t, line: number })));
      continue;
    }
    // A problem with the header row is the whole file's: nothing can be read.
    if (!parsed.problems.some((p) => p.startsWith('Row '))) {
      return { targets: [], skipped: parsed.problems };
    }
    skipped.push(...parsed.problems.map((p) => p.replace(/^Row \d+:/, `Row ${number}:`)));
  }
  return { targets, skipped };
}
