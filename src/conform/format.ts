/**
 * The conformance report for a terminal: a summary line, then each difference with the browser's
 * message and the curl commands that reproduce it, grouped by path.
 */
import type { ConformReport } from './conform.js';

export interface ConformFormatOptions {
  /** ANSI colours. Default false. */
  readonly color?: boolean;
}

/** SGR codes: on, off. */
const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39] } as const;

type Style = keyof typeof STYLES;

/**
 * Renders a report for people.
 *
 * @example
 * process.stdout.write(formatConformReport(report, { color: process.stdout.isTTY }));
 */
export function formatConformReport(
  report: ConformReport,
  options: ConformFormatOptions = {},
): string {
  const style = (name: Style, text: string) =>
    options.color === true ? `\u001b[${STYLES[name][0]}m${text}\u001b[${STYLES[name][1]}m` : text;
  const total = report.cases.length;
  const differing = report.cases.filter((r) => r.differences.length > 0).length;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const lines: string[] = report.warnings.map((w) => `${style('bold', 'warning')} ${w}`);
  if (report.conforms) {
    lines.push(
      `${style('green', style('bold', 'conforms'))} ${report.url}: all ${total} cases answer as the policy says (${report.browser}, ${seconds} s)`,
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `${style('red', style('bold', 'differs'))} ${report.url}: ${differing} of ${total} cases differ from the policy, ${report.differences.length} differences (${report.browser}, ${seconds} s)`,
  );
  let path: string | null = null;
  for (const d of report.differences) {
    if (d.case.path !== path) {
      path = d.case.path;
      const pattern = d.case.pattern === null ? '' : style('dim', ` (pattern ${d.case.pattern})`);
      lines.push('', style('bold', `${path}${pattern}`));
    }
    lines.push(
      '',
      `  ${style('red', d.kind)}  ${d.case.title}`,
      `    ${style('dim', 'case')}     ${d.case.id}`,
      `    ${style('dim', 'expected')} ${d.expected}`,
      `    ${style('dim', 'actual')}   ${d.actual}`,
      `    ${d.message}`,
      ...d.curl.map((command) => `    ${style('dim', command.replace(/\n/g, '\n    '))}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
