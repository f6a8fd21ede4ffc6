/** `corsproof audit <url>`: one audit, printed for a person, as JSON or as a SARIF log. */

import type { Dispatcher } from 'undici';
import type { AuditReport } from '../../audit/index.js';
import { audit, toSarif } from '../../audit/index.js';
import { createCheckDispatcher } from '../../check/index.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { progressBarOn, type Terminal, useColor } from '../terminal.js';
import { transportOptions } from '../transport.js';
import { packageVersion } from '../version.js';
import {
  type AuditFlags,
  exitCodeOf,
  type Format,
  isInputError,
  optionsFrom,
  sarifTarget,
} from './flags.js';
import { formatAuditReport } from './format.js';

export async function runSingle(
  url: string,
  origin: string,
  flags: AuditFlags,
  format: Format,
  terminal: Terminal,
): Promise<number> {
  const progress = format === 'human' ? progressBarOn(terminal.stderr) : null;
  let dispatcher: Dispatcher | undefined;
  let report: AuditReport;
  try {
    dispatcher = createCheckDispatcher({
      connections: flags.concurrency ?? 8,
      ...(flags.resolve === undefined ? {} : { resolve: flags.resolve }),
      ...transportOptions(flags),
    });
    report = await audit({
      url,
      origin,
      ...optionsFrom(flags),
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
      ...(progress === null ? {} : { onProgress: (d: number, t: number) => progress.draw(d, t) }),
      ...(dispatcher ? { dispatcher } : {}),
    });
  } catch (error) {
    if (isInputError(error)) {
      terminal.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    progress?.done();
    await dispatcher?.close();
  }
  if (format === 'json') terminal.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'sarif') {
    terminal.stdout.write(
      `${JSON.stringify(toSarif([sarifTarget(report)], packageVersion()), null, 2)}\n`,
    );
  } else terminal.stdout.write(formatAuditReport(report, { color: useColor(terminal) }));
  return exitCodeOf(report, flags.failOn);
}
