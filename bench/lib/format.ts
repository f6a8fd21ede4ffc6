/** Number formatting and markdown tables for the report. */
import type { Summary } from './stats.js';

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** Three significant digits, no exponent: 1234 -> "1,234", 12.345 -> "12.3", 0.01234 -> "0.0123". */
export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1000) return fmtInt(n);
  if (abs === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
  return n.toFixed(Math.min(digits, 4));
}

export function fmtPct(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}%` : '—';
}

/** "median (min–max)" */
/** A ratio: 1.23×. */
export const fmtTimes = (n: number): string => `${fmtNum(n)}×`;

export function fmtRange(s: Summary, f: (n: number) => string = fmtNum): string {
  if (s.n === 0) return '—';
  if (s.n === 1) return f(s.median);
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/** A duration in nanoseconds, in the unit that reads best. */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const abs = Math.abs(ns);
  if (abs >= 1e6) return `${fmtNum(ns / 1e6)} ms`;
  if (abs >= 1e3) return `${fmtNum(ns / 1e3)} µs`;
  return `${fmtNum(ns)} ns`;
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (cell: string) => cell.replaceAll('|', '\\|');
  const lines = [
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export type Verdict = 'met' | 'missed' | 'within noise' | 'n/a';

/** For a single figure with no spread (a memory total, a pass/fail count). */
export function verdict(ok: boolean | null): Verdict {
  return ok === null ? 'n/a' : ok ? 'met' : 'missed';
}

/**
 * For a figure measured several times: `met` only when every sample meets the threshold, `missed`
 * only when none does; a min–max range that crosses the threshold is `within noise`, whatever the
 * median says, so a lucky run cannot read as a target met.
 *
 * @example
 * rangeVerdict({ median: 0.97, min: 0.93, max: 0.99, n: 5 }, '≥', 0.95) // 'within noise'
 */
export function rangeVerdict(s: Summary, op: '≤' | '≥', threshold: number): Verdict {
  if (s.n === 0 || !Number.isFinite(s.median)) return 'n/a';
  const meets = (x: number) => (op === '≤' ? x <= threshold : x >= threshold);
  if (meets(s.min) && meets(s.max)) return 'met';
  if (!meets(s.min) && !meets(s.max)) return 'missed';
  return 'within noise';
}

/** One line of the targets summary at the end of the report. */
export interface TargetResult {
  readonly section: string;
  readonly target: string;
  readonly figure: string;
  readonly verdict: Verdict;
}
