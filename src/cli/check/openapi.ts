/**
 * `corsproof check --openapi FILE --origin O`: can a page at O call each operation of the API?
 * Every operation is checked with the request a page would make for it (its method, its headers,
 * credentials when a cookie is part of its security), so the preflight is exactly the browser's.
 * Only GET and HEAD requests are sent for real; any other method gets its preflight alone, since
 * the request itself could change data.
 */
import { normalizeMethod } from 'corsproof/spec';
import { CheckInputError, check, DEFAULT_TIMEOUT_MS } from '../../check/index.js';
import type { ApiOperation } from '../../openapi/index.js';
import { forEachConcurrently } from '../batch.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { mergeHeaders, politePool, readOperations } from '../openapi-input.js';
import { DEFAULT_RATE, politeConcurrency } from '../rate-limit.js';
import { progressBarOn, type Terminal, useColor } from '../terminal.js';
import { type CheckFlags, exitCodeOf, optionsFrom } from './flags.js';
import {
  type CheckedOperation,
  formatOperationTable,
  isNotSent,
  operationsReport,
} from './openapi-format.js';

/** Methods whose request is sent, not only its preflight: safe methods (RFC 9110 §9.2.1). */
const SENT_FOR_REAL = new Set(['GET', 'HEAD']);

async function checkOperation(
  op: ApiOperation,
  flags: CheckFlags,
  dispatcher: Parameters<typeof check>[0]['dispatcher'],
): Promise<CheckedOperation> {
  const defaults = optionsFrom(flags);
  try {
    const result = await check({
      ...defaults,
      url: op.url,
      method: op.method,
      headers: mergeHeaders(op.headers, flags.header ?? []),
      credentials: flags.credentials === true || op.credentials ? 'include' : 'same-origin',
      body: null,
      preflightOnly: flags.preflightOnly === true || !SENT_FOR_REAL.has(normalizeMethod(op.method)),
      ...(dispatcher === undefined ? {} : { dispatcher }),
    });
    return { operation: op, result };
  } catch (error) {
    if (!(error instanceof CheckInputError)) throw error;
    return { operation: op, error: { code: error.code, message: error.message } };
  }
}

export async function runOpenApi(flags: CheckFlags, terminal: Terminal): Promise<number> {
  const operations = await readOperations(flags, terminal);
  if (operations === undefined) return EXIT_USAGE;
  const rate = flags.rate ?? DEFAULT_RATE;
  const concurrency = politeConcurrency(
    flags.concurrency,
    rate,
    flags.timeout ?? DEFAULT_TIMEOUT_MS,
  );
  const dispatcher = politePool(concurrency, rate, flags.resolve);
  const checked: CheckedOperation[] = new Array(operations.length);
  const progress = progressBarOn(terminal.stderr);
  progress?.draw(0, operations.length);
  try {
    await forEachConcurrently(
      operations.map((op, index) => ({ op, index })),
      concurrency,
      async ({ op, index }) => {
        checked[index] = await checkOperation(op, flags, dispatcher);
      },
      progress,
    );
  } finally {
    await dispatcher.close();
  }
  const origin = flags.origin ?? '';
  if (flags.json) {
    terminal.stdout.write(`${JSON.stringify(operationsReport(origin, checked), null, 2)}\n`);
  } else {
    terminal.stdout.write(formatOperationTable(origin, checked, { color: useColor(terminal) }));
  }
  // The worst of the operations, as in a batch; a request not sent (only its preflight) is not
  // a failure to give a verdict, it is the run's own choice.
  let worst = EXIT_OK;
  for (const c of checked) {
    if (c.result === undefined) worst = Math.max(worst, EXIT_USAGE);
    else if (!isNotSent(c)) worst = Math.max(worst, exitCodeOf(c.result));
  }
  return worst;
}
