/**
 * The page's batch form: a pasted list or an uploaded CSV turned into targets, with the form's
 * defaults for what a line leaves out. Each problem names its line, so a list of a hundred URLs is
 * fixed in one pass rather than one refusal at a time.
 */
import { parseCsv } from './csv.js';
import { contentLines } from './lines.js';

/** A request header as a name and a value. */
export type HeaderPair = readonly [name: string, value: string];

export interface TargetDefaults {
  readonly origin: string;
  readonly method: string;
  readonly credentials: 'omit' | 'include';
}

/** One target as read from a line, before it becomes a check or an audit. */
export interface RawTarget {
  readonly line: number;
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly HeaderPair[];
  readonly credentials: 'omit' | 'include';
}

export type Parsed =
  | { readonly ok: true; readonly targets: readonly RawTarget[] }
  | { readonly ok: false; readonly problems: readonly string[] };

function urlProblem(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? null
      : `${JSON.stringify(url)} is not an http(s) URL`;
  } catch {
    return `${JSON.stringify(url)} is not an absolute URL`;
  }
}

function collect(targets: RawTarget[], problems: string[]): Parsed {
  if (problems.length > 0) return { ok: false, problems };
  if (targets.length === 0) return { ok: false, problems: ['No targets: add at least one URL.'] };
  return { ok: true, targets };
}

/**
 * One target per line: `url [origin] [method]`, separated by spaces, tabs or commas. Blank lines
 * and lines starting with `#` are skipped.
 */
export function parseTargetList(text: string, defaults: TargetDefaults): Parsed {
  const targets: RawTarget[] = [];
  const problems: string[] = [];
  for (const { line, text: raw } of contentLines(text)) {
    const [url = '', origin, method, ...extra] = raw.trim().split(/[\s,]+/);
    const problem =
      extra.length > 0 ? 'expected at most three columns: url origin method' : urlProblem(url);
    if (problem !== null) {
      problems.push(`Line ${line}: ${problem}.`);
      continue;
    }
    targets.push({
      line,
      url,
      origin: origin ?? defaults.origin,
      method: method ?? defaults.method,
      headers: [],
      credentials: defaults.credentials,
    });
  }
  return collect(targets, problems);
}

/**
 * A `headers` cell: a JSON object (`{"Authorization":"Bearer x"}`) or `Name: value` pairs
 * separated by `;` or new lines.
 */
export function parseHeaderCell(cell: string): HeaderPair[] | string {
  const text = cell.trim();
  if (text === '') return [];
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return 'the headers JSON must be an object of names to values';
      }
      return Object.entries(parsed).map(([name, value]): HeaderPair => [name, String(value)]);
    } catch {
      return 'the headers cell starts with "{" but is not valid JSON';
    }
  }
  const pairs: HeaderPair[] = [];
  for (const part of text.split(/[;\n]/)) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon <= 0) return `${JSON.stringify(part.trim())} is not "Name: value"`;
    pairs.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
  }
  return pairs;
}

function parseCredentials(
  cell: string,
  fallback: TargetDefaults['credentials'],
): TargetDefaults['credentials'] | null {
  const value = cell.toLowerCase();
  if (value === '') return fallback;
  return value === 'omit' || value === 'include' ? value : null;
}

const COLUMNS = ['url', 'origin', 'method', 'headers', 'credentials'] as const;

/** A CSV with a header row naming its columns: `url` (required), `origin`, `method`, `headers`. */
export function parseCsvTargets(text: string, defaults: TargetDefaults): Parsed {
  const [head, ...rows] = parseCsv(text);
  if (head === undefined) return { ok: false, problems: ['The file is empty.'] };
  const names = head.map((name) => name.trim().toLowerCase());
  const column = Object.fromEntries(COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  if (column.url < 0) {
    return {
      ok: false,
      problems: [
        `The first row must name the columns, with at least "url" (found: ${head.join(', ')}).`,
      ],
    };
  }
  const targets: RawTarget[] = [];
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const cell = (index: number) => (index < 0 ? '' : (row[index] ?? '').trim());
    const url = cell(column.url);
    const headers = parseHeaderCell(cell(column.headers));
    const credentials = parseCredentials(cell(column.credentials), defaults.credentials);
    const problem =
      urlProblem(url) ??
      (typeof headers === 'string' ? headers : null) ??
      (credentials === null ? 'credentials must be "omit" or "include"' : null);
    if (problem !== null || typeof headers === 'string' || credentials === null) {
      problems.push(`Row ${line}: ${problem}.`);
      return;
    }
    targets.push({
      line,
      url,
      origin: cell(column.origin) || defaults.origin,
      method: cell(column.method) || defaults.method,
      headers,
      credentials,
    });
  });
  return collect(targets, problems);
}
