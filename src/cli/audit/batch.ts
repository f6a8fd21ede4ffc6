/**
 * `corsproof audit --input FILE`: one audit per entry, streamed out as JSON lines (or printed for
 * a person) in the order they finish, or gathered into one SARIF log at the end; then a count on
 * stderr. The exit code is the worst one.
 */

import type { Dispatcher } from 'undici';
import { type AuditedTarget, AuditInputError, audit, toSarif } from '../../audit/index.js';
import { createCheckDispatcher } from '../../check/index.js';
import { parseAuditBatch } from '../../targets/audit-batch.js';
import { forEachConcurrently, plural, readInputFile } from '../batch.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { progressBarOn, type Terminal, useColor, writeJsonLine } from '../terminal.js';
import { transportOptions } from '../transport.js';
import { packageVersion } from '../version.js';
import {
  type AuditFlags,
  DEFAULT_FAIL_ON,
  exitCodeOf,
  type Format,
  hasSerious,
  isInputError,
  optionsFrom,
  sarifTarget,
} from './flags.js';
import { formatAuditReport } from './format.js';

/** Targets audited at once in batch mode, each with its own requests in flight. */
const DEFAULT_BATCH_CONCURRENCY = 4;

export async function runBatch(
  file: string,
  flags: AuditFlags,
  format: Format,
  terminal: Terminal,
): Promise<number> {
  const text = await readInputFile(file, terminal);
  if (text === undefined) return EXIT_USAGE;
  const lines = parseAuditBatch(text);
  const concurrency = flags.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
  // One keep-alive pool for the whole batch: connections per origin, shared by every audit.
  let dispatcher: Dispatcher;
  try {
    dispatcher = createCheckDispatcher({
      connections: 8,
      ...(flags.resolve === undefined ? {} : { resolve: flags.resolve }),
      ...transportOptions(flags),
    });
  } catch (error) {
    if (!isInputError(error)) throw error;
    terminal.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  const progress = progressBarOn(terminal.stderr);
  const defaults = optionsFrom(flags);
  const tally = { serious: 0, clean: 0, errors: 0, invalid: 0 };
  const sarif: AuditedTarget[] = [];
  let worst = EXIT_OK;
  const emit = (record: object) => writeJsonLine(terminal.stdout, record);

  try {
    await forEachConcurrently(
      lines,
      concurrency,
      async (item) => {
        if (!item.ok) {
          tally.invalid++;
          worst = EXIT_USAGE;
          if (format === 'sarif')
            sarif.push({ target: `line ${item.line}`, findings: [], errors: [item.message] });
          else emit({ line: item.line, error: { code: 'INVALID_INPUT', message: item.message } });
        } else {
          const { entry } = item;
          const origin = entry.origin ?? flags.origin;
          try {
            if (origin === undefined) {
              throw new AuditInputError(
                'INVALID_ORIGIN',
                'origin',
                `line ${item.line}: no origin; give --origin for every line, or an "origin" field`,
              );
            }
            const report = await audit({
              ...defaults,
              url: entry.url,
              origin,
              ...(entry.credentials === undefined ? {} : { credentials: entry.credentials }),
              ...(entry.headers === undefined ? {} : { headers: entry.headers }),
              ...(entry.method === undefined ? {} : { method: entry.method }),
              dispatcher,
            });
            const code = exitCodeOf(report, flags.failOn);
            worst = Math.max(worst, code);
            if (report.error !== null || report.errors.length > 0) tally.errors++;
            if (hasSerious(report.findings, flags.failOn)) tally.serious++;
            else if (code === EXIT_OK) tally.clean++;
            if (format === 'sarif') sarif.push(sarifTarget(report));
            else if (format === 'human') {
              terminal.stdout.write(
                `${formatAuditReport(report, { color: useColor(terminal) })}\n`,
              );
            } else emit({ line: item.line, url: entry.url, origin, exitCode: code, report });
          } catch (error) {
            if (!isInputError(error)) throw error;
            tally.invalid++;
            worst = EXIT_USAGE;
            if (format === 'sarif')
              sarif.push({ target: entry.url, findings: [], errors: [error.message] });
            else
              emit({
                line: item.line,
                url: entry.url,
                error: { code: error.code, message: error.message },
              });
          }
        }
      },
      progress,
    );
  } finally {
    await dispatcher.close();
  }
  if (format === 'sarif')
    terminal.stdout.write(`${JSON.stringify(toSarif(sarif, packageVersion()), null, 2)}\n`);
  terminal.stderr.write(
    `${plural(lines.length, 'target')}: ${tally.serious} with findings of ${flags.failOn ?? DEFAULT_FAIL_ON} severity or above, ${tally.clean} clean, ${tally.errors} with network errors, ${tally.invalid} invalid input\n`,
  );
  return worst;
}
