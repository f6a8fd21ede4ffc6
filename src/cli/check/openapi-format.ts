/**
 * `check --openapi` output: a table of the operations (which a page at the origin can call, which
 * it cannot and the failure code), then the causes, each once with the browser's words and the
 * fix, over every operation it blocks. As JSON: the same, with each full check result.
 */
import type { CheckResult } from '../../check/index.js';
import type { ApiOperation } from '../../openapi/index.js';
import { groupBy, operationLabel } from '../openapi-input.js';
import { painter, type Style } from './format.js';

export interface CheckedOperation {
  readonly operation: ApiOperation;
  /** Absent when the operation could not be checked at all (`error` says why). */
  readonly result?: CheckResult;
  readonly error?: { readonly code: string; readonly message: string };
}

/** What the table says of an operation. */
export type OperationStatus =
  | 'callable'
  | 'blocked'
  | 'not sent'
  | 'no verdict'
  | 'network error'
  | 'invalid';

/** Preflight-only by choice, for a request a browser sends without one: no verdict to give. */
export function isNotSent(c: CheckedOperation): boolean {
  return c.result?.verdict === 'inconclusive' && c.result.scope === 'preflight-only';
}

export function statusOf(c: CheckedOperation): OperationStatus {
  if (c.result === undefined) return 'invalid';
  if (isNotSent(c)) return 'not sent';
  switch (c.result.verdict) {
    case 'allowed':
      return 'callable';
    case 'blocked':
      return 'blocked';
    case 'error':
      return 'network error';
    default:
      return 'no verdict';
  }
}

/** The code the table shows and the causes are grouped by, with the words that go with it. */
function causeOf(c: CheckedOperation): { code: string; message: string; fix: string } | null {
  const r = c.result;
  if (r === undefined) {
    return c.error === undefined ? null : { code: c.error.code, message: c.error.message, fix: '' };
  }
  if (r.verdict === 'blocked') {
    const [first] = r.failures;
    return { code: first.code, message: first.message, fix: first.fix.summary };
  }
  if (r.verdict === 'error') return { code: r.error.code, message: r.error.message, fix: '' };
  if (r.verdict === 'inconclusive' && !isNotSent(c)) {
    return { code: 'Inconclusive', message: r.reason, fix: '' };
  }
  return null;
}

/** The operations a cause blocks, with its words taken from the first of them. */
export interface Cause {
  readonly code: string;
  readonly count: number;
  readonly message: string;
  readonly fix: string;
  readonly operations: readonly string[];
}

export function causesOf(checked: readonly CheckedOperation[]): Cause[] {
  const withCause = checked.flatMap((c) => {
    const cause = causeOf(c);
    return cause === null ? [] : [{ c, cause }];
  });
  return groupBy(withCause, (x) => x.cause.code).map(([code, group]) => {
    const first = group[0]?.cause;
    return {
      code,
      count: group.length,
      message: first?.message ?? '',
      fix: first?.fix ?? '',
      operations: group.map((x) => operationLabel(x.c.operation)),
    };
  });
}

function countsOf(checked: readonly CheckedOperation[]): Record<OperationStatus, number> {
  const counts: Record<OperationStatus, number> = {
    callable: 0,
    blocked: 0,
    'not sent': 0,
    'no verdict': 0,
    'network error': 0,
    invalid: 0,
  };
  for (const c of checked) counts[statusOf(c)]++;
  return counts;
}

/** The `--json` document. */
export function operationsReport(origin: string, checked: readonly CheckedOperation[]) {
  return {
    origin,
    total: checked.length,
    counts: countsOf(checked),
    causes: causesOf(checked),
    operations: checked.map((c) => ({
      method: c.operation.method,
      path: c.operation.path,
      url: c.operation.url,
      operationId: c.operation.operationId,
      tags: c.operation.tags,
      status: statusOf(c),
      ...(c.result === undefined ? { error: c.error } : { result: c.result }),
    })),
  };
}

const STATUS_STYLE: Record<OperationStatus, Style> = {
  callable: 'green',
  blocked: 'red',
  'not sent': 'dim',
  'no verdict': 'yellow',
  'network error': 'yellow',
  invalid: 'yellow',
};

/**
 * The table for a terminal.
 *
 * @example
 * process.stdout.write(formatOperationTable('https://app.example', checked, { color: true }));
 */
export function formatOperationTable(
  origin: string,
  checked: readonly CheckedOperation[],
  options: { readonly color?: boolean } = {},
): string {
  const paint = painter(options.color === true);
  const counts = countsOf(checked);
  const summary = (Object.entries(counts) as [OperationStatus, number][])
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const out = [
    `${paint('bold', `${checked.length} operation${checked.length === 1 ? '' : 's'}`)} called from ${origin}: ${summary}`,
    '',
  ];
  const methodWidth = Math.max(...checked.map((c) => c.operation.method.length));
  const pathWidth = Math.min(60, Math.max(...checked.map((c) => c.operation.path.length)));
  const statusWidth = Math.max(...checked.map((c) => statusOf(c).length));
  const codeWidth = Math.max(...checked.map((c) => causeOf(c)?.code.length ?? 0));
  for (const c of checked) {
    const status = statusOf(c);
    const code = (causeOf(c)?.code ?? '').padEnd(codeWidth);
    const id = c.operation.operationId === null ? '' : paint('dim', c.operation.operationId);
    out.push(
      `  ${c.operation.method.padEnd(methodWidth)}  ${c.operation.path.padEnd(pathWidth)}  ${paint(STATUS_STYLE[status], status.padEnd(statusWidth))}  ${code}  ${id}`.trimEnd(),
    );
  }
  const causes = causesOf(checked);
  if (causes.length > 0) out.push('', paint('bold', 'Why, by cause:'));
  for (const cause of causes) {
    out.push(
      '',
      `${paint('bold', cause.code)} (${cause.count} operation${cause.count === 1 ? '' : 's'})`,
      `  ${cause.message}`,
    );
    if (cause.fix !== '') out.push(`  ${paint('bold', 'Fix:')} ${cause.fix}`);
    out.push(`  ${paint('dim', cause.operations.join(', '))}`);
  }
  if (counts['not sent'] > 0) {
    out.push(
      '',
      paint(
        'dim',
        'not sent: a browser sends these requests without a preflight, so only their own response decides; they were not sent, since they could change data.',
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
