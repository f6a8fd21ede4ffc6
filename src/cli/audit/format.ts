/**
 * Audit results for people: findings grouped by severity, most severe first, each with what
 * proved it, why it matters, the fix and the decisive lines of the exchange. Colours are the
 * caller's choice (a terminal without NO_COLOR gets them).
 */

import { asciiLowercase } from 'corsproof/spec';
import type { AuditReport } from '../../audit/index.js';
import {
  type Evidence,
  type Finding,
  SEVERITY_ORDER,
  type Severity,
  severityAtLeast,
} from '../../audit/index.js';
import { browserProfile, isBrowserName } from '../../check/index.js';

export interface AuditFormatOptions {
  /** ANSI colours. Default false. */
  readonly color?: boolean;
  /** Exchanges shown per finding. Default 2; 0 hides them. */
  readonly evidence?: number;
}

export type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'cyan' | 'green';
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  green: [32, 39],
};
type Paint = (style: Style, text: string) => string;

export const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = {
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'dim',
};

/** Request lines worth showing; the rest is in the JSON output. */
const SHOWN_REQUEST = new Set([
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
]);

/** Wraps text in an ANSI style, or leaves it as is without colours. */
export function painter(color: boolean): Paint {
  return (style, text) =>
    color ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text;
}

function isShownResponseHeader(name: string): boolean {
  return name.startsWith('access-control-') || name === 'vary' || name === 'location';
}

function formatEvidence(e: Evidence, paint: Paint): string[] {
  const lines = [
    paint('dim', `    ${e.label ?? 'exchange'}: ${e.request.method} ${e.request.url}`),
  ];
  for (const [name, value] of e.request.headers) {
    if (SHOWN_REQUEST.has(asciiLowercase(name)))
      lines.push(paint('dim', `      > ${name}: ${value}`));
  }
  if (e.response === undefined) {
    lines.push(paint('dim', '      < (no response)'));
    return lines;
  }
  lines.push(paint('dim', `      < ${e.response.status}`));
  for (const [name, value] of e.response.headers) {
    if (isShownResponseHeader(asciiLowercase(name))) {
      lines.push(`      < ${paint('bold', `${name}: ${value}`)}`);
    }
  }
  return lines;
}

function formatFinding(f: Finding, paint: Paint, evidence: number): string[] {
  const lines = [
    `  ${paint('bold', f.id)}  ${f.title}`,
    `    ${f.message}`,
    `    ${paint('bold', 'Why:')} ${f.why}`,
    `    ${paint('bold', 'Fix:')} ${f.fix}`,
  ];
  for (const e of f.evidence.slice(0, evidence)) lines.push(...formatEvidence(e, paint));
  return lines;
}

/**
 * The findings grouped under one heading per severity, most severe first.
 *
 * @example
 * formatFindings(report.findings, { color: false }).join('\n')
 */
export function formatFindings(
  findings: readonly Finding[],
  options: AuditFormatOptions = {},
): string[] {
  const paint = painter(options.color === true);
  const evidence = options.evidence ?? 2;
  const out: string[] = [];
  // Security first, by severity; then what breaks the trusted origin's own requests, apart.
  for (const category of ['security', 'breakage'] as const) {
    for (const severity of [...SEVERITY_ORDER].reverse()) {
      const group = findings.filter((f) => f.category === category && f.severity === severity);
      if (group.length === 0) continue;
      const title = `${category === 'breakage' ? 'BREAKS REQUESTS, ' : ''}${severity.toUpperCase()} (${group.length})`;
      out.push(paint(SEVERITY_STYLE[severity], paint('bold', title)));
      for (const f of group) out.push(...formatFinding(f, paint, evidence), '');
    }
  }
  return out;
}

function counts(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const per = [...SEVERITY_ORDER]
    .reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${per.join(', ')})`;
}

function verdictLine(findings: readonly Finding[], paint: Paint): string {
  const serious = findings.filter((f) => severityAtLeast(f.severity, 'medium')).length;
  return serious === 0
    ? paint('green', 'No finding of medium severity or above.')
    : paint('red', `${serious} finding${serious === 1 ? '' : 's'} of medium severity or above.`);
}

/**
 * A network audit's report for a terminal.
 *
 * @example
 * process.stdout.write(formatAuditReport(await audit({ url, origin }), { color: true }));
 */
export function formatAuditReport(report: AuditReport, options: AuditFormatOptions = {}): string {
  const paint = painter(options.color === true);
  const browser = isBrowserName(report.browser)
    ? browserProfile(report.browser).displayName
    : report.browser;
  const out = [
    `${paint('bold', 'AUDIT')}  ${report.target}  (trusted origin ${report.trustedOrigin}, ${browser} rules)`,
  ];
  if (report.error !== null) {
    // The run's deadline, or the trusted origin's own GET: either way nothing can be judged.
    const deadline = report.error.leg === 'deadline';
    out.push(
      '',
      `${paint('yellow', paint('bold', 'ERROR'))}  ${deadline ? 'the audit was stopped' : "the trusted origin's own GET failed"}: ${report.error.code}: ${report.error.message}`,
      paint('dim', report.error.detail),
      deadline
        ? 'No audit: a run cut short proves nothing either way.'
        : 'No audit: without an answer to compare with, nothing can be judged.',
    );
    return `${out.join('\n')}\n`;
  }
  out.push(
    `${report.probes.length} crafted origins, ${report.requests} requests in ${report.durationMs} ms: ${counts(report.findings)}`,
  );
  // Often a mistyped --origin: say so, since every other answer is read against this one.
  const own = report.baseline?.get;
  if (own !== undefined && !own.passes.omit && !own.passes.include) {
    out.push(
      paint(
        'yellow',
        `Note: the trusted origin's own GET does not pass (${own.failure ?? `status ${own.status ?? '?'}`}); is ${report.trustedOrigin} the origin that calls this URL?`,
      ),
    );
  }
  out.push('', ...formatFindings(report.findings, options));
  if (report.errors.length > 0) {
    out.push(paint('yellow', paint('bold', `NETWORK ERRORS (${report.errors.length})`)));
    for (const e of report.errors.slice(0, 10)) {
      out.push(`  ${e.leg} from ${e.origin}: ${e.code}: ${e.message}`);
    }
    if (report.errors.length > 10) out.push(`  and ${report.errors.length - 10} more`);
    out.push('  The audit is incomplete: those origins were not judged.', '');
  }
  out.push(verdictLine(report.findings, paint));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/**
 * A static policy audit's findings for a terminal.
 *
 * @example
 * process.stdout.write(formatPolicyAudit('cors.json', await auditPolicy(policy)));
 */
export function formatPolicyAudit(
  target: string,
  findings: readonly Finding[],
  options: AuditFormatOptions = {},
): string {
  const paint = painter(options.color === true);
  const out = [
    `${paint('bold', 'AUDIT')}  ${target}  (corsproof policy, static: nothing sent)`,
    counts(findings),
    '',
    ...formatFindings(findings, { ...options, evidence: options.evidence ?? 1 }),
    verdictLine(findings, paint),
  ];
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
