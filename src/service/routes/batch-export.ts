/**
 * A batch as a file: every target with its outcome, as JSON (the API's own target objects) or as
 * CSV (one row per target, the columns a spreadsheet needs to sort and filter them).
 * https://www.rfc-editor.org/rfc/rfc4180
 */
import type { TargetRecord } from '../store/index.js';

/** The CSV's columns, in order. */
export const EXPORT_COLUMNS = [
  'position',
  'url',
  'origin',
  'method',
  'state',
  'outcome',
  'verdict',
  'findings',
  'detail',
  'finishedAt',
] as const;

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180 §2.6-7). */
export function csvField(value: string): string {
  // A leading =, +, - or @ makes spreadsheets run the cell as a formula: a quote keeps it text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

interface ResultFacts {
  readonly verdict: string;
  readonly findings: string;
  readonly detail: string;
}

/** The verdict, the number of findings and one line of detail, whatever kind of result. */
function facts(result: unknown): ResultFacts {
  if (typeof result !== 'object' || result === null)
    return { verdict: '', findings: '', detail: '' };
  const r = result as {
    verdict?: string;
    findings?: readonly { title?: string }[];
    error?: { message?: string } | null;
    failures?: readonly { code?: string }[];
    reason?: string;
  };
  if (Array.isArray(r.findings)) {
    const unreachable = r.error !== undefined && r.error !== null;
    return {
      verdict: unreachable ? 'error' : '',
      findings: unreachable ? '' : String(r.findings.length),
      detail: unreachable ? (r.error?.message ?? '') : (r.findings[0]?.title ?? ''),
    };
  }
  const detail =
    r.error?.message ?? r.failures?.[0]?.code ?? (typeof r.reason === 'string' ? r.reason : '');
  return { verdict: r.verdict ?? '', findings: '', detail };
}

/** The whole batch as CSV, a header row first, CRLF line ends. */
export function targetsCsv(targets: readonly TargetRecord[]): string {
  const rows = targets.map((t) => {
    const f = facts(t.result);
    return [
      String(t.position),
      t.input.url,
      t.input.origin,
      t.input.method,
      t.state,
      t.outcome ?? '',
      f.verdict,
      f.findings,
      f.detail,
      t.finishedAt === null ? '' : new Date(t.finishedAt).toISOString(),
    ];
  });
  return [[...EXPORT_COLUMNS], ...rows].map((row) => row.map(csvField).join(',')).join('\r\n');
}
