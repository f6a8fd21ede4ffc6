/**
 * The batch file of `corsproof check --input`: JSON lines (one object per line) or CSV with a header row. Each
 * entry becomes check options; an entry that cannot be read becomes an error naming its line.
 *
 * Fields (JSON keys or CSV columns): `url` (required), `origin`, `method`, `headers`,
 * `credentials`, `body`. In CSV, `headers` holds a JSON object or `Name: value` pairs separated by
 * ` | `; `credentials` is `include`, `omit`, `same-origin` or `true`.
 */
import { csvRows, stripByteOrderMark } from './csv.js';
import { contentLines } from './lines.js';
import { isUrlListLine, parseUrlList } from './url-list.js';

/** Request headers as an entry gives them: an object of names to values, or `[name, value]` pairs. */
export type BatchHeaders =
  | Readonly<Record<string, string>>
  | readonly (readonly [string, string])[];

/** One check as a line of the batch gives it; what it leaves out comes from the command line. */
export interface BatchEntry {
  readonly url: string;
  readonly origin?: string;
  readonly method?: string;
  readonly headers?: BatchHeaders;
  /** fetch()'s credentials mode. */
  readonly credentials?: 'omit' | 'same-origin' | 'include';
  readonly body?: string;
}

export type BatchLine =
  | { readonly line: number; readonly ok: true; readonly entry: BatchEntry }
  | { readonly line: number; readonly ok: false; readonly message: string };

const FIELDS = new Set(['url', 'origin', 'method', 'headers', 'credentials', 'body']);

/**
 * Parses a whole batch file: JSON lines when its first non-blank character is `{`; a plain list
 * when its first entry is a URL or a bare `host[:port][/path]` (url-list.ts); else CSV.
 *
 * @example
 * parseBatchInput('url,origin\nhttps://api.example/x,https://app.example\n')
 * // [{ line: 2, ok: true, entry: { url: 'https://api.example/x', origin: 'https://app.example' } }]
 */
export function parseBatchInput(text: string): BatchLine[] {
  const body = stripByteOrderMark(text);
  if (/^\s*\{/.test(body)) return parseJsonLines(body);
  const lines = contentLines(body);
  const first = lines[0];
  if (first !== undefined && isUrlListLine(first.text)) {
    return parseUrlList(lines).map((item) =>
      item.ok ? { line: item.line, ok: true, entry: { url: item.url } } : item,
    );
  }
  return parseCsv(body);
}

function parseJsonLines(text: string): BatchLine[] {
  return contentLines(text).map(({ line, text: raw }): BatchLine => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return {
        line,
        ok: false,
        message: `line ${line}: not valid JSON (${(error as Error).message})`,
      };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        line,
        ok: false,
        message: `line ${line}: expected a JSON object like {"url": "...", "origin": "..."}`,
      };
    }
    return toEntry(value as Record<string, unknown>, line);
  });
}

function parseCsv(text: string): BatchLine[] {
  const rows = csvRows(text);
  const header = rows.shift();
  if (!header) return [];
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => !FIELDS.has(c));
  if (!columns.includes('url') || unknown.length > 0) {
    const problem = !columns.includes('url')
      ? 'has no "url" column'
      : `has unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')}`;
    return [
      {
        line: header.line,
        ok: false,
        message: `line ${header.line}: the CSV header ${problem}; expected url,origin,method,headers,credentials,body`,
      },
    ];
  }
  const out: BatchLine[] = [];
  for (const row of rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    if (row.cells.length > columns.length) {
      out.push({
        line: row.line,
        ok: false,
        message: `line ${row.line}: ${row.cells.length} fields, but the header has ${columns.length}`,
      });
      continue;
    }
    const record: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      const cell = row.cells[i];
      if (cell !== undefined && cell !== '') record[name] = cell;
    });
    if (typeof record.headers === 'string') {
      const parsed = csvHeaders(record.headers);
      if (typeof parsed === 'string') {
        out.push({ line: row.line, ok: false, message: `line ${row.line}: ${parsed}` });
        continue;
      }
      record.headers = parsed;
    }
    out.push(toEntry(record, row.line));
  }
  return out;
}

/** `{"X-A": "1"}`, `[["X-A","1"]]` or `X-A: 1 | X-B: 2`. */
function csvHeaders(cell: string): [string, string][] | Record<string, string> | string {
  const text = cell.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as [string, string][] | Record<string, string>;
    } catch {
      return `the headers cell ${JSON.stringify(cell)} is not valid JSON`;
    }
  }
  const pairs: [string, string][] = [];
  for (const part of text.split(' | ')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return `the header ${JSON.stringify(part.trim())} is not "Name: value"`;
    pairs.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
  }
  return pairs;
}

function toEntry(record: Record<string, unknown>, line: number): BatchLine {
  const fail = (message: string): BatchLine => ({
    line,
    ok: false,
    message: `line ${line}: ${message}`,
  });
  const unknown = Object.keys(record).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) {
    return fail(
      `unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected url, origin, method, headers, credentials, body`,
    );
  }
  const str = (key: string): string | undefined | Error => {
    const v = record[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : new Error(`"${key}" must be a string`);
  };
  const url = str('url');
  if (url === undefined) return fail('"url" is missing');
  if (url instanceof Error) return fail(url.message);
  const entry: { -readonly [K in keyof BatchEntry]: BatchEntry[K] } = { url };
  for (const key of ['origin', 'method', 'body'] as const) {
    const v = str(key);
    if (v instanceof Error) return fail(v.message);
    if (v !== undefined) entry[key] = v;
  }
  const credentials = record.credentials;
  if (credentials !== undefined) {
    const mode =
      credentials === true || credentials === 'true'
        ? 'include'
        : credentials === false || credentials === 'false'
          ? 'same-origin'
          : credentials;
    if (mode !== 'include' && mode !== 'omit' && mode !== 'same-origin') {
      return fail(
        `"credentials" must be "include", "omit" or "same-origin", not ${JSON.stringify(credentials)}`,
      );
    }
    entry.credentials = mode;
  }
  const headers = record.headers;
  if (headers !== undefined) {
    const valid =
      (Array.isArray(headers) &&
        headers.every(
          (p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string'),
        )) ||
      (typeof headers === 'object' &&
        headers !== null &&
        !Array.isArray(headers) &&
        Object.values(headers).every((v) => typeof v === 'string'));
    if (!valid)
      return fail('"headers" must be an object of strings or a list of [name, value] pairs');
    entry.headers = headers as BatchHeaders;
  }
  return { line, ok: true, entry };
}
