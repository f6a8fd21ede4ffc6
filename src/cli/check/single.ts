/** `corsproof check <url>`: one check, printed for a person (or as JSON with --json). */

import type { CheckResult } from '../../check/index.js';
import { CheckInputError, check, createCheckDispatcher } from '../../check/index.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { type Terminal, useColor } from '../terminal.js';
import { type CheckFlags, exitCodeOf, optionsFrom } from './flags.js';
import { formatCheckResult } from './format.js';

export async function runSingle(
  url: string,
  flags: CheckFlags,
  terminal: Terminal,
): Promise<number> {
  let result: CheckResult;
  // A pool of its own only to pin names; otherwise check() makes one.
  const dispatcher =
    flags.resolve === undefined
      ? undefined
      : createCheckDispatcher({ connections: 2, resolve: flags.resolve });
  try {
    result = await check({ url, ...optionsFrom(flags), ...(dispatcher ? { dispatcher } : {}) });
  } catch (error) {
    if (error instanceof CheckInputError) {
      terminal.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await dispatcher?.close();
  }
  if (flags.json) {
    terminal.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    terminal.stdout.write(
      formatCheckResult(result, {
        color: useColor(terminal),
        ...(flags.fixFor !== undefined ? { framework: flags.fixFor } : {}),
        curl: flags.curl,
      }),
    );
  }
  return exitCodeOf(result);
}
