/**
 * `corsproof audit --openapi FILE --origin O`: every operation of the API audited as its own
 * target, with the headers a page sends it and its method as the preflights' method; findings
 * per operation, grouped where many operations share one cause, or one SARIF log with a result
 * per operation and finding.
 */
import {
  type AuditedTarget,
  type AuditReport,
  audit,
  DEFAULT_CONCURRENCY,
  toSarif,
} from '../../audit/index.js';
import { DEFAULT_TIMEOUT_MS } from '../../check/index.js';
import type { ApiOperation } from '../../openapi/index.js';
import { forEachConcurrently } from '../batch.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { mergeHeaders, politePool, readOperations } from '../openapi-input.js';
import { DEFAULT_RATE, politeConcurrency } from '../rate-limit.js';
import { progressBarOn, type Terminal, useColor } from '../terminal.js';
import { packageVersion } from '../version.js';
import {
  type AuditFlags,
  exitCodeOf,
  type Format,
  isInputError,
  optionsFrom,
  sarifTarget,
} from './flags.js';
import {
  type AuditedOperation,
  formatOperationAudits,
  operationAuditsReport,
} from './openapi-format.js';

/** Operations audited at once unless --concurrency says otherwise. */
const DEFAULT_OPERATIONS_AT_ONCE = 4;

/** The body's type is the state-changing request's; the audit's preflights set their own. */
function pageHeaders(op: ApiOperation, flags: AuditFlags): [string, string][] {
  const own = op.headers.filter(([name]) => name.toLowerCase() !== 'content-type');
  return mergeHeaders(own, flags.header ?? []);
}

export async function runOpenApi(
  origin: string,
  flags: AuditFlags,
  format: Format,
  terminal: Terminal,
): Promise<number> {
  const operations = await readOperations(flags, terminal);
  if (operations === undefined) return EXIT_USAGE;
  const rate = flags.rate ?? DEFAULT_RATE;
  const atOnce = flags.concurrency ?? DEFAULT_OPERATIONS_AT_ONCE;
  // Requests in flight over the whole run, kept to what the rate serves within the timeout.
  const inFlight = politeConcurrency(
    atOnce * DEFAULT_CONCURRENCY,
    rate,
    flags.timeout ?? DEFAULT_TIMEOUT_MS,
  );
  const perAudit = Math.max(1, Math.floor(inFlight / atOnce));
  const dispatcher = politePool(inFlight, rate, flags.resolve);
  const audited: AuditedOperation[] = new Array(operations.length);
  const progress = progressBarOn(terminal.stderr);
  progress?.draw(0, operations.length);
  try {
    await forEachConcurrently(
      operations.map((op, index) => ({ op, index })),
      Math.min(atOnce, inFlight),
      async ({ op, index }) => {
        try {
          const report: AuditReport = await audit({
            ...optionsFrom(flags),
            url: op.url,
            origin,
            headers: pageHeaders(op, flags),
            credentials: flags.credentials === true || op.credentials,
            method: op.method,
            concurrency: perAudit,
            dispatcher,
          });
          audited[index] = { operation: op, report };
        } catch (error) {
          if (!isInputError(error)) throw error;
          audited[index] = { operation: op, error: { code: error.code, message: error.message } };
        }
      },
      progress,
    );
  } finally {
    await dispatcher.close();
  }
  if (format === 'sarif') {
    const targets: AuditedTarget[] = audited.map(({ operation, report, error }) => ({
      ...(report === undefined
        ? { target: operation.url, findings: [], errors: [error?.message ?? 'not audited'] }
        : sarifTarget(report)),
      operation: {
        method: operation.method,
        path: operation.path,
        operationId: operation.operationId,
      },
    }));
    terminal.stdout.write(`${JSON.stringify(toSarif(targets, packageVersion()), null, 2)}\n`);
  } else if (format === 'json') {
    terminal.stdout.write(`${JSON.stringify(operationAuditsReport(origin, audited), null, 2)}\n`);
  } else {
    terminal.stdout.write(
      formatOperationAudits(origin, flags.browser, audited, { color: useColor(terminal) }),
    );
  }
  let worst = EXIT_OK;
  for (const a of audited) {
    worst = Math.max(
      worst,
      a.report === undefined ? EXIT_USAGE : exitCodeOf(a.report, flags.failOn),
    );
  }
  return worst;
}
